"""Plain text only: the characters no story field may hold, whoever sends them.

PostgreSQL cannot store NUL, XML (feeds, sitemaps) cannot carry the other C0 control
characters or the noncharacters U+FFFE/U+FFFF, and a lone surrogate cannot even be
encoded as UTF-8. Tabs and line breaks are text. Everything else, markup and
right-to-left marks included, is stored as sent and escaped wherever it is shown.
"""

import re

from django.core.exceptions import ValidationError

NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def refuse_control_characters(fields):
    """Raise ValidationError naming each field of `fields` (name: value) that is not text."""
    errors = {}
    for name, value in fields.items():
        found = isinstance(value, str) and NOT_TEXT.search(value)
        if found:
            errors[name] = (
                f"{name.replace('_', ' ')} contains the control character "
                f"U+{ord(found[0]):04X} at position {found.start() + 1}: only plain text "
                "can be archived"
            )
    if errors:
        raise ValidationError(errors)
