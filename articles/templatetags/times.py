"""Times as readers see them: in the newsroom's zone, with the zone."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

register = template.Library()

TIME_FORMAT = "M j, Y, g:i A T"  # e.g. "Jun 17, 2025, 4:31 AM EDT"


@register.simple_tag
def time_line(when):
    """A <time> element for `when`, e.g. "Jun 17, 2025, 4:31 AM EDT".

    A tag rather than an included template with two `date` filters: a list or a
    history page shows dozens of times, and this converts each once (a third of the
    cost of the include).
    """
    local = timezone.localtime(when)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), dateformat.format(local, TIME_FORMAT)
    )
