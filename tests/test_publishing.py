"""The one write path: publish() adds the next revision and brings the story up to date."""

import threading
import time
from dataclasses import asdict, replace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from articles.models import Revision, Story
from articles.publishing import (
    Dispatch,
    EditConflict,
    publish,
    publish_new_stories,
    publish_new_stories_with_revisions,
)
from articles.text import PARAGRAPH_BREAK, Kind
from tests.helpers import BREAKING_NOTE, archive, aware


def original(body="MIAMI body.", **changes):
    dispatch = Dispatch(
        headline="Storm hits coast",
        body=body,
        dateline_place="MIAMI",
        agency="AP",
        byline="By JANE DOE",
        wire_time=aware(2025, 6, 17, 4, 31),
    )
    return replace(dispatch, **changes)


def breaking(body="A new top.", **changes):
    dispatch = Dispatch(
        headline="Storm hits coast, cutting power",
        body=body,
        kind=Kind.BREAKING_UPDATE,
        dateline_place="FORT MYERS, Fla.",
        agency="AP",
        byline="By JANE DOE",
        wire_time=aware(2025, 6, 17, 6, 0),
        editors_note=BREAKING_NOTE,
    )
    return replace(dispatch, **changes)


@pytest.mark.django_db
def test_new_story_gets_revision_one_and_its_current_state():
    revision = publish("storm", original("First paragraph.\n\nSecond."), expected_revision=0)

    story = Story.objects.get(slug="storm")
    assert revision.number == 1 and revision.story == story
    assert story.revision_number == 1
    assert story.headline == "Storm hits coast"
    assert (story.dateline_place, story.agency, story.byline) == ("MIAMI", "AP", "By JANE DOE")
    assert story.text == "MIAMI (AP) — First paragraph.\n\nSecond."
    assert story.kind == Kind.ORIGINAL
    assert story.first_published_at == story.updated_at == aware(2025, 6, 17, 4, 31)


def test_breaking_update_stacks_over_earlier_text(make_story):
    earlier = make_story("storm").text

    revision = publish("storm", breaking("New top.\n\nMore."), expected_revision=1)

    story = Story.objects.get(slug="storm")
    assert (
        story.text == f"FORT MYERS, Fla. (AP) — New top.\n\nMore.\n\n{BREAKING_NOTE}\n\n{earlier}"
    )
    assert (story.revision_number, story.kind) == (2, Kind.BREAKING_UPDATE)
    assert story.headline == revision.headline == "Storm hits coast, cutting power"
    assert story.dateline_place == "FORT MYERS, Fla."
    assert story.updated_at == aware(2025, 6, 17, 6, 0)
    assert story.first_published_at == aware(2025, 6, 17, 4, 32)  # make_story's revision 1


def test_write_thru_update_replaces_whole_text_and_ends_breaking(make_story):
    make_story("storm", revisions=2)

    publish("storm", original("The full story, rewritten.", kind=Kind.UPDATE), expected_revision=2)

    story = Story.objects.get(slug="storm")
    assert story.text == "MIAMI (AP) — The full story, rewritten."
    assert (story.revision_number, story.kind) == (3, Kind.UPDATE)


def test_stale_expected_revision_is_a_conflict_and_writes_nothing(make_story):
    make_story("storm", revisions=2)
    before = archive()

    with pytest.raises(EditConflict, match="is at revision 2, not 1"):
        publish("storm", breaking(), expected_revision=1)

    assert archive() == before


def test_creating_a_story_whose_slug_exists_is_a_conflict(make_story):
    make_story("storm")
    before = archive()

    with pytest.raises(EditConflict, match="already exists"):
        publish("storm", original(), expected_revision=0)

    assert archive() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("start", [0, 1], ids=["both create", "both update revision 1"])
def test_concurrent_publishers_from_same_revision_one_wins_other_conflicts(start, make_story):
    """The first publisher holds its transaction open until the second is waiting on it."""
    if start:
        make_story("storm")
    dispatch = breaking if start else original
    first_published, release = threading.Event(), threading.Event()
    outcomes = {}

    def publisher(name, hold):
        try:
            with transaction.atomic():
                publish("storm", dispatch(f"Sent by {name}."), expected_revision=start)
                if hold:
                    first_published.set()
                    release.wait(timeout=30)
            outcomes[name] = "published"
        except EditConflict:
            outcomes[name] = "conflict"
        finally:
            first_published.set()
            connection.close()

    first = threading.Thread(target=publisher, args=("first", True))
    second = threading.Thread(target=publisher, args=("second", False))
    first.start()
    first_published.wait(timeout=30)
    second.start()
    deadline = time.monotonic() + 30
    while second.is_alive() and not waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes == {"first": "published", "second": "conflict"}
    numbers = list(Revision.objects.filter(story__slug="storm").values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, start + 2))
    story = Story.objects.get(slug="storm")
    assert story.revision_number == start + 1
    assert "Sent by first." in story.text and "Sent by second." not in story.text


def waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


NEEDS_NOTE = "A breaking update needs an earlier story and an editor's note to introduce it."
CORRECTION_NEEDS_NOTE = "A correction needs an editor's note saying what was corrected."


@pytest.mark.parametrize(
    "slug, dispatch, expected_revision, message",
    [
        pytest.param(
            "storm",
            original(body="", kind=Kind.UPDATE),
            1,
            "This field cannot be blank.",
            id="empty body",
        ),
        # The three below are refused by the database's check constraints, each
        # translated into the message its constraint names.
        pytest.param(
            "storm", breaking(editors_note=""), 1, NEEDS_NOTE, id="breaking update without note"
        ),
        pytest.param("flood", breaking(), 0, NEEDS_NOTE, id="breaking update as revision 1"),
        pytest.param(
            "storm",
            original(kind=Kind.CORRECTION),
            1,
            CORRECTION_NEEDS_NOTE,
            id="correction without note",
        ),
        pytest.param(
            "storm",
            original(kind="rumour"),
            1,
            "Value 'rumour' is not a valid choice.",
            id="unknown kind",
        ),
        pytest.param(
            "not a slug!",
            original(),
            0,
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
            id="bad slug",
        ),
    ],
)
def test_invalid_dispatch_is_refused_with_its_message_and_writes_nothing(
    slug, dispatch, expected_revision, message, make_story
):
    make_story("storm")
    before = archive()

    with pytest.raises(ValidationError) as refused:
        publish(slug, dispatch, expected_revision=expected_revision)

    assert refused.value.messages == [message]  # for the editor, not a database error
    assert archive() == before


def test_a_dispatch_of_only_headline_and_body_stores_its_defaults(db, django_user_model):
    editor = django_user_model.objects.create_user("alice")

    revision = publish(
        "bare", Dispatch(headline="Bare", body="Text."), expected_revision=0, posted_by=editor
    )

    stored = Revision.objects.get(pk=revision.pk)
    assert (stored.kind, stored.dateline_place, stored.agency, stored.byline) == (
        Kind.ORIGINAL,
        "",
        "",
        "",
    )
    assert (stored.wire_time, stored.editors_note, stored.contributors) == (None, "", "")
    assert stored.posted_by == editor and stored.archived_at is not None
    story = Story.objects.get(slug="bare")
    assert story.text == "Text."
    assert story.first_published_at == story.updated_at == story.archived_at == stored.archived_at


@pytest.mark.parametrize(
    "place, agency, text",
    [("", "", "Text."), ("MIAMI", "", "MIAMI — Text."), ("", "AP", "Text.")],
    ids=["no dateline", "place without agency", "agency without place"],
)
def test_a_dateline_is_printed_only_from_a_place(db, place, agency, text):
    publish(
        "storm",
        Dispatch("Storm", "Text.", dateline_place=place, agency=agency),
        expected_revision=0,
    )

    story = Story.objects.get(slug="storm")
    assert (story.text, story.dateline_place, story.agency) == (text, place, agency)


def test_publishing_onto_a_story_that_does_not_exist_is_a_conflict(make_story):
    make_story("storm")
    before = archive()

    with pytest.raises(EditConflict, match="There is no story with the address “flood”"):
        publish("flood", breaking(), expected_revision=1)

    assert archive() == before


@pytest.mark.parametrize(
    "field, limit",
    [("headline", 300), ("dateline_place", 100), ("agency", 40), ("byline", 200)],
)
def test_each_field_takes_exactly_its_limit_and_refuses_one_more(db, field, limit):
    publish("at-limit", original(**{field: "X" * limit}), expected_revision=0)
    before = archive()

    with pytest.raises(ValidationError) as refused:
        publish("over-limit", original(**{field: "X" * (limit + 1)}), expected_revision=0)

    assert refused.value.message_dict == {
        field: [f"Ensure this value has at most {limit} characters (it has {limit + 1})."]
    }
    assert getattr(Story.objects.get(slug="at-limit"), field) == "X" * limit
    assert archive() == before


def test_a_slug_takes_exactly_its_limit_and_refuses_one_more(db):
    publish("s" * 100, original(), expected_revision=0)

    with pytest.raises(ValidationError) as refused:
        publish("s" * 101, original(), expected_revision=0)

    assert refused.value.message_dict == {
        "slug": ["Ensure this value has at most 100 characters (it has 101)."]
    }
    assert list(Story.objects.values_list("slug", flat=True)) == ["s" * 100]


# Several stories in the archive: a write lands on its own story only


def story_rows():
    return {row["slug"]: row for row in Story.objects.values()}


def test_an_update_changes_its_own_story_and_no_other(make_story):
    for slug in ("fire", "storm", "flood"):
        make_story(slug)
    before = story_rows()

    publish("storm", breaking("New top."), expected_revision=1)

    after = story_rows()
    assert after["fire"] == before["fire"] and after["flood"] == before["flood"]
    assert after["storm"]["revision_number"] == 2
    assert after["storm"]["text"].startswith("FORT MYERS, Fla. (AP) — New top.")


def test_a_stale_update_among_several_stories_is_a_conflict_naming_its_story(make_story):
    make_story("fire", revisions=3)
    make_story("storm", revisions=2)
    before = archive()

    with pytest.raises(EditConflict, match="“storm” is at revision 2, not 1"):
        publish("storm", breaking(), expected_revision=1)

    assert archive() == before


# The bulk path: the same rule for a story's fields, for many stories at once

WIRE_THRU = original("The full story, rewritten.", kind=Kind.UPDATE, headline="Storm passes")
CORRECTED = original(
    "MIAMI body, corrected.",
    kind=Kind.CORRECTION,
    editors_note="This story has been corrected to fix the town.",
    contributors="Associated Press writer Ann Lee contributed to this report.",
)
STORIES = {
    "lone": [original()],
    "stacked": [
        original(),
        breaking("Second top."),
        breaking("Third top.", dateline_place="NAPLES, Fla.", wire_time=aware(2025, 6, 17, 7, 0)),
    ],
    "rewritten": [original(), breaking(), WIRE_THRU],
    "corrected": [original(), CORRECTED],
}


def published_one_by_one(stories):
    for slug, dispatches in stories.items():
        for number, dispatch in enumerate(dispatches):
            publish(slug, dispatch, expected_revision=number)


def rows_by_slug():
    """Each story's row and revisions, without ids and archive times (the paths differ there)."""
    stories = {}
    for story in Story.objects.prefetch_related("revisions"):
        row = {name: getattr(story, name) for name in CURRENT + ["text", "first_published_at"]}
        revisions = [
            {name: getattr(revision, name) for name in REVISION_FIELDS}
            for revision in story.revisions.order_by("number")
        ]
        stories[story.slug] = (row, revisions)
    return stories


CURRENT = ["headline", "dateline_place", "agency", "byline", "kind", "revision_number"]
CURRENT += ["updated_at"]
REVISION_FIELDS = [
    "number",
    "kind",
    "headline",
    "wire_time",
    "dateline_place",
    "agency",
    "byline",
    "body",
    "editors_note",
    "contributors",
    "wire_version",
]


@pytest.mark.django_db
def test_bulk_path_archives_each_story_as_publishing_one_by_one_does():
    with transaction.atomic():
        published_one_by_one(STORIES)
        expected = rows_by_slug()
        transaction.set_rollback(True)

    stories = publish_new_stories(STORIES.items())

    assert [story.slug for story in stories] == list(STORIES)
    assert rows_by_slug() == expected
    assert len(expected) == 4


@pytest.mark.django_db
def test_bulk_path_stacks_breaking_updates_and_a_write_thru_ends_the_stack():
    publish_new_stories(STORIES.items())

    texts = dict(Story.objects.values_list("slug", "text"))
    assert texts["stacked"] == PARAGRAPH_BREAK.join(
        [
            "NAPLES, Fla. (AP) — Third top.",
            BREAKING_NOTE,
            "FORT MYERS, Fla. (AP) — Second top.",
            BREAKING_NOTE,
            "MIAMI (AP) — MIAMI body.",
        ]
    )
    assert texts["rewritten"] == "MIAMI (AP) — The full story, rewritten."
    assert texts["corrected"] == (
        "MIAMI (AP) — MIAMI body, corrected.\n\nThis story has been corrected to fix the town."
    )
    story = Story.objects.get(slug="stacked")
    assert (story.revision_number, story.kind, story.dateline_place) == (
        3,
        Kind.BREAKING_UPDATE,
        "NAPLES, Fla.",
    )
    assert story.first_published_at == aware(2025, 6, 17, 4, 31)
    assert story.updated_at == aware(2025, 6, 17, 7, 0)


@pytest.mark.django_db
def test_bulk_path_answers_revisions_oldest_first_archived_at_one_time():
    undated = Dispatch(headline="Bare", body="Text.")

    ((story, revisions),) = publish_new_stories_with_revisions(
        [("bare", [undated, breaking(wire_time=None)])]
    )

    assert [revision.number for revision in revisions] == [1, 2]
    assert all(revision.story == story and revision.pk for revision in revisions)
    stored = Story.objects.get(slug="bare")
    assert stored.pk == story.pk
    archived = {revision.archived_at for revision in Revision.objects.filter(story=stored)}
    assert archived == {stored.archived_at}
    # Without a time line a revision is dated when it was archived.
    assert stored.first_published_at == stored.updated_at == stored.archived_at


def test_bulk_path_refuses_a_story_that_exists_and_writes_nothing(make_story):
    make_story("storm")
    before = archive()

    with pytest.raises(EditConflict, match="archived already"):
        publish_new_stories([("fire", [original()]), ("storm", [original()])])

    assert archive() == before


@pytest.mark.parametrize(
    "refused_story, message",
    [
        pytest.param([breaking()], NEEDS_NOTE, id="refused by the database"),
        pytest.param([original(headline="")], "This field cannot be blank.", id="invalid field"),
        pytest.param(
            [original(body="Bell\x07.")],
            "Contains the control character U+0007 at position 5: only plain text can be archived.",
            id="not plain text",
        ),
    ],
)
def test_bulk_path_writes_nothing_when_any_story_is_refused(make_story, refused_story, message):
    make_story("storm")
    before = archive()

    with pytest.raises(ValidationError) as refused:
        publish_new_stories([("fire", [original()]), ("flood", refused_story)])

    assert refused.value.messages == [message]
    assert archive() == before


def test_a_dispatchs_fields_are_the_revisions_fields():
    dispatch = CORRECTED

    assert dispatch.as_fields() == asdict(dispatch)
    assert set(dispatch.as_fields()) == set(REVISION_FIELDS) - {"number"}


# What publishing costs: fields are checked in Python and constraints by the database
# itself as it writes, never by asking it first, one query per constraint.


def test_publishing_takes_a_fixed_number_of_queries(make_story, django_assert_num_queries):
    make_story("storm")

    # A savepoint around the whole, one around the story's insert, then each row, and
    # the announcement to caches.
    with django_assert_num_queries(7):
        publish("fire", original(), expected_revision=0)
    # The story's id, the text it showed, the conditional update, the revision, the
    # announcement.
    with django_assert_num_queries(7):
        publish("storm", breaking(), expected_revision=1)


def test_the_bulk_path_takes_a_fixed_number_of_queries(db, django_assert_num_queries):
    with django_assert_num_queries(7):
        publish_new_stories(STORIES.items())


@pytest.mark.parametrize("path", ["publish", "bulk"])
def test_a_slug_that_is_not_plain_text_is_refused_naming_the_slug(db, path):
    with pytest.raises(ValidationError) as refused:
        if path == "publish":
            publish("sto\x00rm", original(), expected_revision=0)
        else:
            publish_new_stories([("sto\x00rm", [original()])])

    assert refused.value.message_dict == {
        "slug": [
            "Contains the control character U+0000 at position 4: only plain text can be archived."
        ]
    }
