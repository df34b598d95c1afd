"""The wire's time line, read and written: the wire's own "Updated Jun 17, 2025 | 4:31 AM EDT"
and apnews.com's "Updated 9:12 PM PDT, August 2, 2025" (read only; written in the wire's)."""

import re
from datetime import datetime, timedelta, timezone

from articles.wire.errors import WireFormatError

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# Zone abbreviations the wire uses, each with the one offset it stands for. Ambiguous
# ones (IST, CST in China, ...) are not here: a time line naming them is refused.
ZONES = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "JST": 9,
        "KST": 9,
    }.items()
}

TIME_LINE = re.compile(
    r"(?:(?P<updated>Updated):?\s+)?"
    r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})\s+\|\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?:\s*(?P<meridiem>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s+(?P<zone>[A-Za-z]+))?"
)
# apnews.com puts the clock first: "Updated 9:12 PM PDT, August 2, 2025".
CLOCK_FIRST_TIME_LINE = re.compile(
    r"(?:(?P<updated>Updated):?\s+)?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?:\s*(?P<meridiem>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s+(?P<zone>[A-Za-z]+))?,\s+"
    r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"
)
# Anything with a date and a bar, or a clock, a comma and a date, is meant as a time line,
# even when it is not a valid one.
TIME_LINE_LIKE = re.compile(
    r"(?:Updated:?\s+)?(?:[A-Za-z]+\.?\s+\d{1,2},\s+\d{4}\s+\|"
    r"|\d{1,2}:\d{2}[^,\n]{0,12},\s+[A-Za-z]+\.?\s+\d{1,2},\s+\d{4})"
)


def is_updated(text: str) -> bool:
    """Whether the time line `text` (one that parses) says "Updated"."""
    return text.startswith("Updated")


def parse_time_line(text: str, line: int | None = None) -> datetime:
    """Read "Jun 17, 2025 | 4:31 AM" (naive) or "Jun 17, 2025 | 4:31 PM EDT" (aware), or
    apnews.com's "4:31 AM EDT, June 17, 2025", with or without "Updated" before either."""
    match = TIME_LINE.fullmatch(text) or CLOCK_FIRST_TIME_LINE.fullmatch(text)
    if not match:
        raise WireFormatError(
            f"cannot read the time line “{text}”; expected e.g. “Jun 17, 2025 | 4:31 AM EDT” "
            "or “4:31 AM EDT, June 17, 2025”",
            line,
        )
    month = MONTHS.get(match["month"].lower())
    if not month:
        raise WireFormatError(f"the time line “{text}” has no month “{match['month']}”", line)
    if not match["meridiem"]:
        raise WireFormatError(f"the time line “{text}” has no AM or PM", line)
    hour, minute = int(match["hour"]), int(match["minute"])
    if not 1 <= hour <= 12:
        raise WireFormatError(f"the time line “{text}” has no hour {hour} on a 12-hour clock", line)
    if minute > 59:
        raise WireFormatError(f"the time line “{text}” has no minute {minute}", line)
    zone = None
    if match["zone"]:
        zone = ZONES.get(match["zone"].upper())
        if zone is None:
            raise WireFormatError(
                f"the time line “{text}” names a time zone “{match['zone']}” we do not know; "
                f"known: {', '.join(ZONES)}",
                line,
            )
    # 12 AM is just after midnight, 12 PM is noon.
    hour = hour % 12 + (12 if match["meridiem"][0] in "Pp" else 0)
    try:
        return datetime(int(match["year"]), month, int(match["day"]), hour, minute, tzinfo=zone)
    except ValueError as exc:
        raise WireFormatError(f"the time line “{text}” is not a real time: {exc}", line) from None


def format_time_line(when: datetime, *, updated: bool = False) -> str:
    """The time line for `when`: naive without a zone, aware with its zone's abbreviation.

    An aware time whose zone has no abbreviation we read back (or one that would read
    back as another offset) is written in UTC.
    """
    zone = ""
    if when.tzinfo is not None:
        name = when.tzname()
        if name not in ZONES or ZONES[name].utcoffset(None) != when.utcoffset():
            when, name = when.astimezone(ZONES["UTC"]), "UTC"
        zone = f" {name}"
    hour = when.hour % 12 or 12
    meridiem = "PM" if when.hour >= 12 else "AM"
    prefix = "Updated " if updated else ""
    return (
        f"{prefix}{MONTH_ABBREVIATIONS[when.month - 1]} {when.day}, {when.year}"
        f" | {hour}:{when.minute:02d} {meridiem}{zone}"
    )


EMBARGO = re.compile(r"Embargoed (?:until|for release at|for)\s+", re.IGNORECASE)


def embargo_time(note: str) -> datetime | None:
    """The time an "Embargoed until ..." editor's note names (a time line of either
    shape), or None; a note that says "Embargoed" without a time we can read is refused."""
    match = EMBARGO.search(note)
    if not match:
        return None
    rest = note[match.end() :]
    when = TIME_LINE.match(rest) or CLOCK_FIRST_TIME_LINE.match(rest)
    if not when:
        raise WireFormatError(
            f"cannot read the embargo time in “{note}”: expected e.g. "
            "“Embargoed until 12:01 AM EDT, Aug. 3, 2025”"
        )
    return parse_time_line(when.group(0))
