"""An archive nobody empties by accident: the database refuses TRUNCATE of it.

The test database lets the suite truncate (tests/conftest.py); these tests turn that
off for their own session, as every other database session is.
"""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from articles.models import Revision, Story
from tests.helpers import SEED_SLUG


@contextmanager
def truncate_refused():
    with connection.cursor() as cursor:
        cursor.execute("SET newsdesk.allow_truncate = 'off'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET newsdesk.allow_truncate = 'on'")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE articles_story CASCADE",
        "TRUNCATE articles_revision",
        "TRUNCATE articles_revision CASCADE",
        "TRUNCATE articles_revision, articles_story",
    ],
)
def test_truncating_the_archive_is_refused(seed_story, statement):
    table = statement.split()[1].rstrip(",")
    with truncate_refused(), pytest.raises(IntegrityError) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    assert f"{table} cannot be truncated: the archive keeps every story and revision" in str(
        refused.value
    )
    assert Story.objects.count() == 1 and Revision.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_manage_py_flush_fails_on_a_real_archive_and_changes_nothing(seed_story):
    with truncate_refused(), pytest.raises(CommandError) as refused:
        call_command("flush", interactive=False, verbosity=0)

    assert "cannot be truncated" in str(refused.value.__cause__)
    assert Story.objects.get().slug == SEED_SLUG
    assert Revision.objects.count() == 2
