"""Stories out as NITF, and back in through the importer as the same stories."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from articles.wire import nitf
from articles.wire.transmissions import receive
from tests.helpers import BREAKING_NOTE, aware

ANPA = Path(__file__).parent / "transmissions" / "anpa"
KEPT = ["headline", "dateline_place", "agency", "byline", "text", "updated_at", "wire_keyword"]

pytestmark = pytest.mark.django_db


def exported(slug):
    out = StringIO()
    call_command("export_wire", slug, format="nitf", stdout=out)
    return out.getvalue()


def round_trip(make):
    """Each story `make()` archives, exported, then imported into an archive without it."""
    with transaction.atomic():
        slugs = make()
        documents = {slug: exported(slug) for slug in slugs}
        before = {slug: Story.objects.values(*KEPT).get(slug=slug) for slug in slugs}
        transaction.set_rollback(True)
    assert not Story.objects.exists()
    for slug, document in documents.items():
        story = receive(document.encode(), f"{slug}.xml").story
        after = Story.objects.values(*KEPT).get(pk=story.pk)
        yield slug, before[slug], after, document


def test_wire_stories_and_editors_stories_come_back_the_same_through_nitf():
    def make():
        for path in ["lobster-0-original.anpa", "lobster-1-1stld.anpa", "standings.anpa"]:
            receive((ANPA / path).read_bytes(), path)
        when = aware(2025, 6, 17, 4, 31)
        publish(
            "storm",
            Dispatch(
                "Storm hits coast",
                "Rain fell.",
                dateline_place="MIAMI",
                agency="AP",
                byline="By JANE DOE and JOHN ROE, Associated Press",
                wire_time=when,
            ),
            expected_revision=0,
        )
        publish(
            "storm",
            Dispatch(
                "Storm kills 3",
                "Three died.",
                kind=Kind.BREAKING_UPDATE,
                dateline_place="MIAMI",
                agency="AP",
                editors_note=BREAKING_NOTE,
                wire_time=when.replace(hour=6),
            ),
            expected_revision=1,
        )
        return list(Story.objects.values_list("slug", flat=True))

    results = list(round_trip(make))

    assert len(results) == 3
    for slug, before, after, _ in results:
        # A story the wire never keyed is keyed by its address once it has been out.
        expected = {**before, "wire_keyword": before["wire_keyword"] or slug}
        assert after == expected, slug
    lobster = next(doc for slug, _, _, doc in results if slug.startswith("giant"))
    parsed = nitf.parse(lobster)
    assert (parsed.version, parsed.editors_note) == (
        1,
        "Updates with aquarium statement. With AP Photos.",
    )
    assert "<byttl>AP Sports Writer</byttl>" in lobster and "<th>Team</th>" in next(
        doc for slug, _, _, doc in results if slug.startswith("american")
    )
