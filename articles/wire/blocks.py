"""A wire file's text cut into paragraphs ("blocks"), each knowing its line in the file."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from articles.text import validate_plain_text
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
        # The archive's one plain-text rule, line by line, so that the refusal names the
        # line, and the position in it; line ends are split off already, tabs are text.
        try:
            validate_plain_text(raw)
        except ValidationError as error:
            raise WireFormatError(error.messages[0], number) from None
        line = raw.strip()
        if line:
            start = start or number
            lines.append(line)
        elif lines:
            blocks.append(Block(tuple(lines), start))
            lines, start = [], 0
    return blocks
