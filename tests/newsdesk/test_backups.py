"""Nothing lost: `backup` writes a checked dump, `restore` brings it back into an empty database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from articles.models import Revision
from articles.publishing import Dispatch, publish
from articles.text import Kind
from newsdesk.database_roles import owner_connection

SCRATCH = "newsdesk_restore_scratch"


def everything(name):
    """Every story and revision of database `name`, every column, in a fixed order."""
    with owner_connection(name, autocommit=True) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("articles_story", "articles_revision")
        ]


@pytest.fixture
def scratch_database():
    with owner_connection("postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    yield SCRATCH
    with owner_connection("postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(SCRATCH)))


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_is_the_archive_exactly(
    seed_story, make_story, make_editor, scratch_database, tmp_path
):
    make_story("three-versions", revisions=3, headline="São Paulo floods")
    publish(
        "three-versions",
        Dispatch("São Paulo floods", "Corrected text.", Kind.CORRECTION, editors_note="Fixed."),
        expected_revision=3,
        posted_by=make_editor(),
    )
    for _ in range(3):
        call_command("backup", dir=tmp_path, keep=2, verbosity=0)
    dumps = sorted(tmp_path.glob("*.dump"))
    assert len(dumps) == 2 and all((tmp_path / f"{d.name}.sha256").exists() for d in dumps)

    call_command("restore", dumps[-1], into=scratch_database, verbosity=0)

    assert everything(scratch_database) == everything(connection.settings_dict["NAME"])
    assert len(everything(scratch_database)[1]) == Revision.objects.count() == 6
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", dumps[-1], into=scratch_database, verbosity=0)
    with open(dumps[0], "ab") as damaged:
        damaged.write(b"\0")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", dumps[0], into=scratch_database, verbosity=0)
