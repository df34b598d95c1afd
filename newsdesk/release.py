"""Which build of Newsdesk is serving: part of every ETag and page-cache key, so that a
deploy changes them all (no 304 for HTML of the previous build, no page of it from a
shared Redis)."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json"}
SOURCE_DIRS = ("articles", "newsdesk", "templates", "static")


def current() -> str:
    """settings.RELEASE (the RELEASE variable, say the commit a deploy ships), else the
    digest of the source this process runs."""
    return settings.RELEASE or source_release()


@cache
def source_release() -> str:
    # Computed once per process, at its first page: a deploy starts new processes.
    return source_digest(BASE_DIR)


def source_digest(base_dir: Path) -> str:
    """A short digest of every source file under `base_dir`'s code, templates and static."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in SOURCE_DIRS:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
