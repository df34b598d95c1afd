"""A wire transmission (plain text, ANPA-1312 or NITF) into the archive, whole or not at all.

Every arrival is remembered by its digest, in the same transaction as what it wrote, so
the watcher and the ingest endpoint import a transmission once whatever restarts. A
keyed transmission is threaded by its keyword: a later version becomes the story's next
revision through publishing.publish(), an earlier one that arrives late is kept as
history without overturning the newer text, and a kill withdraws the story. Plain text
keeps its own text-matching threading (importing.py).
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Story, Transmission, slug_for
from articles.publishing import Dispatch, publish, withdraw
from articles.text import Kind
from articles.wire import formats
from articles.wire.importing import ImportRefused, import_wire_story, max_bytes, refusals
from articles.wire.newsroom_zone import aware
from articles.wire.stories import WireKill, WireStory

# Every alert goes out under the same keyword: it threads nothing.
ALERT_KEY = "apnewsalert"
UNTHREADED_KEYS = {"", ALERT_KEY}


@dataclass(frozen=True)
class Received:
    outcome: str  # created, updated, unchanged, late, withdrawn
    story: Story
    revisions: list = field(default_factory=list)
    note: str = ""
    wire_format: str = ""

    @property
    def published(self):  # as ImportResult names them
        return self.revisions


def receive(data: bytes, source: str) -> Received:
    """Archive one transmission, or raise ImportRefused saying why nothing was written."""
    digest = hashlib.sha256(data).hexdigest()
    with refusals():
        known = Transmission.objects.filter(digest=digest).select_related("story").first()
        if known and known.story:
            return Received(
                "unchanged",
                known.story,
                note=f"received already, {known.received_at:%Y-%m-%d %H:%M} UTC",
            )
        parsed = formats.parse_bytes(data, max_bytes())
        wire_format = formats.detect_bytes(data)
        with transaction.atomic():
            received = _archive(parsed)
            Transmission.objects.create(
                digest=digest,
                source=source[:200],
                wire_format=wire_format,
                wire_keyword=parsed.thread_key,
                wire_version=getattr(parsed, "version", None) if parsed.keyword else None,
                outcome=Transmission.Outcome(
                    received.outcome
                    if received.outcome in ("late", "withdrawn", "unchanged")
                    else "published"
                ),
                story=received.story,
                content=data.decode("utf-8", "backslashreplace").replace("\x00", "\\x00"),
            )
    return Received(
        received.outcome, received.story, received.revisions, received.note, wire_format
    )


def _archive(parsed):
    if isinstance(parsed, WireKill):
        return _kill(parsed)
    if parsed.thread_key in UNTHREADED_KEYS and not parsed.keyword:
        result = import_wire_story(parsed)
        return Received(result.outcome, result.story, result.published, result.note)
    return _thread(parsed)


def _kill(kill):
    story = _keyed_story(kill.thread_key)
    if story is None:
        raise ImportRefused(f"a kill for the keyword “{kill.keyword}”, which no story has")
    withdraw(story.slug, kill.reason)
    return Received("withdrawn", Story.objects.get(pk=story.pk), note=kill.reason)


def _keyed_story(key):
    if key in UNTHREADED_KEYS:
        return None
    return Story.objects.filter(wire_keyword=key).order_by("pk").first()


def _thread(story: WireStory):
    key = "" if story.thread_key in UNTHREADED_KEYS else story.thread_key
    target = _keyed_story(key)
    embargo = aware(story.embargo) if story.embargo else None
    if target is None:
        slug = _free_slug(slug_for(story.headline))
        revision = publish(
            slug,
            _dispatch(story, Kind.ALERT if is_bulletin(story) else Kind.ORIGINAL),
            expected_revision=0,
            wire_keyword=key,
            not_before=embargo,
        )
        return Received("created", revision.story, [revision])
    newest = target.revisions.aggregate(newest=Max("wire_version"))["newest"]
    if newest is not None and story.version <= newest:
        return Received(
            "late",
            target,
            note=f"version {story.version} arrived after version {newest}: kept as history, "
            "the newer text stands",
        )
    revision = publish(
        target.slug,
        _dispatch(story, Kind.UPDATE),
        expected_revision=target.revision_number,
        not_before=embargo if embargo and embargo > timezone.now() else None,
    )
    return Received("updated", Story.objects.get(pk=target.pk), [revision])


def is_bulletin(story):
    """An APNewsAlert sent at priority b (bulletin): a breaking story of one paragraph."""
    return story.thread_key == ALERT_KEY and story.priority == "b"


def _dispatch(story, kind):
    (version,) = story.versions
    return Dispatch(
        headline=story.headline,
        body=version.body,
        kind=kind,
        dateline_place=version.dateline_place,
        agency=version.agency,
        byline=story.byline,
        wire_time=aware(story.wire_time),
        editors_note=story.editors_note,
        wire_version=story.version,
    )


def _free_slug(slug):
    """`slug`, or `slug-2`, `slug-3` ... when a story of another keyword has it."""
    taken = set(Story.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[: 100 - len(str(number)) - 1]}-{number}"
    return candidate
