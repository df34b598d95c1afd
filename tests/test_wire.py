"""The wire parser: plain text in, a WireStory out, no database."""

from datetime import datetime

import pytest

from articles import wire
from tests.helpers import BREAKING_NOTE

SEOUL = "SEOUL, South Korea (AP) — "
TIME_LINE = "Jun 17, 2025 | 4:31 AM"


def wire_text(*blocks):
    """A wire file: one block per paragraph, separated by a blank line."""
    return "\n\n".join(blocks) + "\n"


def without_dateline(paragraph):
    assert paragraph.startswith(SEOUL)
    return paragraph[len(SEOUL) :]


@pytest.fixture
def seed(seed_text):
    return wire.parse(seed_text)


def test_seed_parses_into_earlier_story_then_breaking_top(seed):
    earlier, top = seed.versions
    assert (len(earlier.paragraphs), len(top.paragraphs)) == (5, 4)
    assert earlier.editors_note == ""
    assert top.editors_note == BREAKING_NOTE


def test_seed_paragraphs_keep_their_text_character_for_character(seed, seed_parts):
    earlier, top = seed.versions
    first, *rest = seed_parts.earlier
    assert earlier.paragraphs == (without_dateline(first), *rest)
    first, *rest = seed_parts.top
    assert top.paragraphs == (without_dateline(first), *rest)


def test_seed_dateline_is_taken_off_each_version(seed):
    for version in seed.versions:
        assert (version.dateline_place, version.agency) == ("SEOUL, South Korea", "AP")


def test_seed_headline_time_and_closing_byline(seed):
    assert seed.headline == (
        "North Korea to send thousands of military construction workers and deminers to Russia"
    )
    assert seed.published_at == datetime(2025, 6, 17, 4, 31)
    assert seed.published_at.tzinfo is None
    assert seed.byline == "The Associated Press"


def test_file_without_time_line_has_no_time():
    story = wire.parse(wire_text("Storm hits coast", "MIAMI (AP) — The storm hit."))
    assert story.published_at is None


def test_byline_right_after_time_line():
    story = wire.parse(
        wire_text("Storm hits coast", TIME_LINE, "By JANE DOE", "MIAMI (AP) — The storm hit.")
    )
    assert story.byline == "By JANE DOE"
    assert story.versions[0].paragraphs == ("The storm hit.",)


def test_closing_paragraph_starting_with_by_stays_story_text():
    story = wire.parse(
        wire_text("Storm hits coast", "MIAMI (AP) — The storm hit.", "By Friday, it had passed.")
    )
    assert story.byline == ""
    assert story.versions[0].paragraphs == ("The storm hit.", "By Friday, it had passed.")


def test_stacked_notes_give_one_version_each_with_its_own_note():
    later_note = "THIS IS A BREAKING NEWS UPDATE. An earlier version follows below."
    story = wire.parse(
        wire_text(
            "Storm hits coast",
            "MIAMI (AP) — Third.",
            later_note,
            "MIAMI (AP) — Second.",
            BREAKING_NOTE,
            "MIAMI (AP) — First.",
        )
    )
    assert [version.paragraphs for version in story.versions] == [
        ("First.",),
        ("Second.",),
        ("Third.",),
    ]
    assert [version.editors_note for version in story.versions] == ["", BREAKING_NOTE, later_note]


def test_paragraph_without_dateline_is_kept_whole():
    paragraph = "No dateline here — just text (really)."
    (version,) = wire.parse(wire_text("Storm hits coast", paragraph)).versions
    assert version.paragraphs == (paragraph,)
    assert (version.dateline_place, version.agency) == ("", "")


@pytest.mark.parametrize("dash", ["–", "-", "--"])
def test_dateline_without_the_em_dash_is_kept_in_the_text(dash):
    # The page prints datelines with an em dash; any other dash stays as sent.
    paragraph = f"MIAMI (AP) {dash} The storm hit."
    (version,) = wire.parse(wire_text("Storm hits coast", paragraph)).versions
    assert version.paragraphs == (paragraph,)
    assert version.dateline_place == ""


def test_crlf_line_endings_and_byte_order_mark_are_handled():
    text = "\ufeff" + wire_text("Storm hits coast", TIME_LINE, "MIAMI (AP) — One.", "Two.")
    text = text.replace("\n", "\r\n")
    story = wire.parse(text)
    assert story.headline == "Storm hits coast"
    assert story.published_at == datetime(2025, 6, 17, 4, 31)
    assert story.versions[0].paragraphs == ("One.", "Two.")


def test_hard_wrapped_paragraph_lines_join_with_a_space():
    story = wire.parse("Storm hits coast\n\nMIAMI (AP) — The storm\nhit the coast\non Tuesday.\n")
    assert story.versions[0].paragraphs == ("The storm hit the coast on Tuesday.",)


@pytest.mark.parametrize(
    "text, line, message",
    [
        pytest.param("", None, "no text", id="empty file"),
        pytest.param(" \n\t\n\n  \n", None, "no text", id="whitespace only"),
        pytest.param("Storm hits coast\n", 1, "no text", id="headline only"),
        pytest.param(
            wire_text("Storm hits coast", BREAKING_NOTE, "MIAMI (AP) — Earlier."),
            3,
            "no new text above",
            id="note with nothing above",
        ),
        pytest.param(
            wire_text("Storm hits coast", "MIAMI (AP) — New top.", BREAKING_NOTE),
            5,
            "no earlier story below",
            id="note with nothing below",
        ),
        pytest.param(
            wire_text("Storm hits coast", "Jun 31, 2025 | 4:31 AM", "MIAMI (AP) — Text."),
            3,
            "not a real time",
            id="no such day",
        ),
        pytest.param(
            wire_text("Storm hits coast", "Jun 17, 2025 | 13:31 PM", "MIAMI (AP) — Text."),
            3,
            "12-hour clock",
            id="no such hour",
        ),
        pytest.param(
            wire_text("Storm " * 60, "MIAMI (AP) — Text."), 1, "at most 300", id="headline too long"
        ),
        pytest.param(
            wire_text("MIAMI (AP) — The storm hit.", "More text."),
            1,
            "must be the headline",
            id="starts with a dateline",
        ),
        pytest.param(
            "Storm hits\ncoast\n\nMIAMI (AP) — Text.\n",
            1,
            "headline must be one line",
            id="multi-line headline",
        ),
    ],
)
def test_malformed_file_is_refused_with_line_and_reason(text, line, message):
    with pytest.raises(wire.WireFormatError, match=message) as caught:
        wire.parse(text)
    assert caught.value.line == line
