"""Which format a wire file is in, told by its content, in one place for every entry point.

ANPA-1312 starts with SYN SYN SOH; NITF is XML whose root is <nitf>; anything else is
read as the plain-text format.
"""

from articles.wire import anpa, nitf, plaintext
from articles.wire.errors import WireFormatError
from articles.wire.stories import WireKill, WireStory

PLAIN_TEXT, ANPA, NITF = "plain text", "ANPA-1312", "NITF"


def detect(text: str) -> str:
    if anpa.looks_like(text):
        return ANPA
    if nitf.looks_like(text):
        return NITF
    return PLAIN_TEXT


def detect_bytes(data: bytes) -> str:
    if data.startswith(anpa.START.encode()):
        return ANPA
    return detect(data[:4096].decode("utf-8", "replace"))


def parse_bytes(data: bytes, max_bytes: int) -> WireStory | WireKill:
    """A file's bytes parsed in the format its content shows; WireFormatError if not."""
    if len(data) > max_bytes:
        raise WireFormatError(f"the file is over {max_bytes:,} bytes, the most a story may be")
    if data.startswith(anpa.START.encode()):
        # ANPA-1312 is a byte stream of its time: UTF-8 when it is, else Latin-1.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        return anpa.parse(text)
    text = plaintext.decode(data, max_bytes)
    if detect(text) == NITF:
        return nitf.parse(text)
    return plaintext.parse(text)
