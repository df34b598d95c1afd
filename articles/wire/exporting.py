"""A story back out as wire copy: the inverse of the import."""

from django.utils import timezone

from articles.models import Story
from articles.text import Kind
from articles.wire import plaintext


def as_wire_story(story: Story, number: int | None = None) -> plaintext.WireStory:
    """The story as it stood at revision `number` (default: now), as the wire sends it.

    The inverse of the import: the revision and the earlier story it tops are the
    versions, the revision's headline, byline and contributors serve the file, and its
    time (the wire's, else when it was archived) is the time line, in the newsroom's zone.
    """
    stack = story.revision_stack(number)
    if not stack:
        raise Story.DoesNotExist(f"the story “{story.slug}” has no revision {number}")
    newest, versions, correction = stack[0], [], ""
    for revision in reversed(stack):
        note = ""
        if revision.is_breaking_update:
            note = revision.editors_note
        elif revision.kind == Kind.CORRECTION and revision == newest:
            correction = revision.editors_note
        elif revision.editors_note:
            raise plaintext.WireFormatError(
                f"it cannot be written as wire copy: revision {revision.number}’s editor’s "
                f"note (“{revision.editors_note[:40]}”) has no place in it"
            )
        versions.append(
            plaintext.WireVersion(
                tuple(revision.paragraphs), revision.dateline_place, revision.agency, note
            )
        )
    return plaintext.WireStory(
        headline=newest.headline,
        # A time line gives the minute.
        wire_time=timezone.localtime(newest.dated_at).replace(second=0, microsecond=0),
        versions=tuple(versions),
        byline=newest.byline,
        contributors=tuple(newest.contributor_lines),
        correction=correction,
        updated=newest.number > 1,
    )
