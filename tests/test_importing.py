"""Wire files into the archive: the importer and the import_wire command."""

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify

from articles.importing import slug_for
from articles.models import Kind, Revision, Story
from tests.helpers import BREAKING_NOTE, SEED_PATH, SEED_SLUG, archive


def import_wire(*paths, **options):
    """Run the command; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_wire", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def import_wire_failing(*paths, **options):
    """Run the command expecting it to fail; return its error and what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_wire", *map(str, paths), stdout=StringIO(), stderr=err, **options)
    return str(caught.value), err.getvalue()


@pytest.fixture
def earlier_story_path(tmp_path, seed_parts):
    """The seed's earlier story as it was sent before the breaking update."""
    path = tmp_path / "earlier.txt"
    blocks = [seed_parts.headline, *seed_parts.earlier, seed_parts.byline]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def good_path(tmp_path):
    path = tmp_path / "storm.txt"
    path.write_text("Storm hits coast\n\nMIAMI (AP) — The storm hit.\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_seed_becomes_one_story_with_earlier_story_then_breaking_update(seed_parts, settings):
    settings.TIME_ZONE = "America/New_York"

    import_wire(SEED_PATH)

    story = Story.objects.get()
    first, second = story.revisions.order_by("number")
    assert story.slug == SEED_SLUG
    assert (first.number, first.kind, first.wire_time) == (1, Kind.ORIGINAL, None)
    assert first.text == "\n\n".join(seed_parts.earlier)
    assert (second.number, second.kind) == (2, Kind.BREAKING_UPDATE)
    assert second.wire_time == datetime(2025, 6, 17, 8, 31, tzinfo=UTC)  # 4:31 AM in New York
    assert second.text == "\n\n".join(seed_parts.top)
    assert second.editors_note == BREAKING_NOTE


@pytest.mark.django_db
def test_importing_the_seed_again_changes_nothing():
    import_wire(SEED_PATH)
    before = archive()

    out, _ = import_wire(SEED_PATH)

    assert "unchanged" in out
    assert archive() == before


@pytest.mark.django_db
def test_seed_after_its_earlier_story_adds_only_the_breaking_update(earlier_story_path):
    import_wire(earlier_story_path)
    first = Revision.objects.get()

    out, _ = import_wire(SEED_PATH)

    assert "archived revision 2 of" in out
    assert list(Revision.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert Revision.objects.get(number=1) == first
    assert Story.objects.get().revision_number == 2


@pytest.mark.django_db
def test_file_that_does_not_continue_the_archived_story_is_refused(tmp_path, seed_text):
    import_wire(SEED_PATH)
    before = archive()
    other = tmp_path / "other.txt"
    headline = seed_text.partition("\n")[0]
    other.write_text(f"{headline}\n\nSEOUL (AP) — Another story.\n", encoding="utf-8")

    error, err = import_wire_failing(other)

    assert "1 of 1 files were not imported" in error
    assert f"{other}: not imported: the story “{SEED_SLUG}” is archived with a different" in err
    assert archive() == before


@pytest.mark.parametrize(
    "name, content, reason",
    [
        pytest.param("missing.txt", None, "cannot read", id="missing"),
        pytest.param(
            "latin1.txt", "Café\n\nMIAMI (AP) Olé.\n".encode("latin-1"), "not UTF-8", id="not utf-8"
        ),
        pytest.param(
            "bad.txt",
            "MIAMI (AP) — No headline.\n".encode(),
            "must be the headline",
            id="malformed",
        ),
    ],
)
def test_unreadable_file_fails_the_command_naming_it(name, content, reason, tmp_path, db):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    error, err = import_wire_failing(path)

    assert "1 of 1 files were not imported" in error
    assert f"{path}: " in err and reason in err
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_batch_imports_good_files_and_writes_nothing_for_the_bad_one(tmp_path, good_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Flood\n\nMIAMI (AP) — New top.\n\n" + BREAKING_NOTE + "\n")

    error, err = import_wire_failing(SEED_PATH, bad, good_path)

    assert "1 of 3 files were not imported" in error
    assert f"{bad}: not imported" in err
    assert set(Story.objects.values_list("slug", flat=True)) == {SEED_SLUG, "storm-hits-coast"}
    assert Revision.objects.count() == 3


@pytest.mark.django_db
def test_slug_option_takes_one_path(good_path):
    with pytest.raises(CommandError, match="--slug takes exactly one PATH"):
        import_wire(SEED_PATH, good_path, slug="storm")

    assert not Story.objects.exists()


@pytest.mark.django_db
def test_slug_option_names_the_story(good_path):
    import_wire(good_path, slug="storm")

    assert Story.objects.get().slug == "storm"


@pytest.mark.django_db
def test_wire_time_is_read_in_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Asia/Seoul"

    import_wire(SEED_PATH)

    assert Story.objects.get().updated_at == datetime(2025, 6, 16, 19, 31, tzinfo=UTC)


@pytest.mark.django_db
def test_time_line_the_clocks_skipped_is_refused(tmp_path, settings):
    settings.TIME_ZONE = "America/New_York"
    path = tmp_path / "skipped.txt"
    path.write_text("Storm hits coast\n\nMar 9, 2025 | 2:30 AM\n\nMIAMI (AP) — The storm hit.\n")

    _, err = import_wire_failing(path)

    assert "does not exist in America/New_York" in err
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_file_the_archive_cannot_hold_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "long-place.txt"
    path.write_text(f"Storm hits coast\n\n{'A' * 101} (AP) — The storm hit.\n")

    _, err = import_wire_failing(path)

    assert "at most 100 characters" in err
    assert not Story.objects.exists()


def test_long_headline_makes_a_slug_cut_at_a_word():
    headline = "Storm " + "floods coastal towns and " * 10 + "cuts power"

    slug = slug_for(headline)

    assert len(slug) <= Story._meta.get_field("slug").max_length
    assert slugify(headline).startswith(slug + "-")


def test_headline_without_latin_letters_still_gets_a_slug():
    assert re.fullmatch(r"story-[0-9a-f]{12}", slug_for("북한, 러시아에 건설 인력 파견"))
    assert slug_for("북한") != slug_for("러시아")
