"""AP-style wire copy: plain text in, a WireStory out, and back again.

Pure functions with no Django, so the format can be tested and reused on its own.
One file holds one story::

    Headline on one line

    Updated Jun 17, 2025 | 4:31 AM EDT

    By JANE DOE and JOHN ROE, Associated Press

    SEOUL, South Korea (AP) — The newest top, one or more paragraphs.

    THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.

    SEOUL, South Korea (AP) — The earlier story, as it was.

    Associated Press writer Jim Poe in Tokyo contributed to this report.

    This story has been corrected to show the meeting was on Tuesday.

Blank lines separate paragraphs; the lines of a hard-wrapped paragraph join with a
space. The time line is required ("Updated" and a zone are optional). The "By" line is
optional; without it a closing credit ("The Associated Press") is the byline. The first
paragraph of every version opens with a dateline, ``PLACE (AGENCY) —``, where the dash
may also be an en dash, ``--`` or ``_``. Each breaking-news marker starts the earlier
version below it, so a file with two markers carries three versions. Contributor lines
and a correction line close the story.

parse() never guesses: a file in any other shape is refused with a WireFormatError
naming the line at fault. format_story() writes a WireStory back in the same shape, so
that parse(format_story(story)) == story.
"""

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone

from articles.text import (
    MAX_AGENCY_LENGTH,
    MAX_BYLINE_LENGTH,
    MAX_HEADLINE_LENGTH,
    MAX_PLACE_LENGTH,
    PARAGRAPH_BREAK,
)

# A story is a few KB; a file of more than this is a mistake, not a story (a Django
# setting may change it for the importer).
DEFAULT_MAX_BYTES = 1024 * 1024


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
# Anything with a date and a bar is meant as a time line, even when it is not a valid one.
TIME_LINE_LIKE = re.compile(r"(?:Updated:?\s+)?[A-Za-z]+\.?\s+\d{1,2},\s+\d{4}\s+\|")

# Letters of any script (the place is checked for capitals separately), with the
# punctuation place names carry: "ST. PAUL", "O’FALLON", "WINSTON-SALEM".
_WORDS = r"[^\W\d_]+(?:[ .'’\-]+[^\W\d_]+)*\.?"
DATELINE = re.compile(
    rf"(?P<city>{_WORDS})(?:, (?P<region>{_WORDS}))?"
    r" \((?P<agency>[^\W\d_][^()]*)\)"
    r"(?:\s*(?:—|–|--)\s*|\s+_\s+)(?P<rest>\S.*)",
    re.DOTALL,
)
BREAKING_MARKER = re.compile(
    r"THIS IS A BREAKING NEWS UPDATE\. \S[^\n]{0,40}?['’]s? earlier story follows below\."
)
# A byline names people in capitalised words ("By JOSH BOAK, CHRISTOPHER RUGABER and
# MATT O’BRIEN, Associated Press"), so "By Friday, officials said ..." stays story text.
_NAME = r"[^\W\d_a-z][\w.'’\-]*"
_NAMES = rf"{_NAME}(?: {_NAME})*"
BYLINE = re.compile(rf"By {_NAMES}(?:(?:,? and |, | of ){_NAMES})*")
CREDIT = re.compile(r"(?:The )?Associated Press")
CONTRIBUTORS = re.compile(
    r"(?:The )?(?:Associated Press|AP)(?: [\w-]+)? (?:writers?|reporters?|correspondents?"
    r"|journalists?|videojournalists?|photographers?|researchers?|producers?|editors?)"
    r" \S.*? contributed(?: to (?:this|the) (?:report|story)| reporting)?\.",
    re.DOTALL,
)
CORRECTION = re.compile(r"This story (?:has been|was) corrected\b.*", re.DOTALL)
# Line ends are handled before this check; tabs are kept as sent.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


class WireFormatError(ValueError):
    """The text is not wire copy we can archive faithfully; `line` is where, if known."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class WireVersion:
    """One version of the story: its own paragraphs, the dateline taken off the first."""

    paragraphs: tuple[str, ...]
    dateline_place: str
    agency: str
    editors_note: str = ""  # the marker this version was sent with over the earlier one

    @property
    def body(self):
        return PARAGRAPH_BREAK.join(self.paragraphs)

    @property
    def text(self):
        """The version's own text as sent, its dateline opening the first paragraph."""
        return f"{dateline(self.dateline_place, self.agency)} {self.body}"


@dataclass(frozen=True)
class WireStory:
    headline: str
    # The time line: aware when the wire named a zone; naive when it did not, to be
    # read in the newsroom's zone. It dates the newest version only.
    wire_time: datetime
    versions: tuple[WireVersion, ...]  # oldest first; every later one is a breaking update
    byline: str = ""
    contributors: tuple[str, ...] = ()  # closing contributor lines, as sent
    correction: str = ""  # a closing "This story has been corrected ..." line
    updated: bool = False  # the time line said "Updated"
    # Where the time line stands in the file, for errors found once its zone is known.
    time_line_at: int | None = field(default=None, compare=False, repr=False)


def dateline(place, agency):
    """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
    return f"{place} ({agency}) —"


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A file's bytes as text, refusing files too large to be a story or not UTF-8."""
    if len(data) > max_bytes:
        raise WireFormatError(f"the file is over {max_bytes:,} bytes, the most a story may be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise WireFormatError(
            f"it is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})", line
        ) from None


def parse(text: str) -> WireStory:
    """Parse one wire file's text. Raises WireFormatError with the line at fault."""
    blocks = _blocks(text)
    if not blocks:
        raise WireFormatError("the file is empty" if not text else "the file has no text")

    headline = blocks.pop(0)
    _check_headline(headline)

    if not blocks or not TIME_LINE_LIKE.match(blocks[0].text):
        line = blocks[0].line if blocks else headline.line + 1
        found = f", not “{_excerpt(blocks[0].text)}”" if blocks else ""
        raise WireFormatError(
            "the time line is missing: the headline and a blank line are followed by e.g. "
            f"“Jun 17, 2025 | 4:31 AM EDT”{found}",
            line,
        )
    time_block = blocks.pop(0)
    if len(time_block.lines) > 1:
        raise WireFormatError("the time line must be one line", time_block.line)
    wire_time = parse_time_line(time_block.text, time_block.line)

    byline, header = "", time_block
    if blocks and BYLINE.fullmatch(blocks[0].text):
        header = blocks.pop(0)
        byline = _checked_byline(header)

    contributors, correction = [], None
    while len(blocks) > 1:
        last = blocks[-1]
        if CORRECTION.fullmatch(last.text):
            if correction:
                raise WireFormatError("a second correction line; a story has one", last.line)
            correction = last
        elif CONTRIBUTORS.fullmatch(last.text):
            contributors.insert(0, last.text)
        elif CREDIT.fullmatch(last.text) or BYLINE.fullmatch(last.text):
            if byline:
                raise WireFormatError(
                    f"a closing credit “{last.text}” as well as the byline “{byline}”; "
                    "a story has one byline",
                    last.line,
                )
            byline = _checked_byline(last)
        else:
            break
        blocks.pop()

    versions = tuple(reversed(_versions(blocks, after=header)))
    if correction and len(versions) > 1:
        # The newest version is a breaking update, whose note is the marker: it cannot
        # also be a correction. The wire sends corrections as a whole story.
        raise WireFormatError(
            "a correction line in a breaking-news update; a corrected story is sent whole, "
            "without the earlier story below a marker",
            correction.line,
        )
    return WireStory(
        headline=headline.text,
        wire_time=wire_time,
        versions=versions,
        byline=byline,
        contributors=tuple(contributors),
        correction=correction.text if correction else "",
        updated=bool(TIME_LINE.match(time_block.text)["updated"]),
        time_line_at=time_block.line,
    )


def parse_time_line(text: str, line: int | None = None) -> datetime:
    """Read "Jun 17, 2025 | 4:31 AM" (naive) or "Jun 17, 2025 | 4:31 PM EDT" (aware)."""
    match = TIME_LINE.fullmatch(text)
    if not match:
        raise WireFormatError(
            f"cannot read the time line “{text}”; expected e.g. “Jun 17, 2025 | 4:31 AM EDT”",
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


def format_story(story: WireStory) -> str:
    """The story as a wire file, the inverse of parse().

    Raises WireFormatError when the story holds something the format cannot carry
    (a paragraph break inside a headline, a byline that is neither "By ..." nor a
    credit, ...): written anyway, it would read back as a different story.
    """
    lines = [story.headline, format_time_line(story.wire_time, updated=story.updated)]
    top_byline = story.byline if BYLINE.fullmatch(story.byline) else ""
    if top_byline:
        lines.append(top_byline)
    for version in reversed(story.versions):
        lines.append(version.text)
        if version.editors_note:
            lines.append(version.editors_note)
    lines.extend(story.contributors)
    if story.correction:
        lines.append(story.correction)
    if story.byline and not top_byline:
        lines.append(story.byline)
    text = PARAGRAPH_BREAK.join(lines) + "\n"

    try:
        parsed = parse(text)
    except WireFormatError as exc:
        raise WireFormatError(f"it cannot be written as wire copy: {exc}") from None
    if parsed != story:
        different = [
            field.name
            for field in fields(WireStory)
            if field.compare and getattr(parsed, field.name) != getattr(story, field.name)
        ]
        raise WireFormatError(
            "it cannot be written as wire copy: it would read back with a different "
            + ", ".join(different).replace("_", " ")
        )
    return text


@dataclass(frozen=True)
class _Block:
    lines: tuple[str, ...]
    line: int  # where the block starts in the file

    @property
    def text(self):
        # A hard-wrapped paragraph is one paragraph: its lines join with a space.
        return " ".join(self.lines)


def _blocks(text: str) -> list[_Block]:
    """Split text into blank-line separated blocks of stripped lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks, lines, start = [], [], 0
    for number, raw in enumerate(text.split("\n") + [""], start=1):
        if control := _CONTROL.search(raw):
            char = control.group()
            raise WireFormatError(
                f"control character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')}) "
                f"in column {control.start() + 1}; only line ends and tabs may appear",
                number,
            )
        line = raw.strip()
        if line:
            start = start or number
            lines.append(line)
        elif lines:
            blocks.append(_Block(tuple(lines), start))
            lines, start = [], 0
    return blocks


def _excerpt(text, length=50):
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _check_headline(block: _Block):
    text = block.text
    if TIME_LINE_LIKE.match(text):
        raise WireFormatError(
            "the headline is missing: the file starts with a time line", block.line
        )
    if _dateline_match(text) or BREAKING_MARKER.fullmatch(text):
        raise WireFormatError(
            "the headline is missing: the file starts with story text; the first line must be "
            "the headline",
            block.line,
        )
    if len(block.lines) > 1:
        raise WireFormatError("the headline must be one line, followed by a blank line", block.line)
    if len(text) > MAX_HEADLINE_LENGTH:
        raise WireFormatError(
            f"the headline is {len(text)} characters long; at most {MAX_HEADLINE_LENGTH} fit",
            block.line,
        )


def _checked_byline(block: _Block) -> str:
    if len(block.text) > MAX_BYLINE_LENGTH:
        raise WireFormatError(
            f"the byline is {len(block.text)} characters long; at most {MAX_BYLINE_LENGTH} fit",
            block.line,
        )
    return block.text


def _versions(blocks: list[_Block], after: _Block) -> list[WireVersion]:
    """Split the story's paragraphs at each breaking-news marker; newest version first."""
    segments, markers = [[]], []
    for block in blocks:
        if BREAKING_MARKER.fullmatch(block.text):
            if not segments[-1]:
                raise WireFormatError(
                    "a breaking-news marker with no new text above it", block.line
                )
            segments.append([])
            markers.append(block)
        else:
            segments[-1].append(block)
    if not segments[-1]:
        if markers:
            raise WireFormatError(
                "a breaking-news marker with no earlier story below it", markers[-1].line
            )
        what = "time line" if TIME_LINE_LIKE.match(after.text) else "byline"
        raise WireFormatError(f"the story has no text after its {what}", after.line)
    # A marker stands under the new top it was sent with, over the earlier story.
    notes = [marker.text for marker in markers] + [""]
    return [_version(segment, note) for segment, note in zip(segments, notes, strict=True)]


def _dateline_match(paragraph):
    match = DATELINE.fullmatch(paragraph)
    city = match and match["city"].strip()
    # A place is in capitals ("SÃO PAULO"), its region in ordinary case ("South Korea").
    if not city or city.upper() != city or city.lower() == city:
        return None
    if match["region"] and not match["region"][0].isupper():
        return None
    return match


def _version(blocks: list[_Block], note: str) -> WireVersion:
    first, *rest = blocks
    match = _dateline_match(first.text)
    if not match:
        raise WireFormatError(
            f"the first paragraph has no dateline: expected e.g. “SEOUL, South Korea (AP) — ”"
            f" before “{_excerpt(first.text)}”",
            first.line,
        )
    place = match["city"] + (f", {match['region']}" if match["region"] else "")
    agency = match["agency"].strip()
    if len(place) > MAX_PLACE_LENGTH:
        raise WireFormatError(
            f"the dateline’s place is {len(place)} characters long; at most {MAX_PLACE_LENGTH} fit",
            first.line,
        )
    if len(agency) > MAX_AGENCY_LENGTH:
        raise WireFormatError(
            f"the dateline’s agency is {len(agency)} characters long; at most {MAX_AGENCY_LENGTH} fit",
            first.line,
        )
    return WireVersion(
        (match["rest"], *(block.text for block in rest)),
        dateline_place=place,
        agency=agency,
        editors_note=note,
    )
