"""The application's database role: rows to read and write, no power over the archive's guards.

The suite runs as that role (tests/conftest.py), so these tests try, as the site's own
connection would under an SQL injection, everything the probe of issue 16 got through.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from articles.models import Revision, Story
from newsdesk.database_roles import (
    check_application_role,
    owner_connection,
    owner_credentials,
    role_warnings,
)

pytestmark = pytest.mark.skipif(
    not owner_credentials(), reason="DATABASE_URL without DATABASE_OWNER_URL: one role"
)

# Each statement, and what the database answers (a fragment of its message).
TAMPERING = [
    ("UPDATE articles_story SET text = 'DEFACED'", "does not match its revisions (text)"),
    ("UPDATE articles_story SET headline = 'DEFACED'", "(headline)"),
    ("UPDATE articles_story SET byline = 'By NOBODY', agency = 'XX'", "(agency, byline)"),
    ("UPDATE articles_story SET kind = 'correction'", "(kind)"),
    ("UPDATE articles_story SET archived_at = archived_at + interval '1 day'", "(archived_at)"),
    ("UPDATE articles_story SET revision_number = 1", "(revision_number)"),
    ("UPDATE articles_story SET slug = 'elsewhere'", "address and first publication time"),
    (
        "UPDATE articles_story SET first_published_at = first_published_at - interval '1 day'",
        "address and first publication time",
    ),
    (
        "INSERT INTO articles_revision (story_id, number, kind, headline, dateline_place,"
        " agency, byline, body, editors_note) SELECT id, 1000, 'update', 'H', '', '', '',"
        " 'Body.', '' FROM articles_story",
        "leaves a gap: the next revision is 3",
    ),
    ("UPDATE articles_revision SET body = 'DEFACED'", "cannot be changed"),
    ("DELETE FROM articles_revision", "cannot be deleted: revisions are kept forever"),
    ("DELETE FROM articles_story", "violates foreign key constraint"),
    ("TRUNCATE articles_story CASCADE", "permission denied"),
    ("TRUNCATE articles_revision", "permission denied"),
    ("ALTER TABLE articles_story DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE articles_revision DISABLE TRIGGER articles_revision_immutable", "must be owner"),
    ("DROP TRIGGER articles_story_fixed_forever ON articles_story", "must be owner"),
    ("ALTER TABLE articles_story DROP COLUMN text", "must be owner"),
    ("DROP TABLE articles_revision", "must be owner"),
    (
        "CREATE OR REPLACE FUNCTION articles_story_defaced_columns(story articles_story)"
        " RETURNS text[] LANGUAGE sql AS $$ SELECT '{}'::text[] $$",
        "permission denied for schema public",
    ),
    ("SET session_replication_role = replica", "permission denied"),
    ("ALTER ROLE CURRENT_USER SET session_replication_role = replica", "permission denied"),
    (
        "CREATE TRIGGER t BEFORE UPDATE ON articles_story EXECUTE FUNCTION"
        " articles_story_fixed_forever()",
        "permission denied",
    ),
    ("SET newsdesk.allow_truncate = on; TRUNCATE articles_story CASCADE", "permission denied"),
]


def test_every_tampering_statement_of_the_application_role_is_refused(seed_story):
    before = Story.objects.values().get()
    revisions = list(Revision.objects.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (settings.DATABASE_APP_USER,)

    accepted = []
    for statement, answer in TAMPERING:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
                # What a COMMIT runs: the checks deferred to the end of the transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except DatabaseError as refused:
            assert answer in str(refused), (statement, str(refused))
        else:
            accepted.append(statement)

    assert accepted == []
    assert Story.objects.values().get() == before
    assert list(Revision.objects.values()) == revisions


def test_the_owner_role_owns_every_table_and_the_application_none(db):
    with owner_connection() as owner:
        owners = owner.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class"
            " WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'i')"
        ).fetchall()
    assert owners == [(owner_credentials()["USER"],)]


def test_check_deploy_warns_when_the_application_role_owns_the_tables(db):
    assert check_application_role() == []

    with owner_connection() as owner:
        warnings = role_warnings(owner.cursor(), owner_credentials()["USER"])

    assert [warning.id for warning in warnings] == ["newsdesk.W102"]
    assert "owns" in warnings[0].msg


@pytest.mark.django_db(transaction=True)
def test_migrate_runs_as_the_owner_and_grants_the_application_its_rows():
    call_command("migrate", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, has_table_privilege('articles_story', 'UPDATE'),"
            " has_table_privilege('articles_story', 'TRUNCATE'),"
            " has_table_privilege('articles_revision', 'TRIGGER')"
        )
        assert cursor.fetchone() == (settings.DATABASE_APP_USER, True, False, False)


def test_the_bench_makes_and_drops_its_databases_as_the_owner(db):
    from bench.archive import run_on_server  # the bench is no package of the site

    name = "newsdesk_bench_roles_probe"
    run_on_server("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    run_on_server("CREATE DATABASE {} TEMPLATE {}", name, "template0")
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]
            )
            assert cursor.fetchone() == (owner_credentials()["USER"],)
    finally:
        run_on_server("DROP DATABASE {} WITH (FORCE)", name)
