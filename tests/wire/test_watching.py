"""The watched folder: files imported as they arrive, moved to done/ or rejected/, once."""

import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Revision, Story
from articles.wire.transmissions import receive
from articles.wire.watching import Inbox, watch

ANPA = Path(__file__).parent / "transmissions" / "anpa"
NITF = Path(__file__).parent / "transmissions" / "nitf"
SAMPLES = Path(__file__).parent / "samples"


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the watcher did not take the file"
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_files_dropped_while_the_watcher_runs_are_imported_or_rejected_with_the_reason(tmp_path):
    stop = threading.Event()

    def run():
        try:
            watch(tmp_path, interval=0.05, stop=stop)
        finally:
            connection.close()

    watcher = threading.Thread(target=run)
    watcher.start()
    try:
        # A sender writes under a temporary name, then renames the file into place.
        partial = tmp_path / "quake.xml.tmp"
        partial.write_bytes((NITF / "quake-1-original.xml").read_bytes())
        partial.rename(tmp_path / "quake.xml")
        (tmp_path / "broken.anpa").write_bytes(
            (ANPA / "lobster-0-original.anpa").read_bytes().replace(b"\x03", b"")
        )
        wait_for(lambda: (tmp_path / "done" / "quake.xml").exists())
        wait_for(lambda: (tmp_path / "rejected" / "broken.anpa.reason.txt").exists())
    finally:
        stop.set()
        watcher.join()

    assert Story.objects.get().headline == "Strong quake shakes Chile's capital"
    reason = (tmp_path / "rejected" / "broken.anpa.reason.txt").read_text()
    assert reason.startswith("broken.anpa:") and "no ETX" in reason
    assert (tmp_path / "rejected" / "broken.anpa").exists()
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == []


@pytest.mark.django_db
def test_file_archived_before_a_crash_moved_it_is_not_imported_twice(tmp_path, caplog):
    dropped = tmp_path / "lobster.anpa"
    shutil.copy(ANPA / "lobster-0-original.anpa", dropped)
    receive(dropped.read_bytes(), dropped.name)  # committed, then the process died

    inbox = Inbox(tmp_path)  # the restarted watcher
    assert inbox.poll() == []  # a file is taken once it has stopped growing
    (line,) = inbox.poll()

    assert line.startswith("lobster.anpa: unchanged") and "received already" in line
    assert Revision.objects.count() == 1
    assert (tmp_path / "done" / "lobster.anpa").exists()


@pytest.mark.django_db
def test_watch_command_takes_a_days_mix_and_stops_after_its_polls(tmp_path, caplog):
    for path in [
        SAMPLES / "1-storm-original.txt",
        ANPA / "lobster-0-original.anpa",
        ANPA / "lobster-1-1stld.anpa",
        ANPA / "lobster-3-kill.anpa",
        NITF / "quake-1-original.xml",
    ]:
        shutil.copy(path, tmp_path / path.name)

    call_command("import_wire", watch=str(tmp_path), interval=0, max_polls=2)

    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == [
        "1-storm-original.txt",
        "lobster-0-original.anpa",
        "lobster-1-1stld.anpa",
        "lobster-3-kill.anpa",
        "quake-1-original.xml",
    ]
    lobster = Story.objects.get(wire_keyword="giantlobsterdeath")
    assert (lobster.revision_number, lobster.withdrawn_at is not None) == (2, True)
    assert Story.objects.count() == 3
    logged = [r.getMessage() for r in caplog.records if r.name == "newsdesk.wire"]
    assert len([line for line in logged if line.startswith(("1-", "lobster", "quake"))]) == 5
