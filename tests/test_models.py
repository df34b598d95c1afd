"""Stories and revisions: history the database will not let anyone rewrite."""

import pytest
from django.db import IntegrityError, connection, transaction

from articles.models import Kind, Revision, Story
from articles.publishing import Dispatch, publish
from tests.helpers import BREAKING_NOTE, SEED_SLUG

REVISION_CONSTRAINTS = {
    "articles_revision_unique_number",
    "articles_revision_number_positive",
    "articles_revision_kind_valid",
    "articles_revision_has_text",
    "articles_revision_breaking_update_over_earlier_story",
}


@pytest.fixture
def revision(seed_story):
    return seed_story.revisions.get(number=1)


def stored(revision):
    return Revision.objects.filter(pk=revision.pk).values().get()


def insert_revision(story, number):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_revision (story_id, number, kind, headline, dateline_place,"
            " agency, byline, body, editors_note) VALUES (%s, %s, 'original', 'H', '', '', '',"
            " 'Body.', '')",
            [story.pk, number],
        )


def test_raw_sql_update_of_a_revision_body_fails(revision):
    before = stored(revision)

    with pytest.raises(IntegrityError, match="cannot be changed: publish a new revision"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_revision SET body = 'Rewritten.' WHERE id = %s", [revision.pk]
            )

    assert stored(revision) == before


def test_raw_sql_delete_of_a_revision_fails(revision):
    with pytest.raises(IntegrityError, match="cannot be deleted: revisions are kept forever"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_revision WHERE id = %s", [revision.pk])

    assert Revision.objects.filter(pk=revision.pk).exists()


def test_queryset_update_of_revisions_fails(revision):
    before = stored(revision)

    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            Revision.objects.filter(pk=revision.pk).update(headline="A new headline")

    assert stored(revision) == before


def test_revision_delete_fails(revision):
    with pytest.raises(IntegrityError, match="cannot be deleted"):
        with transaction.atomic():
            revision.delete()

    assert Revision.objects.filter(pk=revision.pk).exists()


def test_saving_a_revision_unchanged_is_allowed(revision):
    before = stored(revision)

    Revision.objects.get(pk=revision.pk).save()

    assert stored(revision) == before


def test_revision_constraints_exist_by_name(db):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "articles_revision"))
    assert REVISION_CONSTRAINTS <= names


def test_revision_number_is_unique_per_story(seed_story):
    with pytest.raises(IntegrityError, match="articles_revision_unique_number"):
        with transaction.atomic():
            insert_revision(seed_story, 2)

    assert seed_story.revisions.count() == 2


def test_revision_number_starts_at_one(seed_story):
    with pytest.raises(IntegrityError, match="articles_revision_number_positive"):
        with transaction.atomic():
            insert_revision(seed_story, 0)

    assert seed_story.revisions.count() == 2


def test_seed_at_revision_2_shows_breaking_top_over_earlier_story(seed_story):
    assert [revision.number for revision in seed_story.revision_stack()] == [2, 1]


def test_seed_at_revision_1_shows_only_earlier_story(seed_story):
    assert [revision.number for revision in seed_story.revision_stack(1)] == [1]


def test_write_thru_update_ends_the_stack(make_story):
    make_story("storm", revisions=2)
    publish(
        "storm",
        Dispatch(headline="Storm passes", body="The full story.", kind=Kind.UPDATE),
        expected_revision=2,
    )
    publish(
        "storm",
        Dispatch(
            headline="Storm passes",
            body="A new top.",
            kind=Kind.BREAKING_UPDATE,
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=3,
    )
    story = Story.objects.get(slug="storm")

    assert [revision.number for revision in story.revision_stack(3)] == [3]
    assert [revision.number for revision in story.revision_stack()] == [4, 3]


def test_urls_of_story_history_and_revision(seed_story):
    assert seed_story.get_absolute_url() == f"/stories/{SEED_SLUG}/"
    assert seed_story.get_history_url() == f"/stories/{SEED_SLUG}/history/"
    assert seed_story.revisions.get(number=2).get_absolute_url() == (
        f"/stories/{SEED_SLUG}/revisions/2/"
    )


def test_story_natural_key_round_trips(seed_story):
    assert seed_story.natural_key() == (SEED_SLUG,)
    assert Story.objects.get_by_natural_key(*seed_story.natural_key()) == seed_story


def test_revision_natural_key_round_trips(seed_story):
    revision = seed_story.revisions.get(number=2)
    assert revision.natural_key() == (SEED_SLUG, 2)
    assert Revision.objects.get_by_natural_key(*revision.natural_key()) == revision


def test_revision_dateline_reads_as_the_wire_prints_it(revision):
    assert revision.dateline == "SEOUL, South Korea (AP) —"


def test_story_lede_is_first_paragraph_with_dateline(seed_story, seed_parts):
    assert seed_story.lede == seed_parts.top[0]
    assert seed_story.lede.startswith("SEOUL, South Korea (AP) — Russian state news agency")
