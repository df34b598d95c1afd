"""Running Newsdesk in another process, as an operator would: manage.py, runserver."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from newsdesk.database_roles import owner_credentials

BASE_DIR = Path(__file__).resolve().parent.parent

# Production settings that pass `check --deploy`; the database is never reached by `check`.
PRODUCTION = {
    "NEWSDESK_ENV": "production",
    "DATABASE_URL": "postgres://newsdesk@127.0.0.1:9/newsdesk",
    "SECRET_KEY": "x7#kQ2!vR9" * 6,
    "ALLOWED_HOSTS": "news.example.org",
}


def manage(*args, timeout=120, **env):
    """Run manage.py with `env` over this environment; "" unsets a variable."""
    environ = {**os.environ, **env}
    for name in [name for name, value in env.items() if value == ""]:
        del environ[name]
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def database_url_for_tests(role=None):
    """A DATABASE_URL for the test database, for processes that should share it: as the
    application's role, or as the owner's with role="owner"."""
    db = connection.settings_dict
    if role == "owner":
        db = {**db, **owner_credentials()}
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db["HOST"] or "localhost", safe="")  # a socket directory, %2F-encoded
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"
