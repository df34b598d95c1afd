"""Wire copy into the archive: a parsed file becomes revisions through publishing.publish.

A wire file carries the whole stack of a story as it stands: the newest top, and under
each breaking-news note the earlier story. Importing compares that stack with the
archived revisions, so a file can be imported again (nothing changes) and an update
that arrives later as a fuller file adds only its new revisions.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import wire
from articles.models import SLUG_LENGTH, Kind, Revision, Story
from articles.publishing import Dispatch, EditConflict, publish


class ImportRefused(Exception):
    """A wire file was not archived, for the reason given; nothing of it was written."""


@dataclass(frozen=True)
class ImportResult:
    story: Story
    published: list[Revision]  # the new revisions, oldest first; empty when unchanged


def slug_for(headline: str) -> str:
    full = slugify(headline)
    slug = full[:SLUG_LENGTH].rstrip("-")
    if len(full) > SLUG_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]  # cut at a word, not inside one
    return slug or "story-" + hashlib.sha256(headline.encode()).hexdigest()[:12]


def dispatches(story: wire.WireStory) -> list[Dispatch]:
    """One dispatch per version, oldest first.

    The wire gives one headline, byline and time line: the headline and byline serve
    every version (the earlier story had no other that we know of), the time line
    only the newest. Unknown times stay empty.
    """
    wire_time = story.published_at and newsroom_time(story.published_at)
    newest = len(story.versions) - 1
    return [
        Dispatch(
            headline=story.headline,
            body=version.body,
            kind=Kind.BREAKING_UPDATE if version.editors_note else Kind.ORIGINAL,
            dateline_place=version.dateline_place,
            agency=version.agency,
            byline=story.byline,
            wire_time=wire_time if index == newest else None,
            editors_note=version.editors_note,
        )
        for index, version in enumerate(story.versions)
    ]


def import_wire_story(story: wire.WireStory, *, slug: str | None = None) -> ImportResult:
    """Archive what the file adds to its story, all of it or nothing."""
    slug = slug or slug_for(story.headline)
    incoming = dispatches(story)
    with transaction.atomic():
        archived = list(Revision.objects.filter(story__slug=slug).order_by("number"))
        for revision, dispatch in zip(archived, incoming, strict=False):
            if _text_of(revision) != _text_of(dispatch):
                raise ImportRefused(
                    f"the story “{slug}” is archived with a different revision {revision.number}; "
                    "this file does not continue it, so nothing was imported"
                )
        published = [
            publish(slug, dispatch, expected_revision=number)
            for number, dispatch in enumerate(incoming[len(archived) :], start=len(archived))
        ]
    return ImportResult(story=Story.objects.get(slug=slug), published=published)


def import_wire_file(path, *, slug: str | None = None) -> ImportResult:
    """Read, parse and import one file, or raise ImportRefused saying why not."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
        return import_wire_story(wire.parse(text), slug=slug)
    except OSError as exc:
        raise ImportRefused(f"cannot read it: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"it is not UTF-8 text (byte {exc.start} is {exc.object[exc.start]:#04x})"
        ) from exc
    except (wire.WireFormatError, EditConflict) as exc:
        raise ImportRefused(str(exc)) from exc
    except ValidationError as exc:
        raise ImportRefused("; ".join(exc.messages)) from exc


def newsroom_time(naive):
    """The wire's zoneless time line, read in the newsroom's zone."""
    aware = timezone.make_aware(naive)
    if timezone.make_naive(aware.astimezone(UTC)) != naive:
        # zoneinfo quietly shifts a time the clocks skipped; the wire cannot have meant it.
        raise wire.WireFormatError(
            f"the time line {naive:%b %-d, %Y %-I:%M %p} does not exist in "
            f"{timezone.get_current_timezone_name()}: the clocks skipped it"
        )
    return aware


def _text_of(version):
    """What makes two versions the same story text, whatever headline or time they carry."""
    return (
        version.kind,
        version.dateline_place,
        version.agency,
        version.body,
        version.editors_note,
    )
