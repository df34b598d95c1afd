"""Stories and revisions: history the database will not let anyone rewrite."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Revision, Story
from articles.publishing import Dispatch, publish
from articles.text import PARAGRAPH_BREAK, Kind, published_text
from tests.helpers import BREAKING_NOTE, SEED_SLUG, archive, aware, texts_in

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


# One rule for the published text


def mixed_archive(make_story):
    """Stories of every shape: originals, stacked breaking updates, write-thrus,
    corrections, and datelines with and without an agency, or none."""
    call_command("loaddata", "seed", verbosity=0)
    make_story("original")
    make_story("stacked", revisions=4)
    make_story("write-thru", revisions=2)
    publish(
        "write-thru", Dispatch("Rewritten", "The whole story.", Kind.UPDATE), expected_revision=2
    )
    publish(
        "write-thru",
        Dispatch(
            "Rewritten",
            "A new top.",
            Kind.BREAKING_UPDATE,
            "TOKYO",
            "AP",
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=3,
    )
    make_story("corrected")
    publish(
        "corrected",
        Dispatch("Fixed", "Fixed text.", Kind.CORRECTION, "MIAMI", editors_note="Corrects a name."),
        expected_revision=1,
    )
    publish(
        "corrected",
        Dispatch(
            "Fixed", "Top over a correction.", Kind.BREAKING_UPDATE, editors_note=BREAKING_NOTE
        ),
        expected_revision=2,
    )
    publish("no-dateline", Dispatch("Bare", "No dateline.\n\nTwo paragraphs."), expected_revision=0)
    return Story.objects.order_by("slug")


def test_stored_text_is_the_published_text_the_story_page_shows(client, make_story):
    stories = mixed_archive(make_story)
    assert stories.count() == 6

    for story in stories:
        page = client.get(story.get_absolute_url())
        # Each note as sent, without the line the page dates and signs it with.
        metas = texts_in(page.content, "note-meta")
        shown = [
            next((text.removeprefix(m).strip() for m in metas if text.startswith(m)), text)
            for text in texts_in(page.content, "story-body", "p")
        ]

        assert story.text == published_text(story.revision_stack()), story.slug
        assert shown == story.text.split(PARAGRAPH_BREAK), story.slug


def test_breaking_update_over_a_correction_keeps_the_correction_note(make_story):
    mixed_archive(make_story)

    text = Story.objects.get(slug="corrected").text

    assert text.split(PARAGRAPH_BREAK) == [
        "Top over a correction.",
        BREAKING_NOTE,
        "MIAMI — Fixed text.",
        "Corrects a name.",
    ]


# The story row matches its newest revision, at commit


def at_commit(sql, params=()):
    """Run `sql` and the checks deferred to commit, in a savepoint that is rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE articles_story SET revision_number = 1",
        "UPDATE articles_story SET headline = 'A headline no revision has'",
        "UPDATE articles_story SET kind = 'original'",
        "UPDATE articles_story SET dateline_place = 'PARIS'",
        "UPDATE articles_story SET updated_at = updated_at + interval '1 hour'",
    ],
)
def test_raw_sql_cannot_move_a_story_off_its_newest_revision(seed_story, sql):
    before = archive()

    with pytest.raises(IntegrityError, match="does not match its revisions"):
        at_commit(sql)

    assert archive() == before


def test_a_story_without_revisions_cannot_be_committed(db):
    with pytest.raises(IntegrityError, match="has no revision"):
        at_commit(STORY_INSERT, story_values())

    assert not Story.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_loading_the_seed_over_a_story_that_moved_on_fails_and_keeps_it(make_editor):
    call_command("loaddata", "seed", verbosity=0)
    story = Story.objects.get(slug=SEED_SLUG)
    publish(
        SEED_SLUG,
        Dispatch(story.headline, "A third version.", Kind.UPDATE, "SEOUL, South Korea", "AP"),
        expected_revision=2,
        posted_by=make_editor(),
    )
    before = archive()

    with pytest.raises(IntegrityError, match="does not match its revisions"):
        call_command("loaddata", "seed", verbosity=0)

    assert archive() == before
    assert Story.objects.get(slug=SEED_SLUG).revision_number == 3


def test_pages_of_a_story_without_revisions_are_404s_not_500s(client, db):
    """Such a story cannot be committed; inside the transaction that made it, no page
    of it may fail."""
    story_url = reverse("articles:story_detail", kwargs={"slug": "broken"})
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(STORY_INSERT, story_values(slug="broken"))
        detail = client.get(story_url)
        history = client.get(reverse("articles:story_history", args=["broken"]))
        # Its "current revision" address sends the reader to the story page, as for any story.
        current = client.get(reverse("articles:revision_detail", args=["broken", 1]))
        earlier = client.get(reverse("articles:revision_detail", args=["broken", 0]))
        transaction.set_rollback(True)

    assert (detail.status_code, history.status_code, earlier.status_code) == (404, 404, 404)
    assert (current.status_code, current.url) == (302, story_url)
    assert not Story.objects.exists()


# Every check constraint, against a raw insert


STORY_INSERT = (
    "INSERT INTO articles_story (slug, headline, dateline_place, agency, byline, text, kind,"
    " revision_number, first_published_at, updated_at, archived_at)"
    " VALUES (%(slug)s, 'H', '', '', '', 'Text.', %(kind)s, %(revision_number)s, now(), now(),"
    " now())"
)
REVISION_INSERT = (
    "INSERT INTO articles_revision (story_id, number, kind, headline, dateline_place, agency,"
    " byline, body, editors_note) VALUES (%(story_id)s, %(number)s, %(kind)s, %(headline)s,"
    " '', '', '', %(body)s, %(editors_note)s)"
)


def story_values(**changes):
    return {"slug": "raw", "kind": "original", "revision_number": 1, **changes}


def revision_values(story, **changes):
    values = {"number": 3, "kind": "original", "headline": "H", "body": "B", "editors_note": ""}
    return {"story_id": story.pk, **values, **changes}


@pytest.mark.parametrize(
    "changes, constraint",
    [
        ({"revision_number": 0}, "articles_story_revision_number_positive"),
        ({"kind": "rumour"}, "articles_story_kind_valid"),
    ],
)
def test_story_check_constraints_refuse_a_raw_insert(db, changes, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(STORY_INSERT, story_values(**changes))


@pytest.mark.parametrize(
    "changes, constraint",
    [
        ({"number": 2}, "articles_revision_unique_number"),
        ({"number": 0}, "articles_revision_number_positive"),
        ({"kind": "rumour"}, "articles_revision_kind_valid"),
        ({"headline": ""}, "articles_revision_has_text"),
        ({"body": ""}, "articles_revision_has_text"),
        ({"kind": "breaking_update"}, "articles_revision_breaking_update_over_earlier_story"),
        (
            {"kind": "breaking_update", "number": 1, "editors_note": BREAKING_NOTE},
            "articles_revision_breaking_update_over_earlier_story",
        ),
        ({"kind": "correction"}, "articles_revision_correction_says_what"),
    ],
)
def test_revision_check_constraints_refuse_a_raw_insert(seed_story, changes, constraint):
    before = archive()

    with pytest.raises(IntegrityError, match=constraint):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(REVISION_INSERT, revision_values(seed_story, **changes))

    assert archive() == before


def test_a_raw_insert_that_keeps_every_rule_is_accepted(seed_story):
    """The inserts above fail for their one broken rule, not for their shape."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            REVISION_INSERT, revision_values(seed_story, kind="correction", editors_note="N")
        )
        cursor.execute(
            "UPDATE articles_story SET revision_number = 3, kind = 'correction', headline = 'H',"
            " dateline_place = '', agency = '', byline = '', text = %s,"
            " (updated_at, archived_at) = (SELECT archived_at, archived_at FROM articles_revision"
            " WHERE story_id = %s AND number = 3) WHERE id = %s",
            [revision_values(seed_story)["body"] + "\n\nN", seed_story.pk, seed_story.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# Names, datelines, the breaking window


def test_names_the_admin_shows(seed_story):
    revision = seed_story.revisions.get(number=2)

    assert str(seed_story) == seed_story.headline
    assert str(revision) == f"{seed_story.headline} (revision 2)"


@pytest.mark.parametrize(
    "place, agency, dateline, text",
    [
        ("SEOUL, South Korea", "AP", "SEOUL, South Korea (AP) —", "SEOUL, South Korea (AP) — B"),
        ("MIAMI", "", "MIAMI —", "MIAMI — B"),
        ("", "", "", "B"),
        ("", "AP", "", "B"),
    ],
)
def test_dateline_with_or_without_place_and_agency(place, agency, dateline, text):
    revision = Revision(headline="H", body="B", dateline_place=place, agency=agency)

    assert (revision.dateline, revision.text) == (dateline, text)


def test_a_revision_goes_by_its_wire_time_else_its_archive_time():
    archived = aware(2025, 6, 18, 9, 0)
    wire = aware(2025, 6, 17, 4, 31)

    assert Revision(archived_at=archived).dated_at == archived
    assert Revision(archived_at=archived, wire_time=wire).dated_at == wire


@pytest.mark.parametrize(
    "hours_ago, kind, breaking",
    [
        (1, Kind.BREAKING_UPDATE, True),
        (23.9, Kind.BREAKING_UPDATE, True),
        (24.1, Kind.BREAKING_UPDATE, False),
        (1, Kind.UPDATE, False),
        (1, Kind.CORRECTION, False),
        (1, Kind.ORIGINAL, False),
    ],
)
def test_a_story_is_breaking_while_its_breaking_update_is_within_the_window(
    settings, hours_ago, kind, breaking
):
    settings.BREAKING_HOURS = 24
    story = Story(kind=kind, updated_at=timezone.now() - timedelta(hours=hours_ago))

    assert story.is_breaking is breaking


def test_breaking_stories_queryset_follows_the_same_rule(settings, make_story):
    settings.BREAKING_HOURS = 24
    make_story("fresh", revisions=2, when=timezone.now() - timedelta(hours=2))
    make_story("stale", revisions=2, when=timezone.now() - timedelta(hours=30))
    make_story("calm", revisions=1, when=timezone.now() - timedelta(hours=2))

    assert [story.slug for story in Story.objects.breaking()] == ["fresh"]
    assert [s.slug for s in Story.objects.all() if s.is_breaking] == ["fresh"]
    settings.BREAKING_HOURS = 72
    assert sorted(story.slug for story in Story.objects.breaking()) == ["fresh", "stale"]


def test_a_non_breaking_revision_ends_breaking(settings, make_story):
    settings.BREAKING_HOURS = 24
    story = make_story("storm", revisions=2, when=timezone.now() - timedelta(hours=1))
    assert story.is_breaking

    publish("storm", Dispatch(story.headline, "Calmer.", Kind.UPDATE), expected_revision=2)

    assert not Story.objects.get(slug="storm").is_breaking


def test_the_migrations_describe_the_models(db):
    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_text_field_holds_to_the_plain_text_rule():
    text_fields = {
        Story: ["headline", "dateline_place", "agency", "byline", "text"],
        Revision: [
            "headline",
            "dateline_place",
            "agency",
            "byline",
            "body",
            "editors_note",
            "contributors",
        ],
    }
    for model, names in text_fields.items():
        row = model(**dict.fromkeys(names, "Rain\x85"))

        with pytest.raises(ValidationError) as refused:
            row.clean_fields()

        for name in names:
            assert refused.value.message_dict[name] == [
                "Contains the control character U+0085 at position 5: only plain text can "
                "be archived."
            ]
