"""Reading AP-style wire copy: plain text in, a WireStory out.

Pure functions with no Django, so the format can be tested and reused on its own.

The format, as the seed in fixtures/ shows it::

    Headline

    Jun 17, 2025 | 4:31 AM

    SEOUL, South Korea (AP) — The new top, one or more paragraphs.

    THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.

    SEOUL, South Korea (AP) — The earlier story, as it was.

    The Associated Press

Paragraphs are separated by a blank line. The time line is optional and belongs to the
newest version; a byline may stand after the time line ("By NAME") or close the story
("The Associated Press"). Each breaking-news note splits a newer top from the earlier
story below it, so a file can carry several stacked updates.
"""

import re
from dataclasses import dataclass
from datetime import datetime

# The shape of stored text and the limits of each field, defined here once for the
# parser and the models alike (the models import them; this module imports no Django).
PARAGRAPH_BREAK = "\n\n"
MAX_HEADLINE_LENGTH = 300
MAX_PLACE_LENGTH = 100
MAX_AGENCY_LENGTH = 40
MAX_BYLINE_LENGTH = 200

BREAKING_NOTE = re.compile(r"THIS IS A BREAKING NEWS UPDATE\.(?:\s.*)?", re.IGNORECASE)
TIME_LINE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.? (?P<day>\d{1,2}), (?P<year>\d{4})"
    r" \| (?P<hour>\d{1,2}):(?P<minute>\d{2}) (?P<meridiem>[AaPp]\.?[Mm]\.?)"
)
# Something that is meant as a time line even when it is not a valid one.
TIME_LINE_LIKE = re.compile(r"[A-Za-z]{3,9}\.? \d{1,2}, \d{4} \|")
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’\- ]*[A-Z.](?:, [^()\n]{1,60}?)?) \((?P<agency>[A-Za-z][A-Za-z&. ]{0,38})\)"
    r" — (?P<rest>\S.*)",
    re.DOTALL,
)
# A byline is capitalised names only ("By JOSH BOAK, CHRISTOPHER RUGABER and MATT O’BRIEN"),
# so a paragraph such as "By Friday, officials said ..." stays story text.
BYLINE_NAME = r"[A-ZÀ-ÖØ-Þ][\w.'’\-]*"
TOP_BYLINE = re.compile(
    rf"(?=.{{4,{MAX_BYLINE_LENGTH}}}$)By {BYLINE_NAME}(?:(?:,? and |, | of | ){BYLINE_NAME})*"
)
CLOSING_BYLINE = re.compile(rf"{TOP_BYLINE.pattern}|(?:The )?Associated Press")
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


class WireFormatError(ValueError):
    """The text is not wire copy we can archive faithfully."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class WireVersion:
    """One version of the story: its own paragraphs, the dateline taken off the first."""

    paragraphs: tuple[str, ...]
    dateline_place: str = ""
    agency: str = ""
    editors_note: str = ""  # the note this version was sent with over the earlier story

    @property
    def body(self):
        return PARAGRAPH_BREAK.join(self.paragraphs)


@dataclass(frozen=True)
class WireStory:
    headline: str
    published_at: datetime | None  # naive, in the newsroom's zone: the wire gives none
    byline: str
    versions: tuple[WireVersion, ...]  # oldest first; every later one is a breaking update


@dataclass(frozen=True)
class _Block:
    lines: tuple[str, ...]
    line: int  # where the block starts in the file

    @property
    def text(self):
        # A hard-wrapped paragraph is one paragraph: its lines join with a space.
        return " ".join(self.lines)


def parse(text: str) -> WireStory:
    """Parse one wire file's text. Raises WireFormatError with the line at fault."""
    blocks = _blocks(text)
    if not blocks:
        raise WireFormatError("the file has no text")

    headline = blocks.pop(0)
    if DATELINE.fullmatch(headline.text) or BREAKING_NOTE.fullmatch(headline.text):
        raise WireFormatError(
            "the file starts with story text; the first line must be the headline", headline.line
        )
    if len(headline.lines) > 1:
        raise WireFormatError(
            "the headline must be one line, followed by a blank line", headline.line
        )
    if len(headline.text) > MAX_HEADLINE_LENGTH:
        raise WireFormatError(
            f"the headline is {len(headline.text)} characters long; at most {MAX_HEADLINE_LENGTH} fit",
            headline.line,
        )

    published_at = None
    if blocks and TIME_LINE_LIKE.match(blocks[0].text):
        published_at = parse_time_line(blocks[0].text, blocks[0].line)
        blocks.pop(0)

    byline = ""
    if blocks and TOP_BYLINE.fullmatch(blocks[0].text):
        byline = blocks.pop(0).text
    elif len(blocks) > 1 and CLOSING_BYLINE.fullmatch(blocks[-1].text):
        byline = blocks.pop().text

    return WireStory(
        headline=headline.text,
        published_at=published_at,
        byline=byline,
        versions=tuple(reversed(_versions(blocks, after_line=headline.line))),
    )


def parse_time_line(text: str, line: int | None = None) -> datetime:
    """Read "Jun 17, 2025 | 4:31 AM" as a naive datetime."""
    match = TIME_LINE.fullmatch(text)
    month = match and MONTHS.get(match["month"].lower())
    if not match or not month:
        raise WireFormatError(
            f"cannot read the time line {text!r}; expected e.g. “Jun 17, 2025 | 4:31 AM”", line
        )
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        raise WireFormatError(f"the time line {text!r} has no hour {hour} on a 12-hour clock", line)
    hour = hour % 12 + (12 if match["meridiem"][0].lower() == "p" else 0)
    try:
        return datetime(int(match["year"]), month, int(match["day"]), hour, int(match["minute"]))
    except ValueError as exc:
        raise WireFormatError(f"the time line {text!r} is not a real time: {exc}", line) from None


def _blocks(text: str) -> list[_Block]:
    """Split text into blank-line separated blocks of stripped lines."""
    blocks, lines, start = [], [], 0
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n") + [""], start=1):
        line = raw.strip()
        if line:
            start = start or number
            lines.append(line)
        elif lines:
            blocks.append(_Block(tuple(lines), start))
            lines, start = [], 0
    return blocks


def _versions(blocks: list[_Block], after_line: int) -> list[WireVersion]:
    """Split the story's paragraphs at each breaking-news note; newest version first."""
    segments, notes = [[]], []
    for block in blocks:
        if BREAKING_NOTE.fullmatch(block.text):
            if not segments[-1]:
                raise WireFormatError("a breaking-news note with no new text above it", block.line)
            segments.append([])
            notes.append(block)
        else:
            segments[-1].append(block.text)
    if not segments[-1]:
        if notes:
            raise WireFormatError(
                "a breaking-news note with no earlier story below it", notes[-1].line
            )
        raise WireFormatError("the story has a headline but no text", after_line)
    # A note stands under the new top it was sent with, over the earlier story.
    notes = [note.text for note in notes] + [""]
    return [_version(paragraphs, note) for paragraphs, note in zip(segments, notes, strict=True)]


def _version(paragraphs: list[str], note: str) -> WireVersion:
    first, *rest = paragraphs
    match = DATELINE.fullmatch(first)
    if not match:
        return WireVersion(tuple(paragraphs), editors_note=note)
    return WireVersion(
        (match["rest"], *rest),
        dateline_place=match["place"],
        agency=match["agency"],
        editors_note=note,
    )
