"""What a story's text is, whoever sends it: its limits, its paragraph break, plain text only.

The models take their field lengths and their one plain-text validator from here.
"""

import hashlib
import re
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MAX_HEADLINE_LENGTH = 300
MAX_PLACE_LENGTH = 100
MAX_AGENCY_LENGTH = 40
MAX_BYLINE_LENGTH = 200

PARAGRAPH_BREAK = "\n\n"
# A table (agate: standings, results) is a paragraph of rows, one a line, its cells
# separated by tabs; the pages render it as a <table>.
TABLE_ROW_BREAK = "\n"
TABLE_CELL_BREAK = "\t"


def table_rows(paragraph):
    """The paragraph's rows of cells when it is a table, else []."""
    if TABLE_CELL_BREAK not in paragraph:
        return []
    return [row.split(TABLE_CELL_BREAK) for row in paragraph.split(TABLE_ROW_BREAK)]


class Kind(models.TextChoices):
    ORIGINAL = "original", "Original"
    BREAKING_UPDATE = "breaking_update", "Breaking update"
    UPDATE = "update", "Update"
    CORRECTION = "correction", "Correction"
    # A one-paragraph bulletin (AP's APNewsAlert at priority b), its own story: breaking
    # from the start, where a breaking update is a new top over an earlier story.
    ALERT = "alert", "News alert"


# The kinds a story reads "Breaking" for, while it is newer than BREAKING_HOURS.
BREAKING_KINDS = (Kind.BREAKING_UPDATE, Kind.ALERT)


class Paragraph(NamedTuple):
    """One paragraph of a published text: story text, or an editor's note."""

    text: str
    dateline: str = ""
    is_note: bool = False

    def __str__(self):
        return f"{self.dateline} {self.text}" if self.dateline else self.text

    @property
    def rows(self):
        """Its rows of cells when the paragraph is a table (text.table_rows), else []."""
        return table_rows(self.text)


def published_paragraphs(stack):
    """The published text of the newest revision in `stack`, paragraph by paragraph.

    The one rule for what a story shows, used by the write path to store Story.text and
    by the pages to render it. `stack` is Story.revision_stack(): newest first, each
    breaking update followed by the revision it was posted over. A breaking update's
    note stands between its new top and the earlier story; any other revision's note
    (a correction's, say) follows its text, where the wire puts it.
    """
    for revision in stack:
        paragraphs = revision.body.split(PARAGRAPH_BREAK)
        yield Paragraph(paragraphs[0], revision.dateline)
        for paragraph in paragraphs[1:]:
            yield Paragraph(paragraph)
        if revision.editors_note:
            yield Paragraph(revision.editors_note, is_note=True)


def stack_of(revisions):
    """The stack a story shows at the newest of `revisions` (newest first): that
    revision and, while each is a breaking update, the one it was posted over."""
    stack = []
    for revision in revisions:
        stack.append(revision)
        if not revision.is_breaking_update:
            break
    return stack


def published_text(stack):
    return PARAGRAPH_BREAK.join(map(str, published_paragraphs(stack)))


def format_dateline(place, agency):
    """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
    if not place:
        return ""
    agency = f" ({agency})" if agency else ""
    return f"{place}{agency} —"


def text_digest(text):
    """What the index on Story.text holds: the text is too long for a b-tree itself."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# Not text, wherever it comes from: the C0 controls but tab and the line ends, DEL, the C1
# controls (a wrongly decoded file's tell), lone surrogates and the noncharacters U+FFFE and
# U+FFFF. PostgreSQL cannot store NUL, XML (feeds, sitemaps) cannot carry the rest, and a
# lone surrogate cannot even be encoded as UTF-8.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def validate_plain_text(value):
    """The one plain-text rule: a ValidationError naming the first character that is not text.

    Every text field of Story and Revision runs it in full_clean(), so the admin, the
    importer and publish() refuse the same characters with the same message.
    """
    found = isinstance(value, str) and NOT_TEXT.search(value)
    if found:
        raise ValidationError(
            "Contains the control character %(char)s at position %(position)s: only plain "
            "text can be archived.",
            code="not_plain_text",
            params={"char": f"U+{ord(found[0]):04X}", "position": found.start() + 1},
        )


def refuse_control_characters(fields):
    """Raise ValidationError for each of `fields` (name: value) that is not text, with the
    message of validate_plain_text, which the models' full_clean() already runs."""
    errors = {}
    for name, value in fields.items():
        try:
            validate_plain_text(value)
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)


class PlainTextField(forms.CharField):
    """A text field held to the plain-text rule as typed, before it is trimmed: Python
    counts U+0085 and U+001C–U+001F as white space, so trimming or joining lines would
    drop them quietly, and Django's own NUL check says something else."""

    def to_python(self, value):
        validate_plain_text(value)
        return super().to_python(value)
