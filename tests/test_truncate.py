"""An archive nobody empties by accident: the database refuses TRUNCATE of it.

The application's role may not truncate at all (tests/newsdesk/test_database_roles.py);
the owner's sessions are refused too unless they opt in. The suite's owner sessions opt
in (tests/conftest.py); these tests turn that off, as every other session is. And the
README's way to delete one story deliberately does that and nothing else.
"""

import re
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection

from articles.models import Revision, Story
from newsdesk.database_roles import owner_connection
from tests.helpers import SEED_SLUG
from tests.processes import BASE_DIR, database_url_for_tests, manage


@contextmanager
def truncate_refused():
    """The owner's sessions (which `flush` uses) as they are outside the suite."""
    owner = settings.DATABASE_OWNER
    if not owner:  # DATABASE_URL alone: the application's role is the owner
        with connection.cursor() as cursor:
            cursor.execute("SET newsdesk.allow_truncate = 'off'")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET newsdesk.allow_truncate = 'on'")
        return
    options = {**owner["OPTIONS"], "options": "-c newsdesk.allow_truncate=off"}
    settings.DATABASE_OWNER = {**owner, "OPTIONS": options}
    try:
        yield
    finally:
        settings.DATABASE_OWNER = owner


@pytest.mark.django_db(transaction=True)
def test_truncating_the_archive_is_refused_even_to_the_owner(seed_story):
    statements = [
        "TRUNCATE articles_story CASCADE",
        "TRUNCATE articles_revision",
        "TRUNCATE articles_revision CASCADE",
        # Every table that refers to stories with them, or PostgreSQL refuses it sooner.
        "TRUNCATE articles_revision, articles_story, articles_transmission",
        "TRUNCATE articles_transmission",
    ]
    with owner_connection(autocommit=True) as owner:
        owner.execute("SET newsdesk.allow_truncate = 'off'")
        for statement in statements:
            table = statement.split()[1].rstrip(",")
            with pytest.raises(psycopg.errors.RestrictViolation) as refused:
                owner.execute(statement)
            assert (
                f"{table} cannot be truncated: the archive keeps every story and "
                "revision" in str(refused.value)
            ), statement

    assert Story.objects.count() == 1 and Revision.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_manage_py_flush_fails_on_a_real_archive_and_changes_nothing(seed_story):
    with truncate_refused(), pytest.raises(CommandError) as refused:
        call_command("flush", interactive=False, verbosity=0)

    assert "cannot be truncated" in str(refused.value.__cause__)
    assert Story.objects.get().slug == SEED_SLUG
    assert Revision.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_is_refused_in_a_fresh_process_unless_the_session_opts_in(seed_story):
    url = database_url_for_tests("owner")

    refused = manage(
        "flush", "--noinput", DATABASE_URL=url, PGOPTIONS="-c newsdesk.allow_truncate=off"
    )
    assert refused.returncode != 0
    assert f"Database {connection.settings_dict['NAME']} couldn't be flushed" in refused.stderr
    assert Story.objects.count() == 1

    allowed = manage(
        "flush", "--noinput", DATABASE_URL=url, PGOPTIONS="-c newsdesk.allow_truncate=on"
    )
    assert allowed.returncode == 0, allowed.stderr
    assert Story.objects.count() == 0


def readme_deletion_sql(slug):
    readme = (BASE_DIR / "README.md").read_text()
    (sql,) = [sql for sql in re.findall(r"```sql\n(.*?)```", readme, re.DOTALL) if "DELETE" in sql]
    return sql.replace("the-story-slug", slug)


@pytest.mark.django_db(transaction=True)
def test_the_readme_way_to_delete_a_story_deletes_it_and_nothing_else(make_story):
    make_story(slug="to-go", revisions=2)
    kept = make_story(slug="to-stay", revisions=2)
    with owner_connection(autocommit=True) as owner:
        owner.execute(readme_deletion_sql("to-go"))

    assert list(Story.objects.values_list("slug", flat=True)) == ["to-stay"]
    assert Revision.objects.filter(story=kept).count() == 2
    # The guard is back: revisions cannot be deleted again.
    with pytest.raises(IntegrityError, match="cannot be deleted"):
        Revision.objects.filter(story=kept).delete()
