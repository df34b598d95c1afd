"""An embedded PostgreSQL server for local use, when DATABASE_URL is unset.

The `pgserver` package ships the PostgreSQL binaries as a wheel. The server keeps
running after the process that started it exits, so every later `manage.py` call
(and the test run) reuses it; `python -m newsdesk.embedded_postgres stop` stops it.
"""

import os
import sys
import warnings
from pathlib import Path

DATABASE_NAME = "newsdesk"
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSDESK_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"


# pgserver keeps its lock file in the user's runtime dir and, on import, warns when
# XDG_RUNTIME_DIR is unset (as under root, cron or CI) before falling back to /tmp.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _server(pgdata: Path):
    try:
        import pgserver
    except ImportError as exc:  # pgserver has no wheels for Python 3.13+.
        raise RuntimeError(
            "DATABASE_URL is unset and the embedded PostgreSQL (the pgserver package) is "
            "not installed for this Python; use Python 3.11-3.12 or set DATABASE_URL."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: leave the server running for the next process to reuse.
    return pgserver.get_server(pgdata, cleanup_mode=None)


def database_settings(pgdata: Path) -> dict:
    """Start the server when it is not running and return Django's DATABASES entry."""
    info = _server(pgdata).get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(socket_dir)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(info.port or ""),
    }


def _ensure_database(socket_dir: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres", user="postgres", host=socket_dir, autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def stop(pgdata: Path) -> bool:
    """Stop the server if it runs; return whether there was one to stop."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    user = "pgserver" if _running_as_root() else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    return True


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        print(
            "Stopped the embedded PostgreSQL."
            if stop(PGDATA)
            else "No embedded PostgreSQL was running."
        )
    elif sys.argv[1:] == ["start"]:
        database_settings(PGDATA)
        print(f"The embedded PostgreSQL is running in {PGDATA}.")
    else:
        sys.exit("usage: python -m newsdesk.embedded_postgres start|stop")
