"""The seed fixture: built by the importer, loadable on any archive."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Revision, Story
from tests.helpers import SEED_PATH, SEED_SLUG, archive


@pytest.mark.django_db
def test_committed_fixture_equals_what_the_importer_builds_now(settings):
    settings.TIME_ZONE = "America/New_York"
    built = StringIO()

    call_command("build_fixture", str(SEED_PATH), stdout=built)

    committed = (SEED_PATH.parent / "seed.json").read_text(encoding="utf-8")
    assert json.loads(built.getvalue()) == json.loads(committed)


@pytest.mark.django_db
def test_building_the_fixture_leaves_the_archive_unchanged():
    call_command("build_fixture", str(SEED_PATH), stdout=StringIO())

    assert not Story.objects.exists()
    assert not Revision.objects.exists()


@pytest.mark.django_db
def test_loading_the_seed_gives_one_story_with_two_revisions():
    call_command("loaddata", "seed", verbosity=0)

    assert Story.objects.get().slug == SEED_SLUG
    assert list(Revision.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


@pytest.mark.django_db
def test_loading_the_seed_twice_changes_nothing():
    call_command("loaddata", "seed", verbosity=0)
    before = archive()

    call_command("loaddata", "seed", verbosity=0)

    assert archive() == before


@pytest.mark.django_db
def test_seed_archive_loads_the_seed_into_an_empty_archive():
    call_command("seed_archive", verbosity=0, stdout=StringIO())

    assert Story.objects.get().slug == SEED_SLUG
    assert Revision.objects.count() == 2


def test_seed_archive_leaves_an_archive_with_stories_alone(make_story):
    make_story("storm")
    before = archive()
    out = StringIO()

    call_command("seed_archive", stdout=out)

    assert archive() == before
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_building_a_fixture_from_a_bad_file_fails_cleanly(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("MIAMI (AP) — No headline.\n")

    with pytest.raises(CommandError, match="cannot build the fixture: line 1: "):
        call_command("build_fixture", str(path), stdout=StringIO())
    assert not Story.objects.exists()
