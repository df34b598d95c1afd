"""Starting the embedded PostgreSQL (newsdesk/embedded_postgres.py) for the entry points
that need a database when DATABASE_URL is unset: manage.py, the WSGI/ASGI application and
the test session. A data directory an older PostgreSQL made is upgraded first
(newsdesk/embedded_upgrade.py). `python -m newsdesk.database_server start|stop`.
"""

import fcntl
import os
import sys
from pathlib import Path

from newsdesk import embedded_upgrade
from newsdesk.embedded_postgres import (
    DATABASE_NAME,
    MAJOR_VERSION,
    PGDATA,
    data_version,
    start_locked,
    stop,
)


def start_unless_database_url() -> None:
    """Without DATABASE_URL, start the server and point the settings at it."""
    from django.conf import settings

    entry = settings.DATABASES["default"]  # loads the settings: production refuses first
    if not os.environ.get("DATABASE_URL"):
        running = start(PGDATA, entry["NAME"])
        entry.update(HOST=running["HOST"], PORT=running["PORT"])


def start(pgdata: Path = PGDATA, name: str = DATABASE_NAME) -> dict:
    """Start the server if it is not running, create database `name` if missing, and
    return Django's DATABASES entry for it."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # Two gunicorn workers may start at once: one creates and tunes, the other waits.
    with open(pgdata.parent / "pgdata.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if data_version(pgdata) not in (None, MAJOR_VERSION):
            embedded_upgrade.upgrade(pgdata, MAJOR_VERSION)
        return start_locked(pgdata, name)


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        print(
            "Stopped the embedded PostgreSQL."
            if stop(PGDATA)
            else "No embedded PostgreSQL was running."
        )
    elif sys.argv[1:] == ["start"]:
        start(PGDATA)
        print(f"The embedded PostgreSQL is running in {PGDATA}.")
    else:
        sys.exit("usage: python -m newsdesk.database_server start|stop")
