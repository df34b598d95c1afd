"""Wire copy into the archive: a parsed file becomes revisions through publishing.publish.

A wire file carries the whole stack of a story as it stands: the newest top, and under
each breaking-news note the earlier story. Importing compares that stack with the
archived revisions, so a file can be imported again (nothing changes) and an update
that arrives later as a fuller file adds only its new revisions.
"""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import wire
from articles.models import Kind, Revision, Story
from articles.publishing import Dispatch, publish

SLUG_LENGTH = Story._meta.get_field("slug").max_length


class ImportConflict(Exception):
    """The file does not continue the archived story of the same address."""


@dataclass(frozen=True)
class ImportResult:
    story: Story
    published: list[Revision]  # the new revisions, oldest first; empty when unchanged


def slug_for(headline: str) -> str:
    slug = slugify(headline)[:SLUG_LENGTH].rstrip("-")
    if len(slugify(headline)) > SLUG_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]  # cut at a word, not inside one
    return slug or "story-" + hashlib.sha256(headline.encode()).hexdigest()[:12]


def dispatches(story: wire.WireStory) -> list[Dispatch]:
    """One dispatch per version, oldest first.

    The wire gives one headline, byline and time line: the headline and byline serve
    every version (the earlier story had no other that we know of), the time line
    only the newest. Unknown times stay empty.
    """
    published_at = story.published_at and timezone.make_aware(story.published_at)
    newest = len(story.versions) - 1
    return [
        Dispatch(
            headline=story.headline,
            body=version.body,
            kind=Kind.BREAKING_UPDATE if version.editors_note else Kind.ORIGINAL,
            dateline_place=version.dateline_place,
            agency=version.agency,
            byline=story.byline,
            published_at=published_at if index == newest else None,
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
                raise ImportConflict(
                    f"the story “{slug}” is archived with a different revision {revision.number}; "
                    "this file does not continue it, so nothing was imported"
                )
        published = [
            publish(slug, dispatch, expected_revision=number)
            for number, dispatch in enumerate(incoming[len(archived) :], start=len(archived))
        ]
    return ImportResult(story=Story.objects.get(slug=slug), published=published)


def import_wire_file(path, *, slug: str | None = None) -> ImportResult:
    """Read, parse and import one file. Raises OSError, wire.WireFormatError or ImportConflict."""
    with open(path, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise wire.WireFormatError(f"the file is not UTF-8 text (byte {exc.start})") from None
    return import_wire_story(wire.parse(text), slug=slug)


def _text_of(version):
    """What makes two versions the same story text, whatever headline or time they carry."""
    return (version.kind, version.dateline_place, version.agency, version.body, version.editors_note)
