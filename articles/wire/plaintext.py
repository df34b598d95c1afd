"""AP-style wire copy, one story to a file: plain text in, a WireStory out, and back again.

Pure functions, no database: parse() refuses any file it cannot read faithfully, naming
the line at fault, and parse(format_story(story)) == story. The README's "Wire copy"
section describes the format.
"""

import re
from dataclasses import fields

from articles.text import (
    MAX_AGENCY_LENGTH,
    MAX_BYLINE_LENGTH,
    MAX_HEADLINE_LENGTH,
    MAX_PLACE_LENGTH,
    PARAGRAPH_BREAK,
)
from articles.wire.blocks import Block, split_blocks
from articles.wire.errors import WireFormatError
from articles.wire.stories import WireStory, WireVersion
from articles.wire.timelines import (
    TIME_LINE_LIKE,
    format_time_line,
    is_updated,
    parse_time_line,
)

# A story is a few KB; a file of more than this is a mistake, not a story (a Django
# setting may change it for the importer).
DEFAULT_MAX_BYTES = 1024 * 1024


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
    blocks = split_blocks(text)
    if not blocks:
        raise WireFormatError("the file is empty" if not text else "the file has no text")
    headline = blocks.pop(0)
    _check_headline(headline)
    time_block = _time_line(blocks, after=headline)
    wire_time = parse_time_line(time_block.text, time_block.line)
    byline, header = "", time_block
    if blocks and BYLINE.fullmatch(blocks[0].text):
        header = blocks.pop(0)
        byline = _checked_byline(header)
    byline, contributors, correction = _closing(blocks, byline)
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
        updated=is_updated(time_block.text),
        time_line_at=time_block.line,
    )


def _time_line(blocks, after):
    """Take the time line off the front of `blocks`: it must follow the headline."""
    if not blocks or not TIME_LINE_LIKE.match(blocks[0].text):
        line = blocks[0].line if blocks else after.line + 1
        found = f", not “{_excerpt(blocks[0].text)}”" if blocks else ""
        raise WireFormatError(
            "the time line is missing: the headline and a blank line are followed by e.g. "
            f"“Jun 17, 2025 | 4:31 AM EDT”{found}",
            line,
        )
    time_block = blocks.pop(0)
    if len(time_block.lines) > 1:
        raise WireFormatError("the time line must be one line", time_block.line)
    return time_block


def _closing(blocks, byline):
    """Take the closing lines off the end of `blocks`, keeping the last paragraph of text.

    Returns the byline (a closing credit when there was no "By" line), the contributor
    lines in order, and the correction line's block, or None.
    """
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
    return byline, contributors, correction


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


def _excerpt(text, length=50):
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _check_headline(block: Block):
    text = block.text
    if TIME_LINE_LIKE.match(text):
        raise WireFormatError(
            "the headline is missing: the file starts with a time line", block.line
        )
    if dateline_match(text) or BREAKING_MARKER.fullmatch(text):
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


def _checked_byline(block: Block) -> str:
    if len(block.text) > MAX_BYLINE_LENGTH:
        raise WireFormatError(
            f"the byline is {len(block.text)} characters long; at most {MAX_BYLINE_LENGTH} fit",
            block.line,
        )
    return block.text


def _versions(blocks: list[Block], after: Block) -> list[WireVersion]:
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
    return [version_of(segment, note) for segment, note in zip(segments, notes, strict=True)]


def dateline_match(paragraph):
    match = DATELINE.fullmatch(paragraph)
    city = match and match["city"].strip()
    # A place is in capitals ("SÃO PAULO"), its region in ordinary case ("South Korea").
    if not city or city.upper() != city or city.lower() == city:
        return None
    if match["region"] and not match["region"][0].isupper():
        return None
    return match


def version_of(blocks: list[Block], note: str) -> WireVersion:
    first, *rest = blocks
    match = dateline_match(first.text)
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
