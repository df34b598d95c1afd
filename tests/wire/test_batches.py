"""A folder in batches: the same archive as one file after another, in fewer statements."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.management.commands.import_wire import describe
from articles.models import Revision, Story
from articles.publishing import Dispatch, publish
from articles.wire import batches
from articles.wire.batches import import_wire_files
from articles.wire.importing import ImportRefused, import_wire_file
from tests.helpers import BREAKING_NOTE, archive
from tests.wire.test_importing import import_wire, import_wire_failing, storm, wire_file

__all__ = ["storm"]  # a fixture the tests here take


def mixed_folder(folder):
    """Files whose outcomes depend on each other and on the archive, in name order.

    `storm` must be archived first (its text is "MIAMI (AP) — The storm hit." and
    "Power is out.").
    """
    folder.mkdir()
    storm = ["MIAMI (AP) — The storm hit.", "Power is out."]
    fire = ["TAMPA (AP) — A fire broke out."]
    flood = ["OCALA (AP) — A flood."]
    quake = ["RENO (AP) — A quake."]
    wire_file(folder / "a1-fire.txt", *fire, headline="Fire breaks out")
    wire_file(  # continues a1, in the same batch
        folder / "a2-fire-update.txt",
        "TAMPA (AP) — The fire spreads.",
        BREAKING_NOTE,
        *fire,
        headline="Fire spreads",
    )
    wire_file(folder / "a3-fire-again.txt", *fire, headline="Fire breaks out")  # a1 again
    wire_file(  # forks a1's story, which a2 moved on
        folder / "a4-fire-fork.txt",
        "TAMPA (AP) — Other top.",
        BREAKING_NOTE,
        *fire,
        headline="Fire forks",
    )
    wire_file(folder / "b1-flood.txt", *flood, headline="Flood")
    wire_file(folder / "b2-flood-same.txt", *flood, headline="Flood, again")  # unchanged
    wire_file(  # continues b1 after b2 was told "unchanged"
        folder / "b3-flood-update.txt",
        "OCALA (AP) — The flood recedes.",
        BREAKING_NOTE,
        *flood,
        headline="Flood recedes",
    )
    wire_file(folder / "c-bad.txt", "No dateline here.", headline="Bad")
    wire_file(folder / "d0-storm-again.txt", *storm, headline="Storm again")  # as archived
    wire_file(  # an update of a story the archive holds already
        folder / "d1-storm-update.txt",
        "MIAMI (AP) — The storm weakens.",
        BREAKING_NOTE,
        *storm,
        headline="Storm weakens",
    )
    wire_file(  # and an update of that update
        folder / "d2-storm-update.txt",
        "MIAMI (AP) — The storm is gone.",
        BREAKING_NOTE,
        "MIAMI (AP) — The storm weakens.",
        BREAKING_NOTE,
        *storm,
        headline="Storm is gone",
    )
    wire_file(folder / "d3-storm-late.txt", *storm)  # archived, but d1 moved it on
    wire_file(folder / "e-taken.txt", "KEY WEST (AP) — Another story.")  # storm's address
    wire_file(
        folder / "f-quake-stack.txt",
        "RENO (AP) — Aftershocks.",
        BREAKING_NOTE,
        *quake,
        headline="Quake",
    )
    wire_file(folder / "g-quake-same.txt", *quake, headline="Quake")  # f's earlier story
    wire_file(folder / "h-lone.txt", "BOISE (AP) — Quiet day.", headline="Quiet day")
    return folder


def archived_rows():
    """Every story and revision, without row ids: what an import leaves in the archive."""
    stories = list(Story.objects.order_by("slug").values())
    slugs = {story.pop("id"): story["slug"] for story in stories}
    revisions = list(Revision.objects.order_by("story__slug", "number").values())
    for revision in revisions:
        revision.pop("id")
        revision["story_id"] = slugs[revision["story_id"]]
    return stories, revisions


def lines(pairs):
    """What the command prints for each file, in order."""
    return [
        result.located(path) if isinstance(result, ImportRefused) else f"{path}: {describe(result)}"
        for path, result in pairs
    ]


def one_by_one(paths):
    for path in paths:
        try:
            yield path, import_wire_file(path)
        except ImportRefused as exc:
            yield path, exc


def tried(run):
    """What `run` prints and leaves in the archive, rolled back after."""
    with transaction.atomic():
        printed = lines(run())
        with connection.cursor() as cursor:  # the checks deferred to commit, run now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        rows = archived_rows()
        transaction.set_rollback(True)
    return printed, rows


@pytest.fixture
def frozen_clock(monkeypatch):
    """One archive time for every revision, so two imports can be compared row for row."""
    now = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    # publish() leaves archived_at to the model's default, which took timezone.now
    # itself when the model was defined: stop that clock too.
    monkeypatch.setattr(Revision._meta.get_field("archived_at"), "_get_default", lambda: now)
    return now


@pytest.mark.parametrize("batch_size", [1, 2, 200])
@pytest.mark.django_db
def test_batches_archive_exactly_what_one_file_after_another_does(
    batch_size, tmp_path, storm, frozen_clock, monkeypatch
):
    paths = sorted(mixed_folder(tmp_path / "wire").iterdir())
    expected = tried(lambda: list(one_by_one(paths)))
    bulk, insert = [], batches.publish_new_stories_with_revisions

    def spy(stories):
        stories = list(stories)
        bulk.extend((slug, len(dispatches)) for slug, dispatches in stories)
        return insert(stories)

    monkeypatch.setattr(batches, "publish_new_stories_with_revisions", spy)

    batched = tried(lambda: list(import_wire_files(paths, batch_size=batch_size)))

    # Alone in its batch, an update finds its story archived and goes one by one.
    fire = 1 if batch_size == 1 else 2
    assert sorted(bulk) == [("fire-breaks-out", fire), ("flood", 1), ("quake", 2), ("quiet-day", 1)]
    assert batched == expected
    printed, (stories, _) = batched
    outcomes = [line.split(": ", 2)[1].split(" ")[0] for line in printed]
    assert outcomes == [
        "created",  # a1
        "added",  # a2
        "unchanged",  # a3: revision 1 of a1's story
        "its",  # a4: refused, a fork
        "created",  # b1
        "unchanged",  # b2
        "added",  # b3
        "the",  # c: refused, no dateline
        "unchanged",  # d0
        "added",  # d1
        "added",  # d2
        "unchanged",  # d3: revision 1 of a story now at revision 3
        "the",  # e: refused, the address is taken
        "created",  # f
        "unchanged",  # g
        "created",  # h
    ]
    assert len(stories) == 5


# Files drawn from a few headlines and paragraphs, so that they share addresses, texts
# and bodies, stack over each other, repeat and fork.
versions = st.lists(
    st.sampled_from(["TAMPA (AP) — A.", "TAMPA (AP) — B.", "MIAMI (AP) — A.", "TAMPA (AP) — C."]),
    min_size=1,
    max_size=3,
)
folders = st.lists(
    st.tuples(st.sampled_from(["Fire", "Flood", "Storm hits coast"]), versions), max_size=8
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=folders, batch_size=st.integers(1, 4))
@pytest.mark.django_db
def test_any_folder_in_any_batches_archives_what_one_file_after_another_does(
    files, batch_size, storm, frozen_clock
):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, (headline, stack) in enumerate(files):
            paragraphs = [part for body in stack[:0:-1] for part in (body, BREAKING_NOTE)]
            paths.append(
                wire_file(Path(folder) / f"{number}.txt", *paragraphs, stack[0], headline=headline)
            )

        expected = tried(lambda: list(one_by_one(paths)))
        batched = tried(lambda: list(import_wire_files(paths, batch_size=batch_size)))

    assert batched == expected


@pytest.mark.django_db
def test_command_prints_and_sums_up_a_batch_as_one_file_after_another(tmp_path, storm):
    folder = mixed_folder(tmp_path / "wire")
    with transaction.atomic():
        expected = lines(one_by_one(sorted(folder.iterdir())))
        transaction.set_rollback(True)

    error, out, err = import_wire_failing(folder)

    assert out.splitlines() == [
        line for line in expected if ": created" in line or ": added" in line or "unchanged" in line
    ] + ["16 files: 4 created, 4 updated, 5 unchanged, 3 failed."]
    assert err.splitlines() == [line for line in expected if line not in out]
    assert "3 of 16 files were not imported" in error


@pytest.mark.django_db
def test_dry_run_of_a_batch_reports_what_a_real_run_does_and_writes_nothing(tmp_path, storm):
    folder = mixed_folder(tmp_path / "wire")
    before = archive()
    with transaction.atomic():
        _, real, real_err = import_wire_failing(folder)
        transaction.set_rollback(True)

    _, out, err = import_wire_failing(folder, dry_run=True)

    assert out.splitlines()[:-1] == [
        line.replace(": created", ": would create").replace(": added", ": would add")
        for line in real.splitlines()[:-1]
    ]
    assert out.splitlines()[-1] == real.splitlines()[-1].replace(
        ".", " (dry run: nothing was written)."
    )
    assert err == real_err
    assert archive() == before


@pytest.mark.django_db
def test_story_archived_meanwhile_at_a_files_address_refuses_only_that_file(tmp_path, monkeypatch):
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in ("fire", "flood", "quake"):
        wire_file(folder / f"{name}.txt", f"MIAMI (AP) — A {name}.", headline=f"A {name}")
    looked_up = batches._archived

    def editor_posts_meanwhile(files):
        found = looked_up(files)
        publish(
            "a-flood", Dispatch(headline="A flood", body="Posted by hand."), expected_revision=0
        )
        return found

    monkeypatch.setattr(batches, "_archived", editor_posts_meanwhile)

    error, out, err = import_wire_failing(folder)

    assert f"{folder / 'flood.txt'}: the address “a-flood” is taken" in err
    assert "3 files: 2 created, 0 updated, 0 unchanged, 1 failed." in out
    assert set(Story.objects.values_list("slug", "revision_number")) == {
        ("a-fire", 1),
        ("a-flood", 1),
        ("a-quake", 1),
    }
    assert Revision.objects.get(story__slug="a-flood").body == "Posted by hand."


@pytest.mark.django_db
def test_large_files_go_in_smaller_batches(tmp_path, monkeypatch):
    for name in ("fire", "flood", "quake"):
        wire_file(tmp_path / f"{name}.txt", f"MIAMI (AP) — A {name}.", headline=f"A {name}")
    monkeypatch.setattr(batches, "BATCH_BYTES", (tmp_path / "fire.txt").stat().st_size * 2)
    inserted, insert = [], batches.publish_new_stories_with_revisions

    def spy(stories):
        stories = list(stories)
        inserted.append([slug for slug, _ in stories])
        return insert(stories)

    monkeypatch.setattr(batches, "publish_new_stories_with_revisions", spy)

    import_wire(tmp_path)

    assert inserted == [["a-fire", "a-flood"], ["a-quake"]]


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.django_db
def test_importing_new_or_unchanged_files_takes_the_same_queries_however_many(
    count, tmp_path, django_assert_num_queries
):
    for number in range(count):
        wire_file(
            tmp_path / f"{number:03d}.txt",
            f"MIAMI (AP) — Story {number}.",
            BREAKING_NOTE,
            f"MIAMI (AP) — Earlier {number}.",
            headline=f"Story {number}",
        )

    # Texts, bodies and addresses looked up; stories, then revisions inserted, each
    # insert in a savepoint inside the batch's own.
    with django_assert_num_queries(9):
        out, _ = import_wire(tmp_path)
    # Looked up again: all unchanged, their stories' newest revisions read at once.
    with django_assert_num_queries(4):
        again, _ = import_wire(tmp_path)

    assert f"{count} files: {count} created, 0 updated" in out
    assert f"{count} files: 0 created, 0 updated, {count} unchanged" in again
    assert Revision.objects.count() == 2 * count
