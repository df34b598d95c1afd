"""ANPA-1312 transmissions, the classic news-wire format: bytes in, a WireStory or WireKill out.

SYN SYN SOH, the header (service, story number, selector; priority, category, keyword,
version, date, word count), STX, heading lines (`^` ... `<` or `=`), body paragraphs
(tab and spaces; `_` a dash, ``` `` ``` and `''` quotes), agate rows (`^H`), ETX, the
trailer (`AP-WF-08-29-16 1626GMT`), EOT. Pure functions, no database.
"""

import re
from datetime import UTC, datetime

from articles.text import TABLE_CELL_BREAK, TABLE_ROW_BREAK
from articles.wire.blocks import Block
from articles.wire.errors import WireFormatError
from articles.wire.plaintext import version_of
from articles.wire.stories import WireKill, WireStory
from articles.wire.timelines import embargo_time

SYN, SOH, STX, ETX, EOT = "\x16", "\x01", "\x02", "\x03", "\x04"
START = SYN + SYN + SOH

HEADER = re.compile(
    r"(?P<service>[a-z])(?P<number>\d{4})\x1f(?P<selector>[\w-]*)[ \t]*\r?\n?"
    r"(?P<priority>[a-z]) (?P<category>[a-z])[\x13\x14][\x11\x12] "
    r"(?P<keyword>[^\s\x00-\x1f]+)(?: (?P<version>[^\s\x00-\x1f]+))?"
    r" (?P<month>\d\d)-(?P<day>\d\d)(?: (?P<words>\d{1,5}))?\s*",
    re.IGNORECASE,
)
TRAILER = re.compile(
    r"\s*(?P<sender>[A-Z]{2,}(?:-[A-Z]{2,})*)-(?P<date>\d\d-\d\d-\d\d) (?P<time>\d{4}) ?GMT\s*",
    re.IGNORECASE,
)
VERSION = re.compile(r"(?P<n>\d+)(?:st|nd|rd|th)\s*(?:Ld|Lede|Writethru|Add)\b", re.IGNORECASE)
KILL = re.compile(r"\b(?:KILL|ELIMINATION|WITHDRAWAL)\b")
ALERT = "apnewsalert"
EDS = re.compile(r"Eds?:\s*(?P<note>.*)", re.IGNORECASE)
PHOTO = re.compile(r"(?:AP|With AP) (?:Photos?|Video|Graphics?)\b.*", re.IGNORECASE)
BYLINE = re.compile(r"By [A-Z].*")
PARAGRAPH_START = re.compile(r"\t\s*")


def looks_like(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(START)


def parse(text: str) -> WireStory | WireKill:
    """Parse one transmission. Raises WireFormatError naming what is wrong and where."""
    text = text.lstrip("\ufeff")
    if not text.startswith(START):
        raise WireFormatError("not an ANPA-1312 transmission: it does not start with SYN SYN SOH")
    header_text, stx, rest = text[len(START) :].partition(STX)
    if not stx:
        raise WireFormatError("the header is truncated: no STX starts the text", 1)
    header = HEADER.fullmatch(header_text)
    if not header:
        raise WireFormatError(
            f"cannot read the header “{_printable(header_text)}”: expected e.g. "
            "“a0412␟AP-WF / u a␓␑ BC-US--LobsterDeath 1stLd-Writethru 08-29 0312”",
            1,
        )
    content, etx, trailer_text = rest.partition(ETX)
    if not etx:
        raise WireFormatError("the text is not closed: no ETX before the end of the transmission")
    wire_time = _trailer_time(trailer_text, line=content.count("\n") + header_text.count("\n") + 1)
    first_line = header_text.count("\n") + 1
    return _content(content, header, wire_time, first_line)


def _trailer_time(trailer_text, line):
    body, eot, after = trailer_text.partition(EOT)
    if not eot or after.strip():
        raise WireFormatError("the transmission does not end with EOT after its trailer", line)
    match = TRAILER.fullmatch(body)
    if not match:
        raise WireFormatError(
            f"cannot read the trailer “{_printable(body.strip())}”: expected e.g. "
            "“AP-WF-08-29-16 1626GMT”",
            line,
        )
    try:
        return datetime.strptime(f"{match['date']} {match['time']}", "%m-%d-%y %H%M").replace(
            tzinfo=UTC
        )
    except ValueError:
        raise WireFormatError(
            f"the trailer “{body.strip()}” has no real date and time (MM-DD-YY HHMM GMT)", line
        ) from None


def _content(content, header, wire_time, first_line):
    headings, paragraphs, table = [], [], []
    for number, raw in enumerate(content.replace("\r\n", "\n").split("\n"), start=first_line):
        line = raw.rstrip()
        row = _table_row(line)
        if row:
            table.append((row, number))
            continue
        if table:
            paragraphs.append(_table_paragraph(table))
            table = []
        if line.startswith("^"):
            headings.append((line[1:].rstrip("<=").strip(), line.endswith("="), number))
        elif PARAGRAPH_START.match(line):
            paragraphs.append((_typeset(line.strip()), number))
        elif line.strip() and paragraphs:  # a hard-wrapped paragraph goes on
            text, start = paragraphs[-1]
            paragraphs[-1] = (f"{text} {_typeset(line.strip())}", start)
        elif line.strip():
            raise WireFormatError(f"a line that is neither heading nor paragraph: “{line}”", number)
    if table:
        paragraphs.append(_table_paragraph(table))
    return _story(header, headings, paragraphs, wire_time, first_line)


def _story(header, headings, paragraphs, wire_time, first_line):
    if not headings:
        raise WireFormatError("the text has no keyword line (^KEYWORD,WORDS<)", first_line)
    keyword_line, _, line = headings.pop(0)
    keyword, *labels = [part.strip() for part in keyword_line.split(",")]
    labels = [label for label in labels if not label.isdigit()]
    label = " ".join(labels) or header["version"] or ""
    if KILL.search(label) or any(KILL.fullmatch(text) for text, _, _ in headings):
        reason = " ".join(text for text, _, _ in headings if not KILL.fullmatch(text))
        reason = " ".join([reason, *(text for text, _ in paragraphs)]).strip()
        return WireKill(
            keyword=keyword, reason=reason or "withdrawn by the wire", wire_time=wire_time
        )
    if not paragraphs:
        raise WireFormatError(f"the keyword “{keyword}” comes with no story: no paragraph", line)
    meta = _headings(headings, keyword)
    if keyword and re.sub(r"\W", "", keyword).lower().endswith(ALERT):
        paragraphs = paragraphs[:1]  # an alert is one paragraph, however it was sent
        meta["headline"] = meta["headline"] or _alert_headline(paragraphs[0][0])
    if not meta["headline"]:
        raise WireFormatError("the text has no headline line after its keyword line", line)
    blocks = [Block((text,), number) for text, number in paragraphs]
    version = VERSION.search(label)
    return WireStory(
        headline=meta["headline"],
        wire_time=wire_time,
        versions=(version_of(blocks, ""),),
        byline=meta["byline"],
        keyword=keyword,
        version=int(version["n"]) if version else 0,
        version_label=label,
        priority=header["priority"].lower(),
        category=header["category"].lower(),
        editors_note=meta["note"],
        embargo=embargo_time(meta["note"]),
        photos=tuple(meta["photos"]),
        updated=bool(version),
    )


def _headings(headings, keyword):
    """The headline, "Eds:" note, photo lines and byline among the heading lines."""
    meta = {"headline": "", "note": "", "photos": [], "byline": ""}
    notes, byline = [], []
    for text, is_byline_line, _ in headings:
        eds = EDS.fullmatch(text)
        if eds:
            notes.append(eds["note"].strip())
        elif PHOTO.fullmatch(text):
            meta["photos"].append(text)
        elif is_byline_line or BYLINE.fullmatch(text):
            byline.append(text)
        elif not meta["headline"]:
            meta["headline"] = text
    meta["note"] = " ".join(note for note in notes if note)
    meta["byline"] = ", ".join(byline)
    return meta


def table_cells(line):
    """An agate row's cells, split at tabs or semicolons; [] for a line of one cell."""
    cells = [cell.strip() for cell in re.split(r"\t|;", line.strip())]
    return cells if len(cells) > 1 else []


def _table_row(line):
    """An agate row's cells: a `^H` row (not a heading, which ends in `<` or `=`) split at
    tabs or semicolons, or an indented line with tabs between its cells; else []."""
    if line.startswith("^H") and not line.endswith(("<", "=")):
        return table_cells(line[2:])
    if PARAGRAPH_START.match(line) and "\t" in line.strip():
        return [cell.strip() for cell in line.strip().split("\t")]
    return []


def _table_paragraph(rows):
    return TABLE_ROW_BREAK.join(TABLE_CELL_BREAK.join(cells) for cells, _ in rows), rows[0][1]


def _typeset(text):
    """The wire's typewriter marks as print: `_` a dash, `` and '' quotes."""
    text = re.sub(r"(?<=\s)_(?=\s)|^_(?=\s)", "—", text)
    return text.replace("``", "“").replace("''", "”")


def _alert_headline(paragraph):
    """An alert's headline, which the wire does not send: its first sentence, dateline off."""
    text = re.sub(r"^.*?\([^)]*\)\s*—\s*", "", paragraph)
    return text.split(". ")[0].rstrip(".")[:300]


def _printable(text):
    """`text` with its control characters named, for a message."""
    names = {SYN: "SYN", SOH: "SOH", STX: "STX", ETX: "ETX", EOT: "EOT", "\x1f": "US"}
    shown = "".join(f"<{names.get(c, f'{ord(c):#04x}')}>" if ord(c) < 32 else c for c in text)
    return shown if len(shown) <= 80 else shown[:80] + "…"
