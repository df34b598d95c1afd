"""`manage.py restore FILE`: a dump made by `backup`, into an empty database only.

The checksum is verified first; a database that holds any table is refused, so a
restore never mixes two archives. The restored tables belong to the owner role and the
application's role gets its rows, as after `migrate`.
"""

from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsdesk import backups
from newsdesk.database_roles import (
    application_role,
    grant,
    owner_connection,
    owner_credentials,
)


class Command(BaseCommand):
    help = "Restore a dump made by `backup` into an empty database (refuses a non-empty one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="The .dump file; its .sha256 must be beside it."
        )
        parser.add_argument(
            "--into", help="Another database on the same server (default: the configured one)."
        )

    def handle(self, file, into, verbosity, **options):
        owner = {**connection.settings_dict, **owner_credentials()}
        name = into or owner["NAME"]
        try:
            backups.verify(file)
            with owner_connection(name, autocommit=True) as conn:
                tables = conn.execute(
                    "SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p') AND"
                    " relnamespace NOT IN (SELECT oid FROM pg_namespace"
                    " WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast'))"
                ).fetchone()[0]
            if tables:
                raise CommandError(
                    f"Database {name} is not empty ({tables} tables): restore into an empty "
                    "database, never over an archive."
                )
            backups.restore(owner, file, name)
            with owner_connection(name, autocommit=True) as conn:
                if application_role():
                    grant(conn, application_role())
        except (RuntimeError, psycopg.Error) as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(f"Restored {file} into database {name}.")
