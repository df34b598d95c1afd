"""The wire's zoneless time line, read in the newsroom's zone (settings.TIME_ZONE)."""

from datetime import UTC

from django.utils import timezone

from articles.wire.plaintext import WireFormatError
from articles.wire.timelines import format_time_line


def newsroom_time(naive, line=None):
    """The wire's zoneless time line, read in the newsroom's zone.

    Where the clocks skipped the time, or passed it twice, the wire cannot have meant
    one reading more than the other: refused, rather than guessed.
    """
    zone = timezone.get_current_timezone()
    earlier, later = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    stated = f"the time line {format_time_line(naive)}"
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise WireFormatError(f"{stated} does not exist in {zone}: the clocks skipped it", line)
    raise WireFormatError(
        f"{stated} happened twice in {zone} as the clocks went back; "
        f"add the zone, e.g. “{earlier.tzname()}” or “{later.tzname()}”",
        line,
    )


def aware(when, line=None):
    """`when` as it is when aware, else read in the newsroom's zone."""
    return when if timezone.is_aware(when) else newsroom_time(when, line)
