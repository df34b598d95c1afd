"""A folder the wire drops files into, imported as they arrive (`import_wire --watch DIR`).

Each poll takes every file that has stopped growing since the poll before, archives it
through transmissions.receive(), and moves it to DIR/done/, or to DIR/rejected/ with
NAME.reason.txt beside it; one log line a file. The archive remembers every
transmission's digest in the transaction that archives it, so a file whose move a
crash or a restart interrupted is answered "received already" and moved, never
imported twice.
"""

import logging
import os
import threading
from pathlib import Path

from django.db import InterfaceError, OperationalError, close_old_connections, connection

from articles.wire.importing import ImportRefused, max_bytes
from articles.wire.transmissions import receive

logger = logging.getLogger("newsdesk.wire")

DONE, REJECTED = "done", "rejected"
# Names a sender writes to before renaming the file into place: not ready yet.
PARTIAL_SUFFIXES = (".tmp", ".part", ".partial", ".swp")


class Inbox:
    def __init__(self, folder):
        self.folder = Path(folder)
        for name in (DONE, REJECTED):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        self.sizes = {}  # each waiting file's (size, mtime) at the poll before

    def ready(self):
        """The files that have not changed since the last poll, in name order."""
        seen, ready = {}, []
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or path.name.endswith(PARTIAL_SUFFIXES):
                continue
            if not path.is_file():
                continue
            stat = path.stat()
            seen[path] = (stat.st_size, stat.st_mtime_ns)
            if self.sizes.get(path) == seen[path]:
                ready.append(path)
        self.sizes = {path: mark for path, mark in seen.items() if path not in ready}
        return ready

    def take(self, path):
        """Archive one file and move it where it belongs; the line logged for it."""
        try:
            with open(path, "rb") as file:
                data = file.read(max_bytes() + 1)
            received = receive(data, path.name)
        except ImportRefused as refusal:
            if isinstance(refusal.__cause__, (OperationalError, InterfaceError)):
                # The database is away, not the file wrong: tried again at the next poll.
                line = f"{path.name}: left for the next poll: {refusal}"
                logger.error(line)
                return line
            moved = self._move(path, REJECTED)
            moved.with_name(moved.name + ".reason.txt").write_text(
                refusal.located(path.name) + "\n"
            )
            line = f"{path.name}: rejected: {refusal}"
            logger.warning(line)
            return line
        except OSError as error:  # gone, or unreadable: tried again at the next poll
            line = f"{path.name}: cannot read it yet: {error.strerror or error}"
            logger.warning(line)
            return line
        self._move(path, DONE)
        line = f"{path.name}: {received.outcome} “{received.story.slug}”" + (
            f": {received.note}" if received.note else ""
        )
        logger.info(line)
        return line

    def poll(self):
        if not connection.in_atomic_block:
            close_old_connections()  # a long-running watcher outlives connections
        return [self.take(path) for path in self.ready()]

    def _move(self, path, where):
        target = self.folder / where / path.name
        number = 1
        while target.exists():  # the same name sent again: keep both
            number += 1
            target = self.folder / where / f"{path.stem}.{number}{path.suffix}"
        os.replace(path, target)
        return target


def watch(folder, *, interval=2.0, max_polls=None, stop=None):
    """Poll `folder` every `interval` seconds until `stop` is set (or `max_polls` polls)."""
    inbox, stop = Inbox(folder), stop or threading.Event()
    logger.info("watching %s for wire files", inbox.folder)
    polls = 0
    while not stop.is_set() and (max_polls is None or polls < max_polls):
        inbox.poll()
        polls += 1
        stop.wait(interval)
