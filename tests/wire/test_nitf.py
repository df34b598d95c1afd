"""NITF 3.x documents read into WireStory and WireKill; no database."""

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.wire import formats, nitf
from articles.wire.errors import WireFormatError
from articles.wire.stories import WireKill

SAMPLES = Path(__file__).parent / "transmissions" / "nitf"


def sample(name):
    return (SAMPLES / name).read_text()


def test_document_elements_are_read():
    story = nitf.parse(sample("quake-2-1stld.xml"))
    assert story.headline == "Quake in Chile damages homes, cuts power"  # hedline/hl1
    assert story.byline == "By EVA VERGARA, Associated Press"  # byline and byttl
    assert story.distributor == "The Associated Press"
    assert story.doc_id == "b7c1e2f0a2"
    assert (story.keyword, story.thread_key, story.version) == ("LT--Chile-Quake", "chilequake", 1)
    assert story.editors_note == "Updates with damage, aftershocks. With table."  # ed-msg
    assert story.wire_time == datetime(2025, 6, 17, 5, 10, tzinfo=timezone(timedelta(hours=-4)))
    (version,) = story.versions
    assert (version.dateline_place, version.agency) == ("SANTIAGO, Chile", "AP")
    assert version.paragraphs == (
        "A magnitude 6.4 earthquake damaged homes and cut power to thousands in central Chile "
        "on Tuesday.",
        "Aftershocks were felt through the morning:",
        "Time\tMagnitude\n4:52 AM\t4.1\n5:03 AM\t3.8",  # the table, as rows of cells
    )


def test_dateline_is_made_from_location_and_distributor_when_the_text_has_none():
    story = nitf.parse(sample("quake-1-original.xml"))
    assert (story.versions[0].dateline_place, story.versions[0].agency) == ("SANTIAGO, Chile", "AP")
    assert story.wire_time == datetime(2025, 6, 17, 8, 31, tzinfo=UTC)  # date.issue, basic form


def test_document_in_the_iptc_namespace_is_read_as_one_without():
    text = sample("wildfire-iptc-namespace.xml")
    prefixed = text.replace("<nitf xmlns=", "<n:nitf xmlns:n=").replace("</nitf>", "</n:nitf>")
    prefixed = re.sub(r"<(/?)(?!\?|n:)([\w.]+)", r"<\1n:\2", prefixed)

    for document in (text, prefixed):
        assert formats.detect(document) == formats.NITF
        story = nitf.parse(document)
        assert (story.headline, story.thread_key) == (
            "Wildfire forces evacuations near Athens",
            "greecewildfire",
        )
        assert story.byline == "By DEREK GATOPOULOS, Associated Press"
        assert (story.doc_id, story.editors_note) == ("c41d90e7f3", "With AP Photos.")
        assert story.versions[0].dateline_place == "ATHENS, Greece"
        assert story.versions[0].paragraphs[1].startswith("Firefighters were battling")


def test_nitf_in_another_namespace_is_refused():
    text = sample("wildfire-iptc-namespace.xml").replace("iptc.org/std/NITF", "example.com/x")
    with pytest.raises(WireFormatError, match="not <nitf>"):
        nitf.parse(text)


def test_canceled_document_is_a_kill_and_release_date_an_embargo():
    kill = nitf.parse(sample("quake-kill.xml"))
    assert isinstance(kill, WireKill)
    assert kill.reason == "The story is withdrawn: the quake's magnitude was misreported."
    assert nitf.parse(sample("embargoed.xml")).embargo == datetime(2025, 6, 19, 21, tzinfo=UTC)


def test_entities_and_malformed_documents_are_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<nitf><body/></nitf>"
    )
    external = (
        '<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<nitf>&x;</nitf>"
    )
    good = sample("quake-2-1stld.xml")
    cases = {
        "billion laughs": (laughs, "declares entities"),
        "external entity": (external, "declares entities"),
        "not well-formed": (good.replace("</nitf>", ""), "not well-formed"),
        "no headline": (good.replace("<hl1>", "<hl2>").replace("</hl1>", "</hl2>"), "headline"),
        "no date": (good.replace("date.issue", "date.other"), "date.issue"),
        "bad date": (good.replace("2025-06-17T05:10", "2025-13-17T05:10"), "ISO 8601"),
        "no paragraph": (
            good.replace("<p>", "<x>")
            .replace("</p>", "</x>")
            .replace("<table>", "<x>")
            .replace("</table>", "</x>"),
            "no paragraph",
        ),
    }
    for name, (text, message) in cases.items():
        with pytest.raises(WireFormatError) as refused:
            nitf.parse(text)
        assert message in str(refused.value), name


def test_format_is_told_by_content():
    anpa_sample = Path(__file__).parent / "transmissions" / "anpa" / "alert.anpa"
    assert formats.detect_bytes(anpa_sample.read_bytes()) == formats.ANPA
    assert formats.detect_bytes(sample("quake-kill.xml").encode()) == formats.NITF
    assert formats.detect_bytes(b"Storm hits\n\nJun 17, 2025 | 4:31 AM\n") == formats.PLAIN_TEXT
