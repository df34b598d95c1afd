"""Wire files into the archive: the importer and the import_wire command."""

import os
import re
import shutil
import threading
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.text import slugify

from articles.models import Revision, Story, slug_for
from articles.text import Kind
from articles.wire.importing import ImportRefused, import_wire_file, read_wire_file
from tests.helpers import BREAKING_NOTE, SEED_PATH, SEED_SLUG, archive, bulk_archive

SAMPLES = Path(__file__).resolve().parent / "samples"
TIME_LINE = "Jun 17, 2025 | 4:31 AM"
CORRECTION = "This story has been corrected to show the storm hit on Tuesday, not Monday."
CONTRIBUTOR = "Associated Press writer Ann Lee in Miami contributed to this report."


class Terminal(StringIO):
    """An output stream that says it is a terminal."""

    def isatty(self):
        return True


def import_wire(*paths, stdout=None, stderr=None, **options):
    """Run the command; return what it wrote to stdout and stderr."""
    out, err = stdout or StringIO(), stderr or StringIO()
    call_command("import_wire", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def import_wire_failing(*paths, **options):
    """Run the command expecting it to fail; return its error, stdout and stderr."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_wire", *map(str, paths), stdout=out, stderr=err, **options)
    return str(caught.value), out.getvalue(), err.getvalue()


def wire_file(path, *paragraphs, headline="Storm hits coast", time_line=TIME_LINE):
    """Write a wire file: headline, time line, then one block per paragraph."""
    path.write_text("\n\n".join([headline, time_line, *paragraphs]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def earlier_story_path(tmp_path, seed_parts):
    """The seed's earlier story as it was sent before the breaking update."""
    return wire_file(
        tmp_path / "earlier.txt",
        *seed_parts.earlier,
        seed_parts.byline,
        headline=seed_parts.headline,
        time_line="Jun 17, 2025 | 2:10 AM",
    )


@pytest.fixture
def storm(tmp_path):
    """A one-version story, archived."""
    path = wire_file(tmp_path / "storm.txt", "MIAMI (AP) — The storm hit.", "Power is out.")
    import_wire(path)
    return Story.objects.get()


def numbers(story):
    return list(story.revisions.order_by("number").values_list("number", "kind"))


# The seed


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
    assert story.text == "\n\n".join(seed_parts.story_text)
    assert {(r.posted_by, r.contributors, r.byline) for r in (first, second)} == {
        (None, "", "The Associated Press")
    }


@pytest.mark.django_db
def test_importing_the_seed_again_changes_nothing():
    import_wire(SEED_PATH)
    before = archive()

    out, _ = import_wire(SEED_PATH)

    assert f"unchanged: its text is revision 2 of “{SEED_SLUG}”" in out
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in out
    assert archive() == before


# Updates matched to their stories


@pytest.mark.django_db
def test_seed_after_its_earlier_story_adds_only_the_breaking_update(earlier_story_path):
    import_wire(earlier_story_path)
    first = Revision.objects.get()

    out, _ = import_wire(SEED_PATH)

    assert f"added revision 2 of “{SEED_SLUG}”" in out
    assert "0 created, 1 updated" in out
    assert Revision.objects.get(number=1) == first
    assert numbers(Story.objects.get()) == [(1, Kind.ORIGINAL), (2, Kind.BREAKING_UPDATE)]


@pytest.mark.django_db
def test_update_with_a_new_headline_continues_its_story():
    original, update = SAMPLES / "1-storm-original.txt", SAMPLES / "2-storm-update.txt"
    import_wire(original)
    slug = Story.objects.get().slug

    out, _ = import_wire(update)

    story = Story.objects.get()
    assert story.slug == slug == "tropical-storm-nears-floridas-gulf-coast"
    assert f"added revision 2 of “{slug}”" in out
    assert numbers(story) == [(1, Kind.ORIGINAL), (2, Kind.BREAKING_UPDATE)]
    assert story.headline == "Storm makes landfall near Cedar Key as a hurricane"
    assert story.revisions.get(number=1).headline == "Tropical storm nears Florida's Gulf Coast"
    assert story.revisions.get(number=2).contributors == (
        "Associated Press writer Ann Lee in Miami contributed to this report."
    )
    assert story.updated_at == datetime(2025, 6, 17, 18, 40, tzinfo=UTC)


@pytest.mark.django_db
def test_update_goes_to_the_story_whose_text_it_carries(tmp_path):
    for name in ("fire", "flood"):
        wire_file(tmp_path / f"{name}.txt", f"MIAMI (AP) — A {name}.", headline=f"A {name}")
    import_wire(tmp_path / "fire.txt", tmp_path / "flood.txt")
    update = wire_file(
        tmp_path / "update.txt",
        "MIAMI (AP) — The flood spreads.",
        BREAKING_NOTE,
        "MIAMI (AP) — A flood.",
        headline="Flood spreads",
    )

    import_wire(update)

    assert Story.objects.get(slug="a-flood").revision_number == 2
    assert Story.objects.get(slug="a-fire").revision_number == 1


@pytest.mark.django_db
def test_stacked_update_adds_every_version_the_archive_lacks(tmp_path):
    import_wire(wire_file(tmp_path / "one.txt", "MIAMI (AP) — First."))
    stacked = wire_file(
        tmp_path / "three.txt",
        "MIAMI (AP) — Third.",
        BREAKING_NOTE,
        "MIAMI (AP) — Second.",
        BREAKING_NOTE,
        "MIAMI (AP) — First.",
        headline="Storm grows",
    )

    out, _ = import_wire(stacked)

    story = Story.objects.get()
    assert "added revisions 2–3 of “storm-hits-coast”" in out
    assert numbers(story) == [
        (1, Kind.ORIGINAL),
        (2, Kind.BREAKING_UPDATE),
        (3, Kind.BREAKING_UPDATE),
    ]
    assert [r.wire_time is None for r in story.revisions.order_by("number")] == [False, True, False]
    assert story.text.startswith("MIAMI (AP) — Third.")


@pytest.mark.django_db
def test_stacked_file_into_an_empty_archive_gives_three_revisions_oldest_first(tmp_path):
    stacked = wire_file(
        tmp_path / "three.txt",
        "MIAMI (AP) — Third.",
        BREAKING_NOTE,
        "MIAMI (AP) — Second.",
        BREAKING_NOTE,
        "MIAMI (AP) — First.",
    )

    out, _ = import_wire(stacked)

    story = Story.objects.get()
    assert "created revisions 1–3 of “storm-hits-coast”" in out
    assert [r.body for r in story.revisions.order_by("number")] == ["First.", "Second.", "Third."]


@pytest.mark.django_db
def test_older_file_imported_after_its_update_changes_nothing(earlier_story_path):
    import_wire(SEED_PATH)
    before = archive()

    out, _ = import_wire(earlier_story_path)

    assert f"its text is revision 1 of “{SEED_SLUG}”, which has since moved on to revision 2" in out
    assert archive() == before


@pytest.mark.django_db
def test_file_branching_from_an_old_revision_is_refused(tmp_path, storm):
    update = [BREAKING_NOTE, "MIAMI (AP) — The storm hit.", "Power is out."]
    import_wire(wire_file(tmp_path / "two.txt", "MIAMI (AP) — Update A.", *update))
    before = archive()
    fork = wire_file(tmp_path / "fork.txt", "MIAMI (AP) — Update B.", *update, headline="Other")

    error, _, err = import_wire_failing(fork)

    assert "1 of 1 files were not imported" in error
    assert f"{fork}: its earlier story is revision 1 of “{storm.slug}”" in err
    assert "moved on to revision 2" in err
    assert archive() == before


@pytest.mark.django_db
def test_update_of_a_story_rewritten_since_is_refused(tmp_path, storm):
    import_wire(
        wire_file(tmp_path / "rewrite.txt", "MIAMI (AP) — Rewritten.", headline="Rewrite"),
        slug=storm.slug,
    )
    before = archive()
    late = wire_file(
        tmp_path / "late.txt",
        "MIAMI (AP) — Late top.",
        BREAKING_NOTE,
        "MIAMI (AP) — The storm hit.",
        "Power is out.",
        headline="Late",
    )

    _, _, err = import_wire_failing(late)

    assert f"revision 1 of “{storm.slug}”, but that story has moved on to revision 2" in err
    assert archive() == before


@pytest.mark.django_db
def test_unrelated_story_with_a_taken_headline_is_refused(tmp_path, storm):
    before = archive()
    other = wire_file(tmp_path / "other.txt", "TAMPA (AP) — Another story.")

    _, _, err = import_wire_failing(other)

    assert f"{other}: the address “{storm.slug}” is taken by a story with other text" in err
    assert f"--slug {storm.slug}" in err
    assert archive() == before


@pytest.mark.django_db
def test_unchanged_file_with_another_headline_says_which_is_kept(tmp_path, storm):
    again = wire_file(
        tmp_path / "again.txt", "MIAMI (AP) — The storm hit.", "Power is out.", headline="New"
    )

    out, _ = import_wire(again)

    assert "this file’s headline differ, the archived ones are kept" in out
    assert Story.objects.get().headline == "Storm hits coast"


@pytest.mark.django_db
def test_update_of_a_text_two_stories_share_is_refused(tmp_path):
    for name in ("one", "two"):
        wire_file(tmp_path / f"{name}.txt", "MIAMI (AP) — Same.", headline=f"Story {name}")
    import_wire(tmp_path / "one.txt")
    import_wire(tmp_path / "two.txt", slug="story-two")  # the same text under another address
    update = wire_file(
        tmp_path / "update.txt", "MIAMI (AP) — New.", BREAKING_NOTE, "MIAMI (AP) — Same."
    )

    _, _, err = import_wire_failing(update)

    assert "more than one story (“story-one” and “story-two”)" in err


# --slug


@pytest.mark.django_db
def test_slug_posts_a_write_thru_onto_the_story(tmp_path, storm):
    rewrite = wire_file(tmp_path / "rewrite.txt", "TAMPA (AP) — All new.", headline="Rewrite")

    out, _ = import_wire(rewrite, slug=storm.slug)

    story = Story.objects.get()
    assert f"added revision 2 of “{storm.slug}”" in out
    assert numbers(story) == [(1, Kind.ORIGINAL), (2, Kind.UPDATE)]
    assert story.text == "TAMPA (AP) — All new."


@pytest.mark.django_db
def test_slug_names_a_new_story(tmp_path):
    path = wire_file(tmp_path / "storm.txt", "MIAMI (AP) — The storm hit.")

    import_wire(path, slug="storm")

    assert Story.objects.get().slug == "storm"


@pytest.mark.django_db
def test_slug_with_a_file_already_archived_there_changes_nothing(tmp_path, storm):
    before = archive()
    same = wire_file(tmp_path / "same.txt", "MIAMI (AP) — The storm hit.", "Power is out.")

    out, _ = import_wire(same, slug=storm.slug)

    assert "unchanged" in out
    assert archive() == before


@pytest.mark.django_db
def test_slug_takes_one_file(tmp_path):
    with pytest.raises(CommandError, match="--slug takes exactly one file"):
        import_wire(SEED_PATH, SAMPLES / "1-storm-original.txt", slug="storm")
    with pytest.raises(CommandError, match="--slug takes exactly one file"):
        import_wire(SAMPLES, slug="storm")

    assert not Story.objects.exists()


# Corrections, contributors, time zones


@pytest.mark.django_db
def test_correction_becomes_a_correction_revision_with_its_note(tmp_path, storm):
    corrected = wire_file(
        tmp_path / "corrected.txt", "MIAMI (AP) — The storm hit on Tuesday.", CORRECTION
    )

    import_wire(corrected, slug=storm.slug)

    story = Story.objects.get()
    revision = story.revisions.get(number=2)
    assert (revision.kind, revision.editors_note) == (Kind.CORRECTION, CORRECTION)
    assert revision.body == "The storm hit on Tuesday."
    assert story.kind == Kind.CORRECTION
    assert story.text == f"MIAMI (AP) — The storm hit on Tuesday.\n\n{CORRECTION}"


@pytest.mark.django_db
def test_corrected_story_new_to_the_archive_is_a_correction_from_the_start():
    import_wire(SAMPLES / "quake-sao-paulo.txt")

    revision = Revision.objects.get()
    assert revision.kind == Kind.CORRECTION
    assert revision.editors_note.startswith("This story has been corrected")
    assert (revision.dateline_place, revision.agency) == ("SÃO PAULO", "AP")
    assert revision.wire_time == datetime(2025, 9, 3, 23, 15, tzinfo=UTC)


@pytest.mark.django_db
def test_contributor_lines_are_stored_on_every_revision_of_the_file(tmp_path):
    second = "Associated Press writers Bo Kim and Jo Li contributed."
    path = wire_file(
        tmp_path / "storm.txt",
        "MIAMI (AP) — New.",
        BREAKING_NOTE,
        "MIAMI (AP) — Old.",
        CONTRIBUTOR,
        second,
    )

    import_wire(path)

    assert set(Revision.objects.values_list("contributors", flat=True)) == {
        f"{CONTRIBUTOR}\n{second}"
    }
    assert CONTRIBUTOR not in Story.objects.get().text


@pytest.mark.django_db
def test_zoneless_time_line_is_read_in_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Asia/Seoul"

    import_wire(SEED_PATH)

    assert Story.objects.get().updated_at == datetime(2025, 6, 16, 19, 31, tzinfo=UTC)


@pytest.mark.django_db
def test_time_line_with_a_zone_is_not_read_in_the_newsroom_zone(tmp_path, settings):
    settings.TIME_ZONE = "America/New_York"
    path = wire_file(
        tmp_path / "s.txt", "MIAMI (AP) — Text.", time_line="Jun 17, 2025 | 4:31 AM UTC"
    )

    import_wire(path)

    assert Revision.objects.get().wire_time == datetime(2025, 6, 17, 4, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    "time_line, message",
    [
        ("Mar 9, 2025 | 2:30 AM", "does not exist in America/New_York: the clocks skipped it"),
        ("Nov 2, 2025 | 1:30 AM", "happened twice in America/New_York"),
    ],
)
@pytest.mark.django_db
def test_zoneless_time_line_the_clocks_skipped_or_repeated_is_refused(
    tmp_path, settings, time_line, message
):
    settings.TIME_ZONE = "America/New_York"
    path = wire_file(tmp_path / "dst.txt", "MIAMI (AP) — Text.", time_line=time_line)

    _, _, err = import_wire_failing(path)

    assert f"{path}:3: the time line {time_line}" in err and message in err
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_time_line_in_the_repeated_hour_with_its_zone_is_taken(tmp_path, settings):
    settings.TIME_ZONE = "America/New_York"
    path = wire_file(
        tmp_path / "s.txt", "MIAMI (AP) — Text.", time_line="Nov 2, 2025 | 1:30 AM EST"
    )

    import_wire(path)

    assert Revision.objects.get().wire_time == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)


# Refusals: the reason with file and line, a failing exit, nothing written


def _bytes(*paragraphs, time_line=TIME_LINE):
    return ("\n\n".join(["Storm hits coast", time_line, *paragraphs]) + "\n").encode()


@pytest.mark.parametrize(
    "content, where, reason",
    [
        pytest.param(b"", "", "the file is empty", id="empty"),
        pytest.param(
            "Café\n\nJun 1, 2025 | 1:00 AM\n\nMIAMI (AP) -- Olé.\n".encode("latin-1"),
            ":1",
            "not UTF-8 text",
            id="not utf-8",
        ),
        pytest.param(
            b"MIAMI (AP) \xe2\x80\x94 No headline.\n", ":1", "headline is missing", id="no headline"
        ),
        pytest.param(
            b"Storm hits coast\n\nMIAMI (AP) \xe2\x80\x94 Text.\n",
            ":3",
            "the time line is missing",
            id="no time line",
        ),
        pytest.param(
            _bytes("MIAMI (AP) — Text.", time_line="Jun 17, 2025 | 13:31 PM"),
            ":3",
            "no hour 13",
            id="unreadable time line",
        ),
        pytest.param(_bytes("The storm hit."), ":5", "no dateline", id="no dateline"),
        pytest.param(
            _bytes("MIAMI (AP) — New top.", BREAKING_NOTE),
            ":7",
            "no earlier story below",
            id="marker with nothing after it",
        ),
        pytest.param(
            _bytes("MIAMI (AP) — Bell\x07."), ":5", "control character U+0007", id="control"
        ),
        pytest.param(
            _bytes("MIAMI (AP) — Text." + " More." * 30), "", "over 200 bytes", id="too big"
        ),
        pytest.param(
            _bytes(f"{'A' * 101} (AP) — Text."), ":5", "at most 100 fit", id="place too long"
        ),
    ],
)
def test_bad_file_fails_the_command_naming_file_line_and_reason(
    content, where, reason, tmp_path, settings, make_story
):
    settings.WIRE_MAX_BYTES = 200
    make_story("existing")
    before = archive()
    path = tmp_path / "bad.txt"
    path.write_bytes(content)

    error, _, err = import_wire_failing(path)

    assert "1 of 1 files were not imported" in error
    assert err.startswith(f"{path}{where}: ")
    assert reason in err
    assert archive() == before


@pytest.mark.django_db
def test_missing_file_fails_the_command(tmp_path):
    _, _, err = import_wire_failing(tmp_path / "missing.txt")

    assert f"{tmp_path / 'missing.txt'}: cannot read it: No such file" in err


def test_file_size_limit_defaults_to_one_mebibyte(settings):
    assert settings.WIRE_MAX_BYTES == 1024 * 1024


def test_file_at_the_size_limit_is_imported(tmp_path, settings, db):
    path = tmp_path / "storm.txt"
    path.write_bytes(_bytes("MIAMI (AP) — Text."))
    settings.WIRE_MAX_BYTES = path.stat().st_size

    import_wire(path)

    assert Story.objects.exists()


# Batches and directories


@pytest.mark.django_db
def test_directory_imports_good_files_reports_bad_ones_and_sums_up(tmp_path):
    folder = tmp_path / "wire"
    shutil.copytree(SAMPLES, folder)
    (folder / "notes.md").write_text("not wire copy")
    (folder / ".hidden.txt").write_bytes(b"\x00")
    (folder / "2-storm-update.txt").write_bytes(  # Windows line ends
        (folder / "2-storm-update.txt").read_bytes().replace(b"\n", b"\r\n")
    )

    error, out, err = import_wire_failing(folder)

    assert "1 of 4 files were not imported" in error
    assert "4 files: 2 created, 1 updated, 0 unchanged, 1 failed." in out
    assert (
        f"{folder / 'rejected' / 'no-dateline.txt'}:5: the first paragraph has no dateline" in err
    )
    assert err.count("\n") == 1
    assert Story.objects.count() == 2
    assert Story.objects.get(slug="tropical-storm-nears-floridas-gulf-coast").revision_number == 2


def test_special_files_are_refused_at_once_unread(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opened to read, it would wait for a writer forever
    outcomes = {}

    def read(path):
        try:
            read_wire_file(path)
        except ImportRefused as exc:
            outcomes[path] = exc.located(path)

    for path, kind in [(fifo, "a FIFO"), (Path("/dev/zero"), "a character device")]:
        reader = threading.Thread(target=read, args=(path,), daemon=True)
        reader.start()
        reader.join(timeout=10)
        assert outcomes.get(path) == f"{path}: {kind}, not a wire file: not read"


@pytest.mark.django_db
def test_a_folder_names_the_entries_it_skips(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    shutil.copy(SAMPLES / "1-storm-original.txt", folder)
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")

    out, err = import_wire(folder)

    assert out.endswith(
        "1 file: 1 created, 0 updated, 0 unchanged, 0 failed; 3 skipped, not files: "
        f"{folder / 'gone.txt'}, {folder / 'loop.txt'}, {folder / 'pipe.txt'}.\n"
    )
    assert err.splitlines() == [
        f"{folder / 'gone.txt'}: skipped, a symbolic link to nothing",
        f"{folder / 'loop.txt'}: skipped, a symbolic link loop",
        f"{folder / 'pipe.txt'}: skipped, a FIFO",
    ]


@pytest.mark.django_db
def test_batch_writes_nothing_for_the_bad_file(tmp_path):
    bad = wire_file(tmp_path / "bad.txt", "MIAMI (AP) — New top.", BREAKING_NOTE)

    error, out, err = import_wire_failing(SEED_PATH, bad, SAMPLES / "1-storm-original.txt")

    assert "1 of 3 files were not imported" in error
    assert f"{bad}:7: " in err
    assert set(Story.objects.values_list("slug", flat=True)) == {
        SEED_SLUG,
        "tropical-storm-nears-floridas-gulf-coast",
    }
    assert Revision.objects.count() == 3


@pytest.mark.django_db
def test_importing_a_folder_twice_changes_nothing_the_second_time():
    import_wire(SAMPLES / "1-storm-original.txt", SAMPLES / "2-storm-update.txt", SEED_PATH)
    before = archive()

    out, _ = import_wire(
        SAMPLES / "2-storm-update.txt", SEED_PATH, SAMPLES / "1-storm-original.txt"
    )

    assert "3 files: 0 created, 0 updated, 3 unchanged, 0 failed." in out
    assert archive() == before


# Dry run, verbosity and progress


@pytest.mark.django_db
def test_dry_run_reports_what_it_would_do_and_writes_nothing(make_story):
    make_story("existing")
    before = archive()

    out, _ = import_wire(
        SAMPLES / "1-storm-original.txt", SAMPLES / "2-storm-update.txt", dry_run=True
    )

    assert "would create revision 1 of “tropical-storm-nears-floridas-gulf-coast”" in out
    assert "would add revision 2 of “tropical-storm-nears-floridas-gulf-coast”" in out
    assert (
        "2 files: 1 created, 1 updated, 0 unchanged, 0 failed (dry run: nothing was written)."
        in out
    )
    assert archive() == before


@pytest.mark.django_db
def test_dry_run_with_a_bad_file_fails(tmp_path):
    bad = wire_file(tmp_path / "bad.txt", "No dateline.")

    error, _, err = import_wire_failing(SEED_PATH, bad, dry_run=True)

    assert "1 of 2 files were not imported" in error and f"{bad}:5:" in err
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_progress_is_shown_on_a_terminal():
    terminal = Terminal()

    import_wire(SAMPLES / "1-storm-original.txt", SEED_PATH, stderr=terminal)

    assert "\rimporting: 1/2 files (50%)" in terminal.getvalue()
    assert "\rimporting: 2/2 files (100%)" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the counter clears its line when done


@pytest.mark.django_db
def test_no_progress_when_not_on_a_terminal():
    _, err = import_wire(SAMPLES / "1-storm-original.txt", SEED_PATH)

    assert err == ""


@pytest.mark.django_db
def test_verbosity_zero_is_quiet_even_on_a_terminal():
    terminal = Terminal()

    out, err = import_wire(
        SAMPLES / "1-storm-original.txt", SEED_PATH, stderr=terminal, verbosity=0
    )

    assert (out, err) == ("", "")
    assert Story.objects.count() == 2


@pytest.mark.django_db
def test_verbosity_zero_still_names_a_bad_file(tmp_path):
    bad = wire_file(tmp_path / "bad.txt", "No dateline.")

    _, out, err = import_wire_failing(bad, verbosity=0)

    assert out == "" and f"{bad}:5:" in err


# The importer's API


@pytest.mark.parametrize(
    "paragraphs, queries",
    [
        # Matching (one query for all versions), address free, insert story and revision,
        # announce, read back.
        pytest.param(["MIAMI (AP) — New."], 13, id="new story"),
        # Matching finds the story; its stack, the update, insert, announce, read back.
        pytest.param(
            ["MIAMI (AP) — Top.", BREAKING_NOTE, "MIAMI (AP) — The storm hit."], 11, id="update"
        ),
        # Matching finds the story at the file's text; its current revision.
        pytest.param(["MIAMI (AP) — The storm hit."], 4, id="unchanged"),
    ],
)
@pytest.mark.django_db
def test_importing_a_file_takes_a_fixed_number_of_queries(
    paragraphs, queries, tmp_path, django_assert_num_queries
):
    import_wire_file(wire_file(tmp_path / "old.txt", "MIAMI (AP) — The storm hit."))
    for number in range(5):  # the archive's size does not matter
        import_wire_file(
            wire_file(tmp_path / f"{number}.txt", f"MIAMI (AP) — {number}.", headline=str(number))
        )
    path = wire_file(tmp_path / "file.txt", *paragraphs, headline="Another headline")

    with django_assert_num_queries(queries):
        import_wire_file(path)


@pytest.mark.django_db
def test_import_result_says_what_happened(tmp_path):
    path = wire_file(tmp_path / "storm.txt", "MIAMI (AP) — The storm hit.")

    created = import_wire_file(path)
    again = import_wire_file(path)

    assert (created.outcome, [r.number for r in created.published]) == ("created", [1])
    assert (again.outcome, again.published, again.story) == ("unchanged", [], created.story)


def test_long_headline_makes_a_slug_cut_at_a_word():
    headline = "Storm " + "floods coastal towns and " * 10 + "cuts power"

    slug = slug_for(headline)

    assert len(slug) <= Story._meta.get_field("slug").max_length
    assert slugify(headline).startswith(slug + "-")


def test_headline_without_latin_letters_still_gets_a_slug():
    assert re.fullmatch(r"story-[0-9a-f]{12}", slug_for("북한, 러시아에 건설 인력 파견"))
    assert slug_for("북한") != slug_for("러시아")


def test_finding_a_forked_body_uses_the_index(db):
    """At a few thousand rows a scan costs less; priced out, the index must serve."""
    bulk_archive(3_000, "faces a zeppelin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    found = Revision.objects.with_body(["The council said nothing."])

    assert "articles_revision_md5_idx" in found.explain()
    assert not found.exists()
