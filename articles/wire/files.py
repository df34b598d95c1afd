"""Wire files on disk: which files a folder holds for the importer, and reading one
without waiting on anything that is not a regular file."""

import errno
import os
import stat
from pathlib import Path

from django.conf import settings

from articles.wire.plaintext import DEFAULT_MAX_BYTES


class ImportRefused(Exception):
    """A wire file was not archived, for the reason given; nothing of it was written."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)

    def located(self, path):
        """The reason as `file:line: message`, the way compilers point at a line."""
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


def max_bytes():
    return getattr(settings, "WIRE_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_bytes(path) -> bytes:
    """The file's bytes, up to one more than a story may have (to tell it is too large)."""
    refuse_unless_regular(os.stat(path).st_mode)
    # Opened without waiting, and checked again: a FIFO put there meanwhile would
    # otherwise hold the import until something wrote to it.
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        refuse_unless_regular(os.fstat(file.fileno()).st_mode)
        return file.read(max_bytes() + 1)


SPECIAL_FILES = [
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
]


def special_kind(mode):
    """What a file that is not a regular file is ("a FIFO"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in SPECIAL_FILES if test(mode)), "not a regular file")


def refuse_unless_regular(mode):
    kind = special_kind(mode)
    if kind:
        raise ImportRefused(f"{kind}, not a wire file: not read")


WIRE_SUFFIXES = {".txt", ".anpa", ".xml", ".nitf"}


def wire_files(paths, skipped=None):
    """The files to import: each path given, and every wire file (*.txt, *.anpa, *.xml,
    *.nitf) under a directory.

    Files under a directory come in name order; hidden files and directories (editor
    and operating-system droppings) are passed over. An entry that cannot be a
    wire file (a FIFO, a device, a symbolic link that loops or leads nowhere) is not
    read: (path, why) goes into `skipped`, for the summary to name it.
    """
    skipped = [] if skipped is None else skipped
    for path in map(Path, paths):
        if not path.is_dir():
            yield path  # named by the user: read_wire_file() refuses what is not a file
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
            if found.suffix.lower() not in WIRE_SUFFIXES or hidden or found.is_dir():
                continue
            why = unreadable(found)
            if why:
                skipped.append((found, why))
            else:
                yield found


def unreadable(path):
    """Why `path` is no file to read ("a FIFO", "a symbolic link loop"), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "a symbolic link to nothing"
        return f"cannot read it: {exc.strerror or exc}"
    return special_kind(mode)
