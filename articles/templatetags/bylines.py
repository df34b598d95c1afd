"""Bylines as the wire writes them, kept whole on a phone."""

import re

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

# Where a line break may fall in "By CHARLES ODUM and JANE DOE, AP Sports Writer": after
# a comma or around "and", never inside a name or a title.
BREAKS = re.compile(r"(, | and )")


@register.simple_tag
def byline(text):
    """The byline in a <bdi> (its text is the wire's or an editor's, whatever its direction),
    each name or title unbreakable: "By" names people, anything else is an agency's credit."""
    if not text:
        return ""
    kind = "byline" if text.startswith("By ") else "byline credit"
    parts = BREAKS.split(text)
    words = format_html_join(
        "",
        "{}",
        (
            (format_html('<span class="nobreak">{}</span>', part) if i % 2 == 0 else part,)
            for i, part in enumerate(parts)
        ),
    )
    return format_html('<bdi class="{}">{}</bdi>', kind, words)
