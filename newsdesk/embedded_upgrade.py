"""Moving an archive from an older embedded PostgreSQL (pgserver's 16) to the current one.

The old server is started from its own package one last time, each database is dumped
with pg_dump, the old data directory is set aside (never deleted), and the dumps are
restored into a new data directory, owned by the owner role. pg_upgrade would need both
servers' binaries side by side in one layout; a dump and restore needs only the old server.
"""

import logging
import os
import sys
import warnings
from pathlib import Path

from newsdesk import backups, embedded_postgres


def upgrade(pgdata: Path, major: int) -> None:
    old_major = embedded_postgres.data_version(pgdata)
    kept = pgdata.with_name(f"{pgdata.name}-{old_major}")
    dumps = pgdata.with_name(f"upgrade-from-{old_major}")
    if kept.exists():
        raise RuntimeError(
            f"{pgdata} was made by PostgreSQL {old_major} and {kept} exists from an earlier "
            "upgrade: move one of them away, then start again."
        )
    dumps.mkdir(exist_ok=True)
    print(f"Upgrading {pgdata} from PostgreSQL {old_major} to {major}...", file=sys.stderr)
    names = _dump_with_old_server(pgdata, dumps)
    pgdata.rename(kept)
    try:
        _restore_into_new_server(pgdata, dumps, names)
    except Exception:
        embedded_postgres.stop(pgdata)
        pgdata.rename(pgdata.with_name(f"{pgdata.name}-{major}-failed"))
        kept.rename(pgdata)
        raise
    print(
        f"Upgraded: {', '.join(names)} restored into PostgreSQL {major}. The old data "
        f"directory is kept in {kept} and its dumps in {dumps}; delete them when satisfied.",
        file=sys.stderr,
    )


def _dump_with_old_server(pgdata: Path, dumps: Path) -> list[str]:
    # Its logger would write at exit, to a stream gone by then; its import warns when
    # XDG_RUNTIME_DIR is unset.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import pgserver
        from pgserver._commands import pg_ctl
    except ImportError as exc:
        raise RuntimeError(
            f"{pgdata} was made by the old embedded PostgreSQL 16, which is needed once to "
            "dump it: run `make install` (it installs it when var/ needs it) or "
            "`pip install 'pgserver==0.1.4'`, then start again."
        ) from exc
    socket_dir = str(
        pgserver.get_server(pgdata, cleanup_mode=None).get_postmaster_info().socket_dir
    )
    with embedded_postgres.superuser_connection(socket_dir) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"
                " AND datname <> 'postgres' ORDER BY datname"
            )
        ]
    superuser = {"HOST": socket_dir, "USER": embedded_postgres.SUPERUSER}
    for name in names:
        backups.dump(superuser, dumps / f"{name}.dump", name)
    user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    return names


def _restore_into_new_server(pgdata: Path, dumps: Path, names: list[str]) -> None:
    import psycopg

    from newsdesk.database_roles import grant

    for name in names:
        started = embedded_postgres.start_locked(pgdata, name)  # the roles and the database
        owner = {**started, "USER": embedded_postgres.OWNER_ROLE}
        backups.restore(owner, dumps / f"{name}.dump")
        with psycopg.connect(
            dbname=name, user=embedded_postgres.OWNER_ROLE, host=started["HOST"], autocommit=True
        ) as conn:
            grant(conn, embedded_postgres.APP_ROLE)
