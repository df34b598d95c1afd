"""The wire format: plain text in, a WireStory out, and back again; no database."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.wire import plaintext as wire
from articles.wire.timelines import ZONES
from tests.helpers import BREAKING_NOTE

SEOUL = "SEOUL, South Korea (AP) — "
TIME_LINE = "Jun 17, 2025 | 4:31 AM"
HEADLINE = "Storm hits coast"


def wire_text(*blocks):
    """A wire file: one block per paragraph, separated by a blank line."""
    return "\n\n".join(blocks) + "\n"


def story_text(*paragraphs, headline=HEADLINE, time_line=TIME_LINE):
    """A wire file with a headline and a time line over `paragraphs`."""
    return wire_text(headline, time_line, *paragraphs)


def parse_one(*paragraphs, **kwargs):
    """Parse a one-version story; return the story and its version."""
    story = wire.parse(story_text(*paragraphs, **kwargs))
    (version,) = story.versions
    return story, version


def refused(text):
    """The error parse() raises for `text`."""
    with pytest.raises(wire.WireFormatError) as caught:
        wire.parse(text)
    return caught.value


def without_dateline(paragraph):
    assert paragraph.startswith(SEOUL)
    return paragraph[len(SEOUL) :]


# The seed


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
    assert seed.wire_time == datetime(2025, 6, 17, 4, 31)
    assert seed.wire_time.tzinfo is None
    assert seed.byline == "The Associated Press"
    assert (seed.contributors, seed.correction, seed.updated) == ((), "", False)


def test_seed_is_written_back_as_it_was_sent(seed, seed_text):
    assert wire.format_story(seed) == seed_text.rstrip("\n") + "\n"


# The time line in a file (tests/wire/test_timelines.py reads and writes it alone)


@pytest.mark.parametrize("prefix", ["Updated ", "Updated: "])
def test_updated_time_line(prefix):
    story = wire.parse(story_text("MIAMI (AP) — Text.", time_line=f"{prefix}{TIME_LINE} EDT"))

    assert story.updated is True
    assert story.wire_time == datetime(2025, 6, 17, 8, 31, tzinfo=UTC)


def test_time_line_without_updated():
    assert wire.parse(story_text("MIAMI (AP) — Text.")).updated is False


@pytest.mark.parametrize(
    "line, message",
    [
        ("Jun 17, 2025 | 4:31", "no AM or PM"),
        ("Jun 17, 2025 | 16:31", "no AM or PM"),
        ("Jun 17, 2025 | 4:31 EDT", "no AM or PM"),
        ("Jun 17, 2025 | 13:31 PM", "no hour 13 on a 12-hour clock"),
        ("Jun 17, 2025 | 0:31 AM", "no hour 0 on a 12-hour clock"),
        ("Jun 17, 2025 | 4:60 AM", "no minute 60"),
        ("Foo 17, 2025 | 4:31 AM", "no month “Foo”"),
        ("Ju 17, 2025 | 4:31 AM", "no month “Ju”"),
        ("Jun 31, 2025 | 4:31 AM", "not a real time"),
        ("Feb 29, 2025 | 4:31 AM", "not a real time"),
        ("Jun 0, 2025 | 4:31 AM", "not a real time"),
        ("Jun 17, 2025 | 4:31 AM XYZ", "time zone “XYZ” we do not know"),
        ("Jun 17, 2025 | 4:31 AM IST", "time zone “IST” we do not know"),
        ("Jun 17, 2025 | 4:31 AM EDT today", "cannot read the time line"),
        ("Jun 17, 2025 | 4.31 AM", "cannot read the time line"),
        ("Jun 17, 2025 | 4:3 AM", "cannot read the time line"),
        ("Jun 17, 2025 |", "cannot read the time line"),
    ],
)
def test_line_that_looks_like_a_time_line_but_is_not_valid_is_refused(line, message):
    error = refused(story_text("MIAMI (AP) — Text.", time_line=line))

    assert message in error.message
    assert error.line == 3


@pytest.mark.parametrize(
    "line",
    [
        "Jun 17 2025 4:31 AM",
        "June 17, 2025, 4:31 AM",
        "2025-06-17 04:31",
        "Tuesday",
        "Revised Jun 17, 2025 | 4:31 AM",
    ],
)
def test_time_line_in_another_shape_is_refused_as_missing(line):
    error = refused(story_text("MIAMI (AP) — Text.", time_line=line))

    assert "the time line is missing" in error.message
    assert error.line == 3


def test_file_without_a_time_line_is_refused():
    error = refused(wire_text(HEADLINE, "MIAMI (AP) — The storm hit."))

    assert "the time line is missing" in error.message
    assert "not “MIAMI (AP) — The storm hit.”" in error.message
    assert error.line == 3


def test_time_line_over_two_lines_is_refused():
    error = refused(wire_text(HEADLINE, "Jun 17, 2025 |\n4:31 AM", "MIAMI (AP) — Text."))

    assert "one line" in error.message and error.line == 3


# Datelines


@pytest.mark.parametrize(
    "dateline, place, agency",
    [
        ("WASHINGTON (AP) — ", "WASHINGTON", "AP"),
        ("UNITED NATIONS (AP) — ", "UNITED NATIONS", "AP"),
        ("NEW YORK (AP) — ", "NEW YORK", "AP"),
        ("SÃO PAULO (AP) — ", "SÃO PAULO", "AP"),
        ("ZÜRICH (AP) — ", "ZÜRICH", "AP"),
        ("KYIV, Ukraine (AP) — ", "KYIV, Ukraine", "AP"),
        ("ST. PAUL, Minn. (AP) — ", "ST. PAUL, Minn.", "AP"),
        ("SEOUL, South Korea (AP) — ", "SEOUL, South Korea", "AP"),
        ("WINSTON-SALEM, N.C. (AP) — ", "WINSTON-SALEM, N.C.", "AP"),
        ("O’FALLON, Mo. (AP) — ", "O’FALLON, Mo.", "AP"),
        ("BOGOTÁ, Colombia (AP) — ", "BOGOTÁ, Colombia", "AP"),
        ("LONDON (Reuters) — ", "LONDON", "Reuters"),
        ("PARIS (AFP) — ", "PARIS", "AFP"),
    ],
)
def test_dateline_forms(dateline, place, agency):
    _, version = parse_one(f"{dateline}The storm hit.", "More.")

    assert (version.dateline_place, version.agency) == (place, agency)
    assert version.paragraphs == ("The storm hit.", "More.")


@pytest.mark.parametrize("dash", ["—", "–", "--", "_"])
def test_dateline_dashes(dash):
    _, version = parse_one(f"KYIV, Ukraine (AP) {dash} The storm hit.")

    assert (version.dateline_place, version.agency) == ("KYIV, Ukraine", "AP")
    assert version.paragraphs == ("The storm hit.",)


def test_dateline_em_dash_without_spaces():
    _, version = parse_one("MIAMI (AP)—The storm hit.")

    assert version.paragraphs == ("The storm hit.",)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Miami (AP) — The place is not in capitals.",
        "MIAMI — No agency.",
        "MIAMI (AP) The storm hit, with no dash.",
        "MIAMI (AP) - A hyphen is not a dateline dash.",
        "MIAMI (AP)_No spaces around the underscore.",
        "MIAMI, south Florida (AP) — The region is not capitalised.",
        "MIAMI (AP) —",
        "(AP) — No place.",
        "No dateline here — just text (really).",
    ],
)
def test_first_paragraph_without_a_dateline_is_refused(paragraph):
    error = refused(story_text(paragraph))

    assert "no dateline" in error.message
    assert error.line == 5


def test_later_paragraph_that_looks_like_a_dateline_stays_text():
    _, version = parse_one("MIAMI (AP) — One.", "TAMPA (AP) — Two.")

    assert version.paragraphs == ("One.", "TAMPA (AP) — Two.")


def test_dateline_place_over_the_limit_is_refused():
    error = refused(story_text(f"{'A' * (wire.MAX_PLACE_LENGTH + 1)} (AP) — Text."))

    assert f"at most {wire.MAX_PLACE_LENGTH}" in error.message and error.line == 5


def test_dateline_place_at_the_limit_fits():
    place = "A" * wire.MAX_PLACE_LENGTH
    _, version = parse_one(f"{place} (AP) — Text.")

    assert version.dateline_place == place


def test_dateline_agency_over_the_limit_is_refused():
    error = refused(story_text(f"MIAMI ({'A' * (wire.MAX_AGENCY_LENGTH + 1)}) — Text."))

    assert f"at most {wire.MAX_AGENCY_LENGTH}" in error.message and error.line == 5


def test_dateline_agency_at_the_limit_fits():
    agency = "A" * wire.MAX_AGENCY_LENGTH
    _, version = parse_one(f"MIAMI ({agency}) — Text.")

    assert version.agency == agency


# Bylines and closing lines


@pytest.mark.parametrize(
    "byline",
    [
        "By JANE DOE",
        "By JANE DOE and JOHN ROE",
        "By JANE DOE, Associated Press",
        "By JANE DOE and JOHN ROE, Associated Press",
        "By JOSH BOAK, CHRISTOPHER RUGABER and MATT O’BRIEN",
        "By JOSH BOAK, CHRISTOPHER RUGABER, and MATT O’BRIEN",
        "By Jane Doe",
        "By ÉMILE ZOLA",
        "By JANE DOE of The Associated Press",
    ],
)
def test_byline_right_after_the_time_line(byline):
    story, version = parse_one(byline, "MIAMI (AP) — The storm hit.")

    assert story.byline == byline
    assert version.paragraphs == ("The storm hit.",)


@pytest.mark.parametrize("credit", ["The Associated Press", "Associated Press", "By JANE DOE"])
def test_closing_credit_is_the_byline(credit):
    story, version = parse_one("MIAMI (AP) — The storm hit.", "More.", credit)

    assert story.byline == credit
    assert version.paragraphs == ("The storm hit.", "More.")


def test_one_paragraph_story_closed_by_the_credit():
    story, version = parse_one("MIAMI (AP) — The storm hit.", "The Associated Press")

    assert story.byline == "The Associated Press"
    assert version.paragraphs == ("The storm hit.",)


def test_story_without_any_byline():
    story, _ = parse_one("MIAMI (AP) — The storm hit.")

    assert story.byline == ""


def test_closing_paragraph_starting_with_by_stays_story_text():
    story, version = parse_one("MIAMI (AP) — The storm hit.", "By Friday, it had passed.")

    assert story.byline == ""
    assert version.paragraphs == ("The storm hit.", "By Friday, it had passed.")


def test_credit_in_the_middle_of_the_story_stays_text():
    _, version = parse_one("MIAMI (AP) — One.", "The Associated Press", "Two.")

    assert version.paragraphs == ("One.", "The Associated Press", "Two.")


def test_by_line_and_closing_credit_together_are_refused():
    error = refused(story_text("By JANE DOE", "MIAMI (AP) — Text.", "The Associated Press"))

    assert "one byline" in error.message and error.line == 9


def test_byline_over_the_limit_is_refused():
    byline = "By " + " and ".join(["JANE DOE"] * 20)
    assert len(byline) > wire.MAX_BYLINE_LENGTH

    error = refused(story_text(byline, "MIAMI (AP) — Text."))

    assert f"at most {wire.MAX_BYLINE_LENGTH}" in error.message and error.line == 5


BYLINE_AT_LIMIT = "By " + "J" * (wire.MAX_BYLINE_LENGTH - 3)


def byline_story(byline, where):
    if where == "top":
        return story_text(byline, "MIAMI (AP) — Text.")
    return story_text("MIAMI (AP) — Text.", byline)


@pytest.mark.parametrize("where", ["top", "closing"])
def test_byline_at_the_limit_fits(where):
    assert len(BYLINE_AT_LIMIT) == wire.MAX_BYLINE_LENGTH

    assert wire.parse(byline_story(BYLINE_AT_LIMIT, where)).byline == BYLINE_AT_LIMIT


@pytest.mark.parametrize("where, line", [("top", 5), ("closing", 7)])
def test_byline_one_over_the_limit_is_refused_saying_by_how_much(where, line):
    error = refused(byline_story(BYLINE_AT_LIMIT + "J", where))

    assert error.message == "the byline is 201 characters long; at most 200 fit"
    assert error.line == line


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press writer Jim Poe in Tokyo contributed to this report.",
        "Associated Press writers Jim Poe and Ann Lee contributed.",
        "Associated Press writers Jim Poe in Tokyo and Ann Lee in Seoul contributed to this report.",
        "AP reporter Ann Lee contributed.",
        "The Associated Press video journalist Ann Lee contributed to this story.",
        "Associated Press researcher Ann Lee contributed reporting.",
    ],
)
def test_contributor_line_is_kept_apart_from_the_text(line):
    story, version = parse_one("MIAMI (AP) — The storm hit.", line)

    assert story.contributors == (line,)
    assert version.paragraphs == ("The storm hit.",)


def test_several_contributor_lines_keep_their_order_before_the_credit():
    first = "Associated Press writer Jim Poe in Tokyo contributed to this report."
    second = "Associated Press writers Ann Lee and Bo Kim contributed."
    story, version = parse_one("MIAMI (AP) — The storm hit.", first, second, "The Associated Press")

    assert story.contributors == (first, second)
    assert story.byline == "The Associated Press"
    assert version.paragraphs == ("The storm hit.",)


def test_contributor_line_inside_the_story_stays_text():
    line = "Associated Press writer Jim Poe in Tokyo contributed to this report."
    story, version = parse_one("MIAMI (AP) — One.", line, "Two.")

    assert story.contributors == ()
    assert version.paragraphs == ("One.", line, "Two.")


def test_paragraph_merely_mentioning_contributions_stays_text():
    paragraph = "Associated Press donors contributed."
    story, version = parse_one("MIAMI (AP) — One.", paragraph)

    assert story.contributors == ()
    assert version.paragraphs == ("One.", paragraph)


CORRECTION = "This story has been corrected to show the storm hit on Tuesday, not Monday."


@pytest.mark.parametrize(
    "closing",
    [
        [CORRECTION],
        [CORRECTION, "The Associated Press"],
        ["Associated Press writer Jim Poe contributed.", CORRECTION],
        [CORRECTION, "Associated Press writer Jim Poe contributed.", "The Associated Press"],
    ],
)
def test_correction_line_is_kept_apart_from_the_text(closing):
    story, version = parse_one("MIAMI (AP) — The storm hit.", "More.", *closing)

    assert story.correction == CORRECTION
    assert version.paragraphs == ("The storm hit.", "More.")


def test_correction_line_in_the_past_tense():
    story, _ = parse_one("MIAMI (AP) — Text.", "This story was corrected to fix a name.")

    assert story.correction == "This story was corrected to fix a name."


def test_correction_in_a_breaking_update_is_refused():
    error = refused(story_text("MIAMI (AP) — New.", BREAKING_NOTE, "MIAMI (AP) — Old.", CORRECTION))

    assert "correction line in a breaking-news update" in error.message and error.line == 11


def test_two_correction_lines_are_refused():
    error = refused(story_text("MIAMI (AP) — Text.", CORRECTION, CORRECTION))

    assert "second correction" in error.message and error.line == 7


def test_story_that_is_only_closing_lines_is_refused():
    error = refused(story_text(CORRECTION))

    assert "no dateline" in error.message and error.line == 5


# Breaking-news markers


@pytest.mark.parametrize(
    "marker",
    [
        "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.",
        "THIS IS A BREAKING NEWS UPDATE. AP's earlier story follows below.",
        "THIS IS A BREAKING NEWS UPDATE. Reuters’ earlier story follows below.",
        "THIS IS A BREAKING NEWS UPDATE. The Associated Press’s earlier story follows below.",
    ],
)
def test_marker_splits_the_new_top_from_the_earlier_story(marker):
    story = wire.parse(story_text("MIAMI (AP) — New.", marker, "TAMPA (AP) — Old.", "Older."))

    earlier, top = story.versions
    assert (top.paragraphs, top.editors_note, top.dateline_place) == (("New.",), marker, "MIAMI")
    assert (earlier.paragraphs, earlier.editors_note) == (("Old.", "Older."), "")
    assert earlier.dateline_place == "TAMPA"


def test_stacked_markers_give_three_versions_oldest_first():
    later = "THIS IS A BREAKING NEWS UPDATE. AP's earlier story follows below."
    story = wire.parse(
        story_text(
            "MIAMI (AP) — Third.",
            later,
            "MIAMI (AP) — Second.",
            BREAKING_NOTE,
            "MIAMI (AP) — First.",
            "The Associated Press",
        )
    )

    assert [version.paragraphs for version in story.versions] == [
        ("First.",),
        ("Second.",),
        ("Third.",),
    ]
    assert [version.editors_note for version in story.versions] == ["", BREAKING_NOTE, later]
    assert story.byline == "The Associated Press"


@pytest.mark.parametrize(
    "paragraph",
    [
        "THIS IS A BREAKING NEWS UPDATE. An earlier version follows below.",
        "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below. More news.",
        "This is a breaking news update. AP’s earlier story follows below.",
    ],
)
def test_paragraph_resembling_the_marker_stays_text(paragraph):
    _, version = parse_one("MIAMI (AP) — One.", paragraph, "Two.")

    assert version.paragraphs == ("One.", paragraph, "Two.")


def test_marker_with_nothing_after_it_is_refused():
    error = refused(story_text("MIAMI (AP) — New top.", BREAKING_NOTE))

    assert "no earlier story below" in error.message and error.line == 7


def test_marker_with_only_closing_lines_after_it_is_refused():
    error = refused(story_text("MIAMI (AP) — New top.", BREAKING_NOTE, "The Associated Press"))

    assert "no earlier story below" in error.message and error.line == 7


def test_marker_with_nothing_above_it_is_refused():
    error = refused(story_text(BREAKING_NOTE, "MIAMI (AP) — Earlier."))

    assert "no new text above" in error.message and error.line == 5


def test_earlier_story_without_a_dateline_is_refused():
    error = refused(story_text("MIAMI (AP) — New top.", BREAKING_NOTE, "The earlier story."))

    assert "no dateline" in error.message and error.line == 9


# Layout


def test_hard_wrapped_paragraph_lines_join_with_a_space():
    _, version = parse_one("MIAMI (AP) — The storm\nhit the coast\non Tuesday.")

    assert version.paragraphs == ("The storm hit the coast on Tuesday.",)


def test_crlf_line_ends_inside_a_wrapped_paragraph():
    text = story_text("MIAMI (AP) — The storm\nhit the coast.", "Two.").replace("\n", "\r\n")

    story, version = wire.parse(text), wire.parse(text).versions[0]

    assert story.headline == HEADLINE and story.wire_time == datetime(2025, 6, 17, 4, 31)
    assert version.paragraphs == ("The storm hit the coast.", "Two.")


def test_bare_carriage_return_line_ends():
    text = story_text("MIAMI (AP) — The storm\nhit the coast.", "Two.").replace("\n", "\r")

    (version,) = wire.parse(text).versions

    assert version.paragraphs == ("The storm hit the coast.", "Two.")


def test_bare_carriage_return_file_reports_the_right_line():
    text = story_text("MIAMI (AP) — New top.", BREAKING_NOTE).replace("\n", "\r")

    assert refused(text).line == 7


def test_byte_order_mark_is_not_part_of_the_headline():
    assert wire.parse("\ufeff" + story_text("MIAMI (AP) — Text.")).headline == HEADLINE


def test_file_starting_with_blank_lines_parses_and_counts_them():
    assert wire.parse("\n\n \n" + story_text("MIAMI (AP) — Text.")).headline == HEADLINE

    error = refused("\n\n \n" + story_text("MIAMI (AP) — Text.", BREAKING_NOTE))

    assert error.line == 10


def test_extra_blank_lines_and_spaces_between_paragraphs():
    text = f"  {HEADLINE}  \n\n\n{TIME_LINE}\n \n\t\nMIAMI (AP) — One.  \n\n\n\nTwo.\n\n\n"

    story = wire.parse(text)

    assert story.headline == HEADLINE
    assert story.versions[0].paragraphs == ("One.", "Two.")


def test_non_breaking_spaces_inside_a_line_are_kept():
    _, version = parse_one("MIAMI (AP) — 5\xa0km away.")

    assert version.paragraphs == ("5\xa0km away.",)


def test_tabs_inside_a_line_are_kept():
    _, version = parse_one("MIAMI (AP) — Score:\t3-1.")

    assert version.paragraphs == ("Score:\t3-1.",)


def test_headline_of_exactly_the_limit_fits():
    headline = "H" * wire.MAX_HEADLINE_LENGTH

    assert wire.parse(story_text("MIAMI (AP) — Text.", headline=headline)).headline == headline


def test_headline_one_over_the_limit_is_refused():
    error = refused(story_text("MIAMI (AP) — Text.", headline="H" * (wire.MAX_HEADLINE_LENGTH + 1)))

    assert f"at most {wire.MAX_HEADLINE_LENGTH} fit" in error.message and error.line == 1


def test_non_latin_text_is_kept():
    story, version = parse_one(
        "SEOUL, South Korea (AP) — 북한이 러시아에 노동자를 보낸다.",
        headline="북한, 러시아에 건설 인력 파견",
    )

    assert story.headline == "북한, 러시아에 건설 인력 파견"
    assert version.paragraphs == ("북한이 러시아에 노동자를 보낸다.",)


# Refusals


@pytest.mark.parametrize(
    "text, line, message",
    [
        pytest.param("", None, "the file is empty", id="empty file"),
        pytest.param(" \n\t\n\n  \n", None, "the file has no text", id="whitespace only"),
        pytest.param("\ufeff", None, "the file has no text", id="byte order mark only"),
        pytest.param(f"{HEADLINE}\n", 2, "time line is missing", id="headline only"),
        pytest.param(
            wire_text(HEADLINE, TIME_LINE), 3, "no text after its time line", id="no text"
        ),
        pytest.param(
            wire_text(HEADLINE, TIME_LINE, "By JANE DOE"),
            5,
            "no text after its byline",
            id="byline and no text",
        ),
        pytest.param(
            wire_text("MIAMI (AP) — The storm hit.", "More text."),
            1,
            "the headline is missing",
            id="starts with a dateline",
        ),
        pytest.param(
            wire_text(TIME_LINE, "MIAMI (AP) — The storm hit."),
            1,
            "the headline is missing: the file starts with a time line",
            id="starts with a time line",
        ),
        pytest.param(
            wire_text(BREAKING_NOTE, "MIAMI (AP) — The storm hit."),
            1,
            "the headline is missing",
            id="starts with a marker",
        ),
        pytest.param(
            f"Storm hits\ncoast\n\n{TIME_LINE}\n\nMIAMI (AP) — Text.\n",
            1,
            "headline must be one line",
            id="headline over two lines",
        ),
    ],
)
def test_malformed_file_is_refused_with_line_and_reason(text, line, message):
    error = refused(text)

    assert message in error.message
    assert error.line == line
    if line is None:  # a whole-file error: the message is all there is
        assert error.message == message
    assert str(error) == (f"line {line}: {error.message}" if line else error.message)


# What articles.text.NOT_TEXT refuses everywhere, the parser refuses with its line.
@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\ufffe", "\uffff"],
)
def test_control_character_is_refused_with_its_line_and_column(char):
    error = refused(story_text("MIAMI (AP) — One.", f"Tw{char}o."))

    assert f"control character U+{ord(char):04X}" in error.message
    assert "at position 3" in error.message
    assert error.line == 7


def test_control_character_in_the_headline_is_refused():
    assert refused(story_text("MIAMI (AP) — One.", headline="Storm\x00")).line == 1


def test_limits_are_the_archives_field_lengths():
    # The models take their column lengths from here: changing one needs a migration.
    assert (
        wire.MAX_HEADLINE_LENGTH,
        wire.MAX_PLACE_LENGTH,
        wire.MAX_AGENCY_LENGTH,
        wire.MAX_BYLINE_LENGTH,
    ) == (300, 100, 40, 200)


def test_a_bare_story_has_no_byline_contributors_correction_or_update():
    story = wire.parse(story_text("MIAMI (AP) — Text."))

    assert story == wire.WireStory(
        headline=HEADLINE,
        wire_time=datetime(2025, 6, 17, 4, 31),
        versions=(wire.WireVersion(("Text.",), "MIAMI", "AP"),),
    )


def test_decode_accepts_utf8_up_to_the_limit():
    data = story_text("MIAMI (AP) — Olé.").encode()

    assert wire.decode(data, max_bytes=len(data)) == data.decode()


def test_decode_refuses_a_file_over_the_limit():
    data = story_text("MIAMI (AP) — Olé.").encode()

    with pytest.raises(wire.WireFormatError) as caught:
        wire.decode(data, max_bytes=len(data) - 1)
    assert (
        caught.value.message == f"the file is over {len(data) - 1:,} bytes, the most a story may be"
    )
    assert caught.value.line is None


def test_decode_default_limit_is_one_mebibyte():
    assert wire.DEFAULT_MAX_BYTES == 1024 * 1024
    with pytest.raises(wire.WireFormatError, match="over 1,048,576 bytes"):
        wire.decode(b"x" * (1024 * 1024 + 1))


def test_decode_refuses_text_that_is_not_utf8_naming_the_line():
    data = "Café\n\nJun 17, 2025 | 4:31 AM\n\nMIAMI (AP) -- Olé.\n".encode("latin-1")

    with pytest.raises(wire.WireFormatError) as caught:
        wire.decode(data)
    assert caught.value.line == 1
    assert caught.value.message == "it is not UTF-8 text (byte 0xe9 at offset 3)"


def test_decode_names_the_line_of_a_byte_that_is_not_utf8():
    data = "Storm\n\nJun 17, 2025 | 4:31 AM\n\nMIAMI (AP) -- Olé.\n".encode("latin-1")

    with pytest.raises(wire.WireFormatError) as caught:
        wire.decode(data)
    assert caught.value.line == 5


# Writing a story back


def test_story_written_with_every_part_reads_back_the_same():
    story = wire.WireStory(
        headline="Quake shakes “São Paulo” — again",
        wire_time=datetime(2025, 6, 17, 20, 31, tzinfo=UTC),
        versions=(
            wire.WireVersion(("First.", "Still first."), "SÃO PAULO", "AP"),
            wire.WireVersion(("Second.",), "RIO DE JANEIRO, Brazil", "Reuters", BREAKING_NOTE),
        ),
        byline="By JANE DOE and JOHN ROE, Associated Press",
        contributors=("Associated Press writer Ann Lee in Lima contributed to this report.",),
        updated=True,
    )

    text = wire.format_story(story)

    assert text.startswith(
        "Quake shakes “São Paulo” — again\n\nUpdated Jun 17, 2025 | 8:31 PM UTC\n\n"
        "By JANE DOE and JOHN ROE, Associated Press\n\n"
        "RIO DE JANEIRO, Brazil (Reuters) — Second.\n\n"
    )
    assert text.endswith("in Lima contributed to this report.\n")
    story = replace(story, versions=story.versions[:1], correction=CORRECTION)
    assert wire.parse(wire.format_story(story)) == story


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"byline": "Jane Doe"}, "byline"),
        ({"headline": "Two\n\nlines"}, "headline"),
        ({"headline": ""}, "cannot be written"),
        ({"versions": (wire.WireVersion(("One.\n\nTwo.",), "MIAMI", "AP"),)}, "versions"),
        ({"versions": (wire.WireVersion(("One.",), "Miami", "AP"),)}, "no dateline"),
        ({"versions": (wire.WireVersion((" One.",), "MIAMI", "AP"),)}, "versions"),
        ({"contributors": ("Thanks to all.",)}, "contributors"),
    ],
)
def test_story_the_format_cannot_carry_is_refused(changes, message):
    fields = {
        "headline": HEADLINE,
        "wire_time": datetime(2025, 6, 17, 4, 31),
        "versions": (wire.WireVersion(("One.",), "MIAMI", "AP"),),
        "byline": "The Associated Press",
    }
    story = wire.WireStory(**{**fields, **changes})

    with pytest.raises(wire.WireFormatError, match=message):
        wire.format_story(story)


# Any story the format can carry reads back as it was written.

# Letters of several scripts, digits, quotes, dashes and other punctuation and symbols;
# spaces only between words.
_text_chars = st.one_of(
    st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x85\u2028\u2029"),
    st.sampled_from("“”‘’\"'—–-…"),
)


def _text(max_size):
    words = st.text(_text_chars, min_size=1, max_size=12)
    return st.lists(words, min_size=1, max_size=max_size).map(" ".join)


_capitals = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÃÉÖÇÑ"), min_size=1, max_size=10)
_places = st.one_of(
    st.lists(_capitals, min_size=1, max_size=3).map(" ".join),
    st.tuples(_capitals, st.sampled_from(["South Korea", "Minn.", "Ukraine", "N.C."])).map(
        ", ".join
    ),
)
_markers = st.sampled_from(
    [BREAKING_NOTE, "THIS IS A BREAKING NEWS UPDATE. Reuters' earlier story follows below."]
)
_times = st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)).map(
    lambda when: when.replace(second=0, microsecond=0)
)


@st.composite
def wire_stories(draw):
    count = draw(st.integers(1, 3))
    versions = tuple(
        wire.WireVersion(
            paragraphs=tuple(draw(st.lists(_text(8), min_size=1, max_size=3))),
            dateline_place=draw(_places),
            agency=draw(st.sampled_from(["AP", "Reuters", "AFP"])),
            editors_note=draw(_markers) if index else "",
        )
        for index in range(count)
    )
    zone = draw(st.sampled_from([None, *ZONES.values()]))
    return wire.WireStory(
        headline=draw(_text(10)),
        wire_time=draw(_times).replace(tzinfo=zone),
        versions=versions,
        byline=draw(
            st.sampled_from(["", "The Associated Press", "By JANE DOE", "By ÉMILE ZOLA and JO LI"])
        ),
        contributors=tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        [
                            "Associated Press writer Ann Lee contributed.",
                            "Associated Press writers Jo Li in Lima and Bo Kim contributed.",
                        ]
                    ),
                    max_size=2,
                )
            )
        ),
        correction=draw(st.sampled_from(["", CORRECTION])) if count == 1 else "",
        updated=draw(st.booleans()),
    )


@settings(max_examples=50, deadline=None)
@given(wire_stories())
def test_any_story_reads_back_as_it_was_written(story):
    assert wire.parse(wire.format_story(story)) == story


# What an error quotes of the text at fault


MISSING_TIME_LINE = (
    "the time line is missing: the headline and a blank line are followed by e.g. "
    "“Jun 17, 2025 | 4:31 AM EDT”, not “{}”"
)


@pytest.mark.parametrize(
    "paragraph, quoted",
    [
        pytest.param("x" * 50, "x" * 50, id="fifty characters whole"),
        pytest.param("x" * 51, "x" * 50 + "…", id="longer cut at fifty"),
        pytest.param("x" * 49 + " yyyy", "x" * 49 + "…", id="cut without the space"),
    ],
)
def test_an_error_quotes_at_most_fifty_characters_of_the_text(paragraph, quoted):
    assert refused(wire_text(HEADLINE, paragraph)).message == MISSING_TIME_LINE.format(quoted)

    error = refused(story_text(paragraph))
    assert error.message == (
        "the first paragraph has no dateline: expected e.g. “SEOUL, South Korea (AP) — ” "
        f"before “{quoted}”"
    )


# Line numbers count every line of the file, blank ones before the headline too


def test_headline_after_leading_blank_lines_is_numbered_from_the_top():
    text = "\n\n" + story_text("MIAMI (AP) — One.", "Two.")

    assert refused(text.replace(HEADLINE, "Storm\nhits coast")).line == 3
    assert refused(text.replace(HEADLINE, "H" * 301)).line == 3
    assert refused("\n\n" + wire_text(HEADLINE)).line == 4  # the missing time line
    assert refused(text.replace("Two.", "Tw\x07o.")).line == 9


def test_a_file_of_blank_lines_has_no_text():
    assert refused("\n \n\t\n").message == "the file has no text"
    assert refused("").message == "the file is empty"


def test_decode_counts_a_blank_first_line():
    with pytest.raises(wire.WireFormatError) as caught:
        wire.decode(b"\nStorm\n\xe9\n")
    assert caught.value.line == 3


def test_parse_remembers_where_the_time_line_stands():
    text = story_text("MIAMI (AP) — Text.")

    assert wire.parse(text).time_line_at == 3
    assert wire.parse("\n\n" + text).time_line_at == 5


def test_file_of_only_a_headline_is_refused_for_its_missing_time_line():
    error = refused(wire_text(HEADLINE))

    assert error.message == (
        "the time line is missing: the headline and a blank line are followed by e.g. "
        "“Jun 17, 2025 | 4:31 AM EDT”"
    )
    assert error.line == 2


def test_a_story_the_format_cannot_carry_names_only_what_would_differ():
    # "Jane Doe" is no credit: written last, it reads back as a paragraph of the text.
    story = wire.WireStory(
        headline=HEADLINE,
        wire_time=datetime(2025, 6, 17, 4, 31),
        versions=(wire.WireVersion(("One.",), "MIAMI", "AP"),),
        byline="Jane Doe",
    )

    with pytest.raises(wire.WireFormatError) as refused_story:
        wire.format_story(story)
    assert refused_story.value.message == (
        "it cannot be written as wire copy: it would read back with a different versions, byline"
    )


def test_file_with_an_apnews_time_line_is_read():
    story = wire.parse(
        story_text("MIAMI (AP) — Text.", time_line="Updated 9:12 PM PDT, August 2, 2025")
    )
    assert story.updated
    assert story.wire_time == datetime(2025, 8, 2, 21, 12, tzinfo=ZONES["PDT"])
