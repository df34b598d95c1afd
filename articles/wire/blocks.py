"""A wire file's text cut into paragraphs ("blocks"), each knowing its line in the file."""

from dataclasses import dataclass

from articles.text import NOT_TEXT
from articles.wire.errors import WireFormatError


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]
    line: int  # where the block starts in the file

    @property
    def text(self):
        # A hard-wrapped paragraph is one paragraph: its lines join with a space.
        return " ".join(self.lines)


def split_blocks(text: str) -> list[Block]:
    """Split text into blank-line separated blocks of stripped lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks, lines, start = [], [], 0
    for number, raw in enumerate(text.split("\n") + [""], start=1):
        # The one plain-text rule, applied line by line to point at the line and column;
        # line ends are split off already, tabs are text.
        if found := NOT_TEXT.search(raw):
            raise WireFormatError(
                f"control character U+{ord(found[0]):04X} in column {found.start() + 1}; "
                "only plain text, line ends and tabs may appear",
                number,
            )
        line = raw.strip()
        if line:
            start = start or number
            lines.append(line)
        elif lines:
            blocks.append(Block(tuple(lines), start))
            lines, start = [], 0
    return blocks
