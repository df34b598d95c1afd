"""What a wire file carries: a WireStory and its versions, oldest first, or a WireKill.

The plain-text format fills the story's text; ANPA-1312 and NITF add what a real wire
transmission says of it: its keyword, version, priority, editor's note and embargo.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from articles.text import PARAGRAPH_BREAK


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
    # What a wire transmission (ANPA-1312, NITF) says of the story; empty in plain text.
    keyword: str = ""  # the slug the wire threads versions by, e.g. "BC-US--Lobster Death"
    version: int = 0  # 0 for the first transmission, N for the Nth Ld-Writethru
    version_label: str = ""  # as sent, e.g. "1st Ld-Writethru"
    priority: str = ""  # ANPA's b (bulletin), u (urgent), r (routine), ...
    category: str = ""  # ANPA's category code, e.g. "a" (domestic), "s" (sports)
    editors_note: str = ""  # the "Eds:" note (NITF's ed-msg)
    embargo: datetime | None = None  # not to be shown before this time
    photos: tuple[str, ...] = ()  # photo lines as sent; the archive keeps no images
    distributor: str = ""  # NITF's distributor, e.g. "The Associated Press"
    doc_id: str = ""  # NITF's doc-id

    @property
    def thread_key(self):
        return thread_key(self.keyword)


@dataclass(frozen=True)
class WireKill:
    """The wire's order to withdraw the story with `keyword` (AP's KILL, ELIMINATION)."""

    keyword: str
    reason: str
    wire_time: datetime | None = None

    @property
    def thread_key(self):
        return thread_key(self.keyword)


# The cycle and category before the slug ("BC-US--", "AM-", "a-") change from one
# transmission of a story to the next; the slug itself does not.
_CYCLE = re.compile(r"^(?:(?:AM|PM|BC|AP)-)?(?:[A-Za-z]{2,4}--)?", re.IGNORECASE)


def thread_key(keyword):
    """What versions of one story share: the keyword's slug, without cycle, category,
    spaces, hyphens or case ("BC-US--Giant Lobster Death" -> "giantlobsterdeath")."""
    return re.sub(r"[\W_]+", "", _CYCLE.sub("", keyword.strip())).lower()


def dateline(place, agency):
    """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
    return f"{place} ({agency}) —"
