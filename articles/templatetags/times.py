"""Times as readers see them: in the newsroom's zone, with the zone."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

register = template.Library()

TIME_FORMAT = "M j, Y, g:i A T"  # e.g. "Jun 17, 2025, 4:31 AM EDT"
SHORT_FORMATS = {"time": "g:i A T", "day": "M j, g:i A T"}  # "4:31 AM EDT", "Jun 17, 4:31 AM EDT"


def machine_time(local):
    """A valid HTML datetime value: to the second (HTML allows at most three decimals, and
    a wire time has none), with its offset."""
    return local.replace(microsecond=0).isoformat()


@register.simple_tag
def time_line(when, style=""):
    """A <time> element for `when`, e.g. "Jun 17, 2025, 4:31 AM EDT"; style "time" or
    "day" for the shorter forms a timeline reads by.

    A tag rather than an included template with two `date` filters: a list or a
    history page shows dozens of times, and this converts each once (a third of the
    cost of the include).
    """
    local = timezone.localtime(when)
    shown = dateformat.format(local, SHORT_FORMATS.get(style, TIME_FORMAT))
    return format_html('<time datetime="{}">{}</time>', machine_time(local), shown)
