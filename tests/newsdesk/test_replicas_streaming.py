"""The replica router against a real streaming standby, made with pg_basebackup from the
embedded PostgreSQL's own binaries: a writer reads what it posted while the standby
lags, readers get the standby's pages, and no page the lag made stale outlives it."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from newsdesk import embedded_postgres
from newsdesk.middleware.replicas import PIN_COOKIE
from tests.editing.test_editing import NEW_TOP, post_url, update

# The standby is a mirror of the test database: tests flush the primary, never it.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])
NEW_WORDS = "Shoigu said the workers would arrive within weeks."


def server_setting(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def as_owner_of(path):
    """Run a server program as the user owning the primary's data (postgres refuses root)."""
    owner = Path(path).stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return {}
    return {"user": owner.st_uid, "group": owner.st_gid}


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the test database's server, streaming from it, as replica_1."""
    # The application's role may not read where the server's programs and data are: the
    # standby is made of the embedded server, whose folders the launcher knows.
    if os.environ.get("DATABASE_URL"):
        pytest.skip("a standby is made only of the embedded PostgreSQL")
    bindir, data = embedded_postgres.bin_path(), embedded_postgres.PGDATA
    primary_socket = connection.settings_dict["HOST"]
    if not (bindir / "pg_basebackup").exists():
        pytest.skip(f"the embedded PostgreSQL ships no pg_basebackup in {bindir}")
    owner = as_owner_of(data)
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-standby-"))
    if owner:
        os.chown(folder, owner["user"], owner["group"])
    port = str(20000 + os.getpid() % 10000)
    run = {"check": True, "capture_output": True, **owner}
    try:
        subprocess.run(
            [bindir / "pg_basebackup", "-h", primary_socket, "-U", "postgres",
             "-D", folder / "data", "-R", "-X", "stream", "-c", "fast"],
            **run,
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses='' -c hot_standby=on"
        subprocess.run(
            [bindir / "pg_ctl", "-D", folder / "data", "-o", options, "-l", folder / "log",
             "-w", "start"],
            **run,
        )  # fmt: skip
        # Registered as DATABASE_REPLICA_URLS would, before any test of the module starts.
        entry = {**connections["default"].settings_dict, "HOST": str(folder), "PORT": port}
        entry["TEST"] = {**entry["TEST"], "MIRROR": "default"}
        settings.DATABASES["replica_1"] = connections.settings["replica_1"] = entry
        yield connections["replica_1"]
    finally:
        if "replica_1" in settings.DATABASES:
            connections["replica_1"].close()
            del connections["replica_1"]
        settings.DATABASES.pop("replica_1", None)
        connections.settings.pop("replica_1", None)
        subprocess.run(
            [bindir / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"],
            capture_output=True,
            **owner,
        )
        shutil.rmtree(folder, ignore_errors=True)


def caught_up(replica):
    # The test databases commit asynchronously: a commit may still sit in the WAL buffers,
    # past pg_current_wal_lsn() (what is written), so wait for what is inserted.
    wanted = server_setting("SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + 10
    while True:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [wanted])
            if cursor.fetchone()[0]:
                return
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.05)


def replay(replica, paused):
    # Pausing replay is the server's superuser's to do, not the application's role's.
    where = replica.settings_dict
    with psycopg.connect(
        host=where["HOST"], port=where["PORT"], dbname=where["NAME"], user="postgres",
        autocommit=True,
    ) as superuser:  # fmt: skip
        superuser.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


def test_a_writer_reads_its_post_while_the_standby_lags_and_readers_catch_up(
    standby, editor_client, seed_story
):
    replica, reader = standby, Client()
    caught_up(replica)
    replay(replica, paused=True)
    try:
        posted = editor_client.post(post_url(seed_story), update(2, NEW_TOP))
        assert posted.status_code == 302 and PIN_COOKIE in posted.cookies

        # The writer: the public page, from the primary.
        assert NEW_WORDS in editor_client.get(seed_story.get_absolute_url()).content.decode()
        # A reader: from the lagging standby, and never from a copy cached of it.
        for _ in range(2):
            lagging = reader.get(seed_story.get_absolute_url())
            assert NEW_WORDS not in lagging.content.decode() and lagging["X-Cache"] == "miss"
    finally:
        replay(replica, paused=False)
    caught_up(replica)

    assert NEW_WORDS in reader.get(seed_story.get_absolute_url()).content.decode()
