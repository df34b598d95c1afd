"""The wire's time line, read and written; no database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from articles.wire import timelines

# Time lines across the clock and the calendar


@pytest.mark.parametrize(
    "clock, hour, minute",
    [
        ("12:00 AM", 0, 0),  # midnight
        ("12:05 AM", 0, 5),  # just after midnight
        ("1:00 AM", 1, 0),
        ("4:31 AM", 4, 31),
        ("9:59 AM", 9, 59),
        ("11:59 AM", 11, 59),
        ("12:00 PM", 12, 0),  # noon
        ("12:30 PM", 12, 30),
        ("1:00 PM", 13, 0),
        ("1:05 PM", 13, 5),
        ("4:31 PM", 16, 31),
        ("10:15 PM", 22, 15),
        ("11:59 PM", 23, 59),
        ("04:31 AM", 4, 31),
        ("4:31 a.m.", 4, 31),
        ("4:31 p.m.", 16, 31),
        ("4:31 pm", 16, 31),
        ("4:31PM", 16, 31),
    ],
)
def test_time_line_hours_on_the_twelve_hour_clock(clock, hour, minute):
    assert timelines.parse_time_line(f"Jun 17, 2025 | {clock}") == datetime(
        2025, 6, 17, hour, minute
    )


MONTH_NAMES = [
    (1, ["Jan", "Jan.", "January"]),
    (2, ["Feb", "Feb.", "February"]),
    (3, ["Mar", "Mar.", "March"]),
    (4, ["Apr", "Apr.", "April"]),
    (5, ["May"]),
    (6, ["Jun", "Jun.", "June"]),
    (7, ["Jul", "Jul.", "July"]),
    (8, ["Aug", "Aug.", "August"]),
    (9, ["Sep", "Sep.", "Sept", "Sept.", "September"]),
    (10, ["Oct", "Oct.", "October"]),
    (11, ["Nov", "Nov.", "November"]),
    (12, ["Dec", "Dec.", "December"]),
]


@pytest.mark.parametrize(
    "name, month", [(name, month) for month, names in MONTH_NAMES for name in names]
)
def test_time_line_month_abbreviated_or_in_full(name, month):
    assert timelines.parse_time_line(f"{name} 9, 2024 | 4:31 PM") == datetime(
        2024, month, 9, 16, 31
    )


@pytest.mark.parametrize("name", ["JUNE", "june", "SEPT."])
def test_time_line_month_in_any_case(name):
    assert timelines.parse_time_line(f"{name} 1, 2025 | 4:31 AM").month in (6, 9)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Jan 1, 2025 | 12:00 AM", datetime(2025, 1, 1, 0, 0)),
        ("Dec 31, 2025 | 11:59 PM", datetime(2025, 12, 31, 23, 59)),
        ("Feb 29, 2024 | 6:00 AM", datetime(2024, 2, 29, 6, 0)),  # a leap day
        ("Sept. 30, 2025 | 7:45 PM", datetime(2025, 9, 30, 19, 45)),
        ("June 1, 2025 | 1:01 PM", datetime(2025, 6, 1, 13, 1)),
    ],
)
def test_time_line_calendar_edges(line, expected):
    assert timelines.parse_time_line(line) == expected


# Each zone the wire may name, and its offset from UTC in hours.
ZONE_OFFSETS = [
    ("UTC", 0),
    ("GMT", 0),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
    ("AKST", -9),
    ("AKDT", -8),
    ("HST", -10),
    ("BST", 1),
    ("CET", 1),
    ("CEST", 2),
    ("EET", 2),
    ("EEST", 3),
    ("MSK", 3),
    ("JST", 9),
    ("KST", 9),
]


@pytest.mark.parametrize("zone, offset", ZONE_OFFSETS)
def test_time_line_zone_is_honoured(zone, offset):
    when = timelines.parse_time_line(f"Jun 17, 2025 | 4:31 PM {zone}")

    assert when.tzname() == zone
    assert when == datetime(2025, 6, 17, 16, 31, tzinfo=UTC) - timedelta(hours=offset)


def test_every_known_zone_is_pinned():
    assert set(timelines.ZONES) == {zone for zone, _ in ZONE_OFFSETS}


def test_time_line_in_utc_is_not_read_as_newsroom_time():
    assert timelines.parse_time_line("Jun 17, 2025 | 4:31 AM UTC") == datetime(
        2025, 6, 17, 4, 31, tzinfo=UTC
    )


def test_time_line_zone_in_lower_case_is_honoured():
    assert timelines.parse_time_line("Jun 17, 2025 | 4:31 AM edt").utcoffset() == timedelta(
        hours=-4
    )


def test_time_lines_across_the_spring_daylight_saving_change():
    # New York's clocks went from 2:00 EST to 3:00 EDT on March 9, 2025.
    before = timelines.parse_time_line("Mar 9, 2025 | 1:59 AM EST")
    after = timelines.parse_time_line("Mar 9, 2025 | 3:00 AM EDT")

    assert before == datetime(2025, 3, 9, 6, 59, tzinfo=UTC)
    assert after - before == timedelta(minutes=1)


def test_time_lines_across_the_autumn_daylight_saving_change():
    # 1:30 AM happened twice in New York on November 2, 2025; the zone tells which.
    first = timelines.parse_time_line("Nov 2, 2025 | 1:30 AM EDT")
    second = timelines.parse_time_line("Nov 2, 2025 | 1:30 AM EST")

    assert first == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    assert second - first == timedelta(hours=1)


def test_time_line_without_a_zone_is_naive():
    assert timelines.parse_time_line("Jun 17, 2025 | 4:31 AM").tzinfo is None


# Writing a time line


def test_time_line_written_without_a_zone_when_naive():
    assert timelines.format_time_line(datetime(2025, 6, 17, 16, 5)) == "Jun 17, 2025 | 4:05 PM"


@pytest.mark.parametrize(
    "when, line",
    [
        (datetime(2025, 6, 17, 0, 5), "Jun 17, 2025 | 12:05 AM"),
        (datetime(2025, 6, 17, 12, 0), "Jun 17, 2025 | 12:00 PM"),
        (datetime(2025, 9, 1, 13, 0), "Sep 1, 2025 | 1:00 PM"),
        (datetime(2025, 12, 31, 23, 59), "Dec 31, 2025 | 11:59 PM"),
    ],
)
def test_time_line_written_on_the_twelve_hour_clock(when, line):
    assert timelines.format_time_line(when) == line
    assert timelines.parse_time_line(line) == when


@pytest.mark.parametrize(
    "when, line",
    [
        (datetime(2025, 6, 17, 8, 31, tzinfo=UTC), "Jun 17, 2025 | 4:31 AM EDT"),
        (datetime(2025, 1, 17, 9, 31, tzinfo=UTC), "Jan 17, 2025 | 4:31 AM EST"),
    ],
)
def test_time_line_written_in_the_newsroom_zone_with_its_abbreviation(when, line):
    local = when.astimezone(ZoneInfo("America/New_York"))

    assert timelines.format_time_line(local) == line
    assert timelines.parse_time_line(line) == when


def test_time_line_in_a_zone_without_a_known_abbreviation_is_written_in_utc():
    when = datetime(2025, 6, 17, 8, 31, tzinfo=UTC).astimezone(ZoneInfo("Australia/Sydney"))

    assert timelines.format_time_line(when) == "Jun 17, 2025 | 8:31 AM UTC"


def test_time_line_written_as_updated():
    assert timelines.format_time_line(datetime(2025, 6, 17, 4, 31), updated=True) == (
        "Updated Jun 17, 2025 | 4:31 AM"
    )


# apnews.com's time line: the clock first, then the date


def test_apnews_time_line_reads_like_the_wires_own():
    pdt, edt = timelines.ZONES["PDT"], timelines.ZONES["EDT"]
    expected = {
        "Updated 9:12 PM PDT, August 2, 2025": datetime(2025, 8, 2, 21, 12, tzinfo=pdt),
        "4:31 AM EDT, June 17, 2025": datetime(2025, 6, 17, 4, 31, tzinfo=edt),
        "Updated: 12:05 a.m. EDT, Sept. 1, 2025": datetime(2025, 9, 1, 0, 5, tzinfo=edt),
        "4:31 AM, Jun 17, 2025": datetime(2025, 6, 17, 4, 31),
    }
    for line, when in expected.items():
        parsed = timelines.parse_time_line(line)
        assert (parsed, parsed.utcoffset()) == (when, when.utcoffset()), line
        assert timelines.TIME_LINE_LIKE.match(line), line
    assert timelines.is_updated("Updated 9:12 PM PDT, August 2, 2025")
    assert not timelines.is_updated("4:31 AM EDT, June 17, 2025")


def test_apnews_time_line_refuses_what_the_wires_own_refuses():
    for line, reason in [
        ("9:12 PM PDT, Augtober 2, 2025", "no month"),
        ("13:12 PM PDT, August 2, 2025", "no hour 13"),
        ("9:12 PDT, August 2, 2025", "no AM or PM"),
        ("9:12 PM XYZ, August 2, 2025", "time zone “XYZ”"),
        ("9:12 PM PDT, February 30, 2025", "not a real time"),
    ]:
        with pytest.raises(timelines.WireFormatError, match=reason):
            timelines.parse_time_line(line)
