"""ANPA-1312 transmissions read into WireStory and WireKill; no database."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.wire import anpa
from articles.wire.errors import WireFormatError
from articles.wire.stories import WireKill
from articles.wire.timelines import ZONES

SAMPLES = Path(__file__).parent / "transmissions" / "anpa"


def sample(name):
    return (SAMPLES / name).read_bytes().decode("utf-8")


def test_transmission_header_headings_body_and_trailer_are_read():
    story = anpa.parse(sample("lobster-1-1stld.anpa"))
    assert (story.priority, story.category) == ("u", "a")
    assert story.keyword == "BC-US--Giant Lobster Death"
    assert story.thread_key == "giantlobsterdeath"
    assert (story.version, story.version_label, story.updated) == (1, "1st Ld-Writethru", True)
    assert story.headline == "Giant lobster dies at Georgia aquarium, staff mourn"
    assert story.editors_note == "Updates with aquarium statement. With AP Photos."
    assert story.photos == ("AP Photo GAJO101",)
    assert story.byline == "By CHARLES ODUM, AP Sports Writer"
    assert story.wire_time == datetime(2016, 8, 29, 16, 26, tzinfo=UTC)  # the trailer, GMT
    (version,) = story.versions
    assert (version.dateline_place, version.agency) == ("ATLANTA", "AP")  # "ATLANTA (AP) _"
    assert version.paragraphs == (
        "A 20-pound lobster that had lived at the Georgia Aquarium for a decade died Monday, "
        "the aquarium said.",
        "“He was a favorite of every child who visited,” said keeper Ann Lee — who fed him "
        "for six years.",
        "The aquarium said it would hold a small memorial on Friday.",
    )


def test_first_transmission_is_version_zero_and_later_leads_count_up():
    versions = [
        anpa.parse(sample(name)).version
        for name in ["lobster-0-original.anpa", "lobster-1-1stld.anpa", "lobster-2-2ndld.anpa"]
    ]
    assert versions == [0, 1, 2]


def test_agate_rows_are_kept_as_one_table():
    (version,) = anpa.parse(sample("standings.anpa")).versions
    assert (
        version.paragraphs[1] == "Team\tW\tL\tPct\nToronto\t74\t56\t.569\nBaltimore\t72\t58\t.554"
    )
    assert version.paragraphs[2] == "Standings are compiled by the league office."


def test_news_alert_is_one_paragraph_sent_at_bulletin_priority():
    story = anpa.parse(sample("alert.anpa"))
    assert story.priority == "b"
    assert len(story.versions[0].paragraphs) == 1
    assert story.headline == "The Senate passes the budget bill 51-49, sending it to the president"


def test_kill_is_an_order_to_withdraw_the_keyword():
    kill = anpa.parse(sample("lobster-3-kill.anpa"))
    assert isinstance(kill, WireKill)
    assert kill.thread_key == "giantlobsterdeath"
    assert kill.reason.startswith("The Associated Press has withdrawn the story")


def test_embargo_in_the_eds_note_is_read():
    story = anpa.parse(sample("embargoed.anpa"))
    assert story.embargo == datetime(2016, 8, 31, 17, 0, tzinfo=ZONES["EDT"])


def test_malformed_transmissions_are_refused_with_what_is_wrong():
    good = sample("lobster-0-original.anpa")
    header_end = good.index("\x02")
    cases = {
        "no ETX": (good.replace("\x03", ""), "no ETX"),
        "truncated header": (good[:20], "header is truncated"),
        "unreadable header": (
            good.replace(" r a\x13", " ra\x13").replace("r a\x13", "ra\x13"),
            "cannot read the header",
        ),
        "keyword with no story": (
            good[: header_end + 1]
            + "^BC-US--Giant Lobster Death,0180<\r\n\x03AP-WF-08-29-16 1402GMT\x04",
            "comes with no story",
        ),
        "bad trailer date": (good.replace("08-29-16 1402GMT", "13-45-16 1402GMT"), "no real date"),
        "unreadable trailer": (good.replace("1402GMT", "14:02"), "cannot read the trailer"),
        "no EOT": (good.replace("\x04", ""), "EOT"),
        "not ANPA": ("Headline\n\nJun 17, 2025 | 4:31 AM\n", "SYN SYN SOH"),
        "unreadable embargo": (
            good.replace("By CHARLES", "Eds: Embargoed until Friday<\r\n^By CHARLES"),
            "embargo time",
        ),
    }
    for name, (text, message) in cases.items():
        with pytest.raises(WireFormatError) as refused:
            anpa.parse(text)
        assert message in str(refused.value), name
