"""export_wire: a story written back as wire copy, which imports as the same story."""

from dataclasses import replace
from datetime import UTC
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from articles.wire import plaintext as wire
from articles.wire.importing import import_wire_file, import_wire_story
from tests.helpers import SEED_PATH, SEED_SLUG
from tests.wire.test_plaintext import wire_stories

CORRECTION = "This story has been corrected to show the storm hit on Tuesday, not Monday."


def export_wire(slug, **options):
    out = StringIO()
    call_command("export_wire", slug, stdout=out, **options)
    return out.getvalue()


def content(story):
    """What a story is, as far as a wire file can carry it: every field but when it was
    archived, and the times the wire gave."""
    revisions = story.revisions.order_by("number").values(
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
    )
    fields = ["slug", "headline", "dateline_place", "agency", "byline", "text", "kind"]
    return {
        "story": {name: getattr(story, name) for name in fields},
        "updated_at": story.updated_at,
        "revisions": list(revisions),
    }


@pytest.fixture
def seed(db, settings):
    settings.TIME_ZONE = "America/New_York"
    call_command("import_wire", str(SEED_PATH), verbosity=0)
    return Story.objects.get()


def test_seed_is_exported_as_it_was_sent(seed, seed_text):
    # The seed's zoneless time line comes back with the newsroom's zone named.
    expected = seed_text.replace(
        "\nJun 17, 2025 | 4:31 AM\n", "\nUpdated Jun 17, 2025 | 4:31 AM EDT\n"
    )

    assert expected != seed_text
    assert export_wire(SEED_SLUG) == expected.rstrip("\n") + "\n"


def test_earlier_revision_is_exported_as_it_stood(seed, seed_parts):
    text = export_wire(SEED_SLUG, revision=1)

    exported = wire.parse(text)
    assert [version.body for version in exported.versions] == [
        "\n\n".join(seed_parts.earlier).removeprefix("SEOUL, South Korea (AP) — ")
    ]
    assert exported.updated is False
    assert "BREAKING NEWS" not in text


def test_export_to_a_file(seed, tmp_path):
    path = tmp_path / "out.txt"

    call_command("export_wire", SEED_SLUG, output=str(path), stdout=StringIO())

    assert path.read_text(encoding="utf-8") == export_wire(SEED_SLUG)


@pytest.mark.django_db
def test_unknown_story_is_refused():
    with pytest.raises(CommandError, match="no story with the address “nope”"):
        export_wire("nope")


@pytest.mark.parametrize("number", [0, 3, -1])
def test_unknown_revision_is_refused(seed, number):
    with pytest.raises(CommandError, match=f"revisions 1 to 2, not {number}"):
        export_wire(SEED_SLUG, revision=number)


def test_correction_is_exported_with_its_line(make_story):
    story = make_story("storm")
    publish(
        "storm",
        Dispatch(
            headline="Storm hits coast",
            body="The storm hit on Tuesday.",
            kind=Kind.CORRECTION,
            dateline_place="MIAMI",
            agency="AP",
            byline="By JANE DOE",
            editors_note=CORRECTION,
        ),
        expected_revision=story.revision_number,
    )

    text = export_wire("storm")

    assert text.endswith(f"MIAMI (AP) — The storm hit on Tuesday.\n\n{CORRECTION}\n")
    assert wire.parse(text).correction == CORRECTION


def test_story_whose_byline_the_format_cannot_carry_is_refused(make_story):
    make_story("storm")
    publish(
        "storm",
        Dispatch(
            headline="Storm",
            body="Text.",
            kind=Kind.UPDATE,
            dateline_place="MIAMI",
            agency="AP",
            byline="Jane Doe",
        ),
        expected_revision=1,
    )

    with pytest.raises(CommandError, match="Cannot export “storm”: .* different versions, byline"):
        export_wire("storm")


def test_update_with_an_editors_note_the_format_cannot_carry_is_refused(make_story):
    make_story("storm")
    publish(
        "storm",
        Dispatch(
            headline="Storm",
            body="Text.",
            kind=Kind.UPDATE,
            dateline_place="MIAMI",
            agency="AP",
            editors_note="Editor’s note: rewritten.",
        ),
        expected_revision=1,
    )

    with pytest.raises(CommandError, match="revision 2’s editor’s note"):
        export_wire("storm")


def exported_and_rolled_back(archive_story):
    """Run `archive_story` in a transaction that is rolled back, and export what it made.

    Returns the story's content and its export: the caller then imports the export
    into an archive that no longer holds the story.
    """
    with transaction.atomic():
        story = archive_story()
        original, text = content(story), export_wire(story.slug)
        transaction.set_rollback(True)
    assert not Story.objects.exists()
    return original, text


@pytest.mark.django_db
def test_exported_seed_imports_as_the_same_story(settings):
    settings.TIME_ZONE = "America/New_York"
    original, text = exported_and_rolled_back(lambda: import_wire_file(SEED_PATH).story)

    imported = import_wire_story(wire.parse(text)).story

    assert content(imported) == original


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(story=wire_stories(), zone=st.sampled_from(["America/New_York", "Asia/Seoul", "UTC"]))
@pytest.mark.django_db
def test_import_of_the_export_is_the_story(story, zone, settings):
    settings.TIME_ZONE = zone
    if story.wire_time.tzinfo is None:
        # A zoneless time the newsroom's clocks skipped or repeated is refused at import
        # (test_importing covers it); here the story carries its instant.
        story = replace(story, wire_time=story.wire_time.replace(tzinfo=UTC))
    original, text = exported_and_rolled_back(lambda: import_wire_story(story).story)

    with transaction.atomic():
        imported = import_wire_story(wire.parse(text)).story
        assert content(imported) == original
        transaction.set_rollback(True)
