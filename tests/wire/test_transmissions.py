"""Wire transmissions into the archive: threaded by keyword, late versions kept, kills obeyed."""

from datetime import UTC
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Revision, Story, Transmission
from articles.text import Kind
from articles.wire.importing import ImportRefused
from articles.wire.transmissions import receive

ANPA = Path(__file__).parent / "transmissions" / "anpa"
NITF = Path(__file__).parent / "transmissions" / "nitf"
ORIGINAL, FIRST, SECOND, THIRD = (
    ANPA / "lobster-0-original.anpa",
    ANPA / "lobster-1-1stld.anpa",
    ANPA / "lobster-2-2ndld.anpa",
    ANPA / "lobster-3-3rdld.anpa",
)
QUAKE = [NITF / "quake-1-original.xml", NITF / "quake-2-1stld.xml", NITF / "quake-3-2ndld.xml"]

pytestmark = pytest.mark.django_db


def send(path):
    return receive(path.read_bytes(), path.name)


def test_writethrus_in_order_become_the_next_revisions_of_one_story():
    outcomes = [send(path).outcome for path in (ORIGINAL, FIRST, SECOND)]

    assert outcomes == ["created", "updated", "updated"]
    story = Story.objects.get()
    assert story.wire_keyword == "giantlobsterdeath"
    assert story.headline == "Aquarium to hold memorial for giant lobster"
    revisions = list(story.revisions.order_by("number"))
    assert [(r.kind, r.wire_version) for r in revisions] == [
        (Kind.ORIGINAL, 0),
        (Kind.UPDATE, 1),
        (Kind.UPDATE, 2),
    ]
    assert revisions[2].editors_note == "Adds memorial date, cause of death."
    # A write-thru replaces the text: nothing of the 1st Ld remains on the page.
    assert "staff mourn" not in story.text and "memorial Friday" in story.text


def test_earlier_version_arriving_late_is_kept_without_overturning_the_newer_text():
    for path in (ORIGINAL, SECOND):
        send(path)
    shown = Story.objects.get().text

    late = send(FIRST)

    assert late.outcome == "late"
    story = Story.objects.get()
    assert (story.revision_number, story.text) == (2, shown)
    kept = Transmission.objects.get(outcome=Transmission.Outcome.LATE)
    assert (kept.wire_version, kept.story) == (1, story)
    assert "Giant lobster dies at Georgia aquarium, staff mourn" in kept.content


def test_first_second_and_third_writethrus_in_order_thread_into_four_revisions(client):
    outcomes = [send(path).outcome for path in (ORIGINAL, FIRST, SECOND, THIRD)]

    assert outcomes == ["created", "updated", "updated", "updated"]
    story = Story.objects.get()
    assert [r.wire_version for r in story.revisions.order_by("number")] == [0, 1, 2, 3]
    assert story.headline == "Hundreds attend memorial for aquarium's giant lobster"
    assert story.revisions.get(number=4).editors_note.startswith("Recasts with memorial")
    assert "new crustacean exhibit" in story.text and "memorial Friday" not in story.text
    history = client.get(story.get_history_url()).content.decode()
    assert "4 versions" in history


# Each order of the four transmissions, and what becomes of each: a version newer than
# any archived before it is the next revision; an older one is kept as history.
ARRIVALS = {
    "2nd after 3rd": ([0, 1, 3, 2], ["created", "updated", "updated", "late"]),
    "1st and 2nd after 3rd": ([0, 3, 2, 1], ["created", "updated", "late", "late"]),
    "original last": ([1, 2, 3, 0], ["created", "updated", "updated", "late"]),
    "3rd first": ([3, 0, 1, 2], ["created", "late", "late", "late"]),
}


@pytest.mark.parametrize("order, outcomes", ARRIVALS.values(), ids=ARRIVALS.keys())
def test_writethrus_out_of_order_never_overturn_the_newest_text(order, outcomes):
    paths = [(ORIGINAL, FIRST, SECOND, THIRD)[version] for version in order]

    assert [send(path).outcome for path in paths] == outcomes

    story = Story.objects.get()
    published = [v for v, outcome in zip(order, outcomes, strict=True) if outcome != "late"]
    assert [r.wire_version for r in story.revisions.order_by("number")] == published
    assert story.headline == "Hundreds attend memorial for aquarium's giant lobster"
    assert "new crustacean exhibit" in story.text and "staff mourn" not in story.text
    late = Transmission.objects.filter(outcome=Transmission.Outcome.LATE, story=story)
    assert sorted(late.values_list("wire_version", flat=True)) == sorted(
        set(order) - set(published)
    )


def test_nitf_first_and_second_leads_in_order_thread_into_three_revisions():
    assert [send(path).outcome for path in QUAKE] == ["created", "updated", "updated"]

    story = Story.objects.get()
    assert [r.wire_version for r in story.revisions.order_by("number")] == [0, 1, 2]
    assert story.headline == "Two dead as quake in Chile damages homes, cuts power"
    assert story.revisions.get(number=3).editors_note.startswith("Updates with death toll")


def test_nitf_first_lead_after_the_second_is_kept_as_history():
    outcomes = [send(path).outcome for path in (QUAKE[0], QUAKE[2], QUAKE[1])]

    assert outcomes == ["created", "updated", "late"]
    story = Story.objects.get()
    assert (story.revision_number, story.headline) == (
        2,
        "Two dead as quake in Chile damages homes, cuts power",
    )
    assert "Rescue teams were searching" in story.text


def test_nitf_leads_thread_by_du_key_and_a_transmission_sent_twice_changes_nothing():
    send(NITF / "quake-1-original.xml")
    send(NITF / "quake-2-1stld.xml")
    again = send(NITF / "quake-2-1stld.xml")

    assert again.outcome == "unchanged"
    assert Story.objects.get().revision_number == 2
    assert Transmission.objects.count() == 2


def test_kill_withdraws_the_keyed_story_and_keeps_its_revisions():
    send(ORIGINAL)
    kill = send(ANPA / "lobster-3-kill.anpa")

    assert kill.outcome == "withdrawn"
    story = Story.objects.get()
    assert story.withdrawn_at is not None
    assert story.withdrawal_reason.startswith("The Associated Press has withdrawn the story")
    assert Revision.objects.count() == 1


def test_bad_transmissions_are_refused_and_write_nothing():
    good = ORIGINAL.read_bytes()
    cases = {
        "missing ETX": (good.replace(b"\x03", b""), "no ETX"),
        "truncated header": (good[:25], "header is truncated"),
        "bad trailer date": (good.replace(b"08-29-16", b"02-30-16"), "no real date"),
        "kill of no story": ((ANPA / "lobster-3-kill.anpa").read_bytes(), "which no story has"),
        "2 MB": (good[:-1] + b" " * 2 * 1024 * 1024 + good[-1:], "over 1,048,576 bytes"),
    }
    for name, (data, message) in cases.items():
        with pytest.raises(ImportRefused) as refused:
            receive(data, name)
        assert message in str(refused.value), name
    assert not Story.objects.exists() and not Transmission.objects.exists()


def test_agate_table_is_archived_as_rows_and_rendered_as_a_table(client):
    story = send(ANPA / "standings.anpa").story

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Team\tW\tL\tPct\nToronto\t74\t56\t.569" in story.text
    table = page[page.index('<table class="agate">') : page.index("</table>")]
    assert '<th scope="col">Team</th><th scope="col">W</th>' in table
    assert "<td>Baltimore</td><td>72</td><td>58</td><td>.554</td>" in table


def test_news_alert_is_its_own_story_and_threads_nothing():
    first = send(ANPA / "alert.anpa")
    other = receive(
        (ANPA / "alert.anpa").read_bytes().replace(b"budget bill 51-49", b"farm bill 60-40"), "2"
    )

    assert (first.outcome, other.outcome) == ("created", "created")
    assert first.story.wire_keyword == "" and first.story.revisions.get().body.count("\n\n") == 0


def test_news_alert_at_bulletin_priority_is_breaking_news_of_its_own():
    now = timezone.now().astimezone(UTC)
    bulletin = (
        (ANPA / "alert.anpa")
        .read_bytes()
        .replace(b"08-29-16 2102", f"{now:%m-%d-%y %H%M}".encode())
    )
    routine = bulletin.replace(b"\nb a\x13", b"\nr a\x13")

    alert = receive(bulletin, "bulletin").story
    other = receive(routine, "routine").story

    assert (alert.kind, other.kind) == (Kind.ALERT, Kind.ORIGINAL)
    assert list(Story.objects.breaking()) == [alert] and alert.is_breaking


def test_embargoed_writethru_of_a_live_story_withholds_the_story_until_its_time():
    send(ORIGINAL)
    embargoed = FIRST.read_bytes().replace(
        b"^Eds: Updates", b"^Eds: Embargoed until 9:00 AM EDT, June 1, 2999. Updates"
    )

    assert receive(embargoed, "embargoed").outcome == "updated"

    story = Story.objects.get()
    assert story.revision_number == 2  # stored at once
    assert not Story.objects.public().exists()  # and shown to nobody before its time


def test_import_wire_reads_a_folder_of_transmissions_in_name_order(tmp_path):
    for number, path in enumerate([ORIGINAL, SECOND, FIRST, ANPA / "lobster-3-kill.anpa"]):
        (tmp_path / f"{number}-{path.name}").write_bytes(path.read_bytes())
    out = StringIO()

    call_command("import_wire", str(tmp_path), stdout=out)

    lines = out.getvalue().splitlines()
    assert "created revision 1 of “giant-lobster-dies-at-georgia-aquarium”" in lines[0]
    assert "added revision 2" in lines[1]
    assert "kept as history" in lines[2] and "version 1 arrived after version 2" in lines[2]
    assert "withdrew" in lines[3]
    assert lines[4] == "4 files: 1 created, 1 updated, 0 unchanged, 1 late, 1 withdrawn, 0 failed."
