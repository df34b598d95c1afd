"""The bench's archive: its database (one per size), built once with generate_stories,
and the manage.py commands the bench runs against it (bench/bench.py)."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STORIES = int(os.environ.get("BENCH_STORIES", "100000"))
IMPORT_FILES = int(os.environ.get("BENCH_IMPORT_FILES", "500"))
LONG_STORY_REVISIONS = 3000

# One database per archive size, so a small archive for a quick run and the full one
# both stay built.
DATABASE = f"newsdesk_bench_{STORIES}"
ENV = {
    **os.environ,
    "NEWSDESK_DATABASE_NAME": DATABASE,
    "NEWSDESK_BENCH": "1",
    "DEBUG": "0",
    "LOG_LEVEL": "ERROR",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
}


def manage(*args, env=None, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or ENV,
        check=True,
        text=True,
        capture_output=capture,
    )


def say(message):
    print(message, file=sys.stderr, flush=True)


def shell(code, env=None):
    out = manage("shell", "--no-imports", "-c", code, env=env, capture=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else ""


def ensure_archive():
    if "DATABASE_URL" in os.environ and "BENCH_DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL is set: set BENCH_DATABASE_URL to a database the bench may fill.")
    if "BENCH_DATABASE_URL" in os.environ:
        ENV["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    manage("migrate", "--noinput", "-v", "0")
    counts = json.loads(
        shell(
            "import json; from articles.models import Story, Revision; "
            "print(json.dumps([Story.objects.count(), Revision.objects.count()]))"
        )
    )
    if counts[0] != STORIES + 1:
        if counts[0]:
            sys.exit(
                f"The bench database holds {counts[0]} stories, not {STORIES} (+1 long story); "
                "drop it first: make bench-clean"
            )
        say(f"Building a synthetic archive of {STORIES:,} stories (once; later runs reuse it) ...")
        started = time.monotonic()
        manage("generate_stories", "--count", str(STORIES), "--seed", "0")
        manage(
            "generate_stories",
            "--count=1",
            "--seed=1",
            f"--revisions={LONG_STORY_REVISIONS}",
        )
        manage(
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        )
        say(f"... built in {time.monotonic() - started:.0f} s.")
    manage("collectstatic", "--noinput", "-v", "0")
    return json.loads(
        shell(
            "import json; from articles.models import Story, Revision; "
            "print(json.dumps([Story.objects.count(), Revision.objects.count()]))"
        )
    )


def sample_urls():
    """Story, history and compare addresses of stories spread over the archive."""
    code = (
        "import json; from articles.models import Story; "
        "rows = list(Story.objects.order_by('?').filter(revision_number__gt=1)"
        ".values_list('slug', 'revision_number')[:500]); print(json.dumps(rows))"
    )
    return json.loads(shell(code))


def import_throughput():
    """Wire files per second through import_wire into a copy of the bench archive.

    The files are other synthetic stories (another seed), written by generate_stories:
    new stories and breaking updates to them, as a wire feed brings.
    """
    drop_database("newsdesk_bench_import")
    create_database("newsdesk_bench_import", template=DATABASE)
    with tempfile.TemporaryDirectory() as folder:
        env = {**ENV, "NEWSDESK_DATABASE_NAME": "newsdesk_bench_import"}
        manage(
            "generate_stories",
            f"--count={IMPORT_FILES}",
            "--seed=7",
            f"--wire-dir={folder}",
            env=env,
        )
        files = len(list(Path(folder).glob("*.txt")))
        started = time.monotonic()
        manage("import_wire", "-v", "0", folder, env=env)
        elapsed = time.monotonic() - started
    drop_database("newsdesk_bench_import")
    return files / elapsed


def bench_databases():
    """The bench's databases on its server, of every size."""
    code = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute(\"SELECT datname FROM pg_database WHERE datname LIKE 'newsdesk_bench%%'\"); "
        "print(' '.join(name for (name,) in cursor.fetchall()))"
    )
    return shell(code, env={**ENV, "NEWSDESK_DATABASE_NAME": "postgres"}).split()


def drop_database(name):
    """Drop one of the bench's own databases on the embedded server."""
    server_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def create_database(name, template):
    server_sql("CREATE DATABASE {} TEMPLATE {}", name, template)


def server_sql(statement, *names):
    """Run `statement` with `names` quoted into it, on the bench's database server."""
    code = f"from bench.archive import run_on_server; run_on_server({statement!r}, *{names!r})"
    manage("shell", "--no-imports", "-c", code, env={**ENV, "NEWSDESK_DATABASE_NAME": "postgres"})


def run_on_server(statement, *names):
    """server_sql()'s work, inside manage.py: as the owner role, since the application's
    may neither create a database nor drop one it does not own."""
    from psycopg import sql

    from newsdesk.database_roles import owner_connection

    with owner_connection("postgres", autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))
