"""`manage.py backup`: a consistent dump of the archive, its checksum, and the last N kept.

pg_dump reads the whole database in one snapshot, so a dump taken while the wire
imports and editors post is still one moment of the archive. `make backup` runs it.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from newsdesk import backups, embedded_postgres
from newsdesk.database_roles import owner_credentials

DEFAULT_DIR = Path(os.environ.get("NEWSDESK_BACKUP_DIR", embedded_postgres.VAR_DIR / "backups"))


class Command(BaseCommand):
    help = "Dump the archive (pg_dump, custom format) with a SHA-256 file; keep the last N."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=DEFAULT_DIR, help=f"Where dumps go (default {DEFAULT_DIR})."
        )
        parser.add_argument(
            "--keep", type=int, default=7, help="How many dumps to keep, newest first (7)."
        )

    def handle(self, dir, keep, verbosity, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: the dump just written is kept.")
        owner = {**connection.settings_dict, **owner_credentials()}
        dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S.%fZ")
        path = dir / f"{owner['NAME']}-{stamp}.dump"
        try:
            backups.dump(owner, path)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        removed = prune(dir, owner["NAME"], keep)
        if verbosity:
            self.stdout.write(
                f"Wrote {path} ({path.stat().st_size:,} bytes) and its checksum"
                + (f"; removed {len(removed)} older dump(s)." if removed else ".")
            )


def prune(dir: Path, name: str, keep: int) -> list[Path]:
    """Remove all but the `keep` newest dumps of database `name` (and their checksums)."""
    dumps = sorted(dir.glob(f"{name}-*.dump"), reverse=True)
    for old in dumps[keep:]:
        old.unlink()
        backups.checksum_path(old).unlink(missing_ok=True)
    return dumps[keep:]
