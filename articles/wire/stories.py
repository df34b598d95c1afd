"""What a wire file carries: a WireStory and its versions, oldest first."""

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


def dateline(place, agency):
    """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
    return f"{place} ({agency}) —"
