"""Which build of Newsdesk is serving, for validators and cache keys.

A page depends on the archive and on the code and templates that render it. ETags and
the page cache follow the archive (articles/conditional.py, newsdesk/caching.py); the
release digest makes them follow a deploy too, so that after one no browser is told
"304 Not Modified" for HTML that links stylesheets the deploy replaced, and no shared
Redis hands out pages rendered by the code before it.

RELEASE in the environment names the build (say, the git commit a deploy ships);
without it, the digest of the project's own source files stands for it.
"""

import hashlib
from pathlib import Path

SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json"}
SOURCE_DIRS = ("articles", "newsdesk", "templates", "static")


def source_digest(base_dir: Path) -> str:
    """A short digest of every source file under `base_dir`'s code, templates and static."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in SOURCE_DIRS:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
