"""Wire copy into the archive, one file at a time, through publishing.publish.

A file continues the story whose current text is its earlier story, whatever headline
it carries; a file whose earlier story is an older revision would fork history and is
refused; a file already archived changes nothing. Folders go in batches (batches.py).
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.functions import MD5

from articles.models import Revision, Story, slug_for
from articles.publishing import Dispatch, EditConflict, publish
from articles.text import Kind, published_text, stack_of, text_digest
from articles.wire import formats
from articles.wire import plaintext as wire
from articles.wire.files import ImportRefused, max_bytes, read_bytes
from articles.wire.newsroom_zone import aware


@dataclass(frozen=True)
class ImportResult:
    story: Story
    published: list[Revision]  # the new revisions, oldest first; empty when unchanged
    created: bool = False  # the file started a story
    note: str = ""  # what the archive kept of its own, for an unchanged file

    @property
    def outcome(self):
        if self.created:
            return "created"
        return "updated" if self.published else "unchanged"


def dispatches(story: wire.WireStory, *, over_existing: bool = False) -> list[Dispatch]:
    """One dispatch per version, oldest first.

    The file gives one headline, byline and set of contributor lines: they serve every
    version (the earlier story had no others that we know of). The time line dates the
    newest version only; earlier ones keep none. The oldest version is the original,
    or an update when posted over a story it does not continue; a correction line makes
    the (only) version a correction. Every later version is a breaking update.
    """
    wire_time = aware(story.wire_time, story.time_line_at)
    newest = len(story.versions) - 1
    result = []
    for index, version in enumerate(story.versions):
        if index:
            kind, note = Kind.BREAKING_UPDATE, version.editors_note
        elif story.correction:
            kind, note = Kind.CORRECTION, story.correction
        else:
            kind, note = (Kind.UPDATE if over_existing else Kind.ORIGINAL), ""
        result.append(
            Dispatch(
                headline=story.headline,
                body=version.body,
                kind=kind,
                dateline_place=version.dateline_place,
                agency=version.agency,
                byline=story.byline,
                wire_time=wire_time if index == newest else None,
                editors_note=note,
                contributors="\n".join(story.contributors),
            )
        )
    return result


def stack_texts(incoming: list[Dispatch]) -> list[str]:
    """The published text after each dispatch is posted in turn, by the models' rule."""
    revisions = [Revision(**dispatch.as_fields()) for dispatch in incoming]
    return [
        published_text(stack_of(reversed(revisions[: count + 1])))
        for count in range(len(revisions))
    ]


def import_wire_story(story: wire.WireStory, *, slug: str | None = None) -> ImportResult:
    """Archive what the file adds to its story, all of it or nothing."""
    incoming = dispatches(story)
    texts = stack_texts(incoming)
    with transaction.atomic():
        if slug:
            target = Story.objects.filter(slug=slug).first()
            candidates = [target] if target else []
        else:
            target = _continued_story(texts)
            candidates = [] if target else _stories_sharing_text(incoming, slug_for(story.headline))
        held = versions_held(target, texts) if target else 0
        if held == len(texts):
            return unchanged(target, target.revision_number, incoming[-1])
        if not held:
            archived = [(candidate, _archived_texts(candidate)) for candidate in candidates]
            for candidate, numbers in archived:
                if texts[-1] in numbers:
                    return unchanged(candidate, numbers[texts[-1]], incoming[-1])
            for candidate, numbers in archived:
                _refuse_fork(candidate, numbers, texts)

        if target is None:
            slug = slug or slug_for(story.headline)
            if Story.objects.filter(slug=slug).exists():
                raise ImportRefused(
                    f"the address “{slug}” is taken by a story with other text, and this file "
                    "does not continue it. If it updates that story, import it with "
                    f"--slug {slug}; if it is another story, give it an address of its own "
                    "with --slug"
                )
            published = _publish(slug, incoming, expected=0)
            return ImportResult(Story.objects.get(slug=slug), published, created=True)

        if not held:  # --slug onto a story this file does not continue: a write-thru
            incoming = dispatches(story, over_existing=True)
        published = _publish(target.slug, incoming[held:], expected=target.revision_number)
        return ImportResult(Story.objects.get(pk=target.pk), published)


def import_wire_file(path, *, slug: str | None = None) -> ImportResult:
    """Read, parse and import one file, or raise ImportRefused saying why not."""
    story = read_wire_file(path)
    if is_keyed(story):
        raise ImportRefused("--slug takes plain-text copy; the wire threads this by keyword")
    with refusals():
        return import_wire_story(story, slug=slug)


def read_wire_file(path) -> wire.WireStory:
    """The file, read and parsed in the format its content shows (a WireKill for a kill),
    or ImportRefused saying why it cannot be."""
    with refusals():
        return formats.parse_bytes(read_bytes(path), max_bytes())


def is_keyed(story) -> bool:
    """Whether the wire threads it by keyword (ANPA, NITF, a kill) rather than by text."""
    return bool(story.keyword)


@contextmanager
def refusals():
    """Whatever stops a file from being archived, as ImportRefused."""
    try:
        yield
    except OSError as exc:
        raise ImportRefused(f"cannot read it: {exc.strerror or exc}") from exc
    except wire.WireFormatError as exc:
        raise ImportRefused(exc.message, exc.line) from exc
    except EditConflict as exc:
        raise ImportRefused(str(exc)) from exc
    except ValidationError as exc:
        raise ImportRefused("; ".join(exc.messages)) from exc
    except DatabaseError as exc:
        raise ImportRefused(f"the database refused it: {exc}".strip()) from exc


def _continued_story(texts):
    """The story whose current text is the file's, or the file's earlier story.

    One query for all the file's texts, newest first in what it answers.
    """
    showing = {}
    for story in stories_showing(texts).order_by("pk"):
        showing.setdefault(story.text, []).append(story)
    for text in reversed(texts):
        matches = showing.get(text, [])
        if len(matches) > 1:
            slugs = " and ".join(f"“{story.slug}”" for story in matches[:2])
            raise ImportRefused(
                f"its earlier story is the current text of more than one story ({slugs}); "
                "import it with --slug to say which it continues"
            )
        if matches:
            return matches[0]
    return None


def stories_showing(texts):
    """Stories whose current text may be one of `texts`: those with its indexed md5.

    Compare the text itself before relying on one: an md5 names a text, not only it.
    """
    return Story.objects.alias(text_md5=MD5("text")).filter(
        text_md5__in={text_digest(text) for text in texts}
    )


def versions_held(story, texts):
    """How many of the file's versions the story already shows (0: none)."""
    for count in range(len(texts), 0, -1):
        if texts[count - 1] == story.text:
            return count
    return 0


def _stories_sharing_text(incoming, slug):
    """Stories that may hold the file's text in an earlier revision.

    The story at the file's address, and, for a file with an earlier story (the only
    kind that can fork history), every story with a revision of one of its bodies (an
    indexed lookup); a file with no earlier story cannot fork and is spared it. Its text could be an old
    revision only of a story whose headline it no longer shares, which the wire does
    not send: a headline changes with new text.
    """
    stories = Story.objects.filter(slug=slug)
    if len(incoming) > 1:
        bodies = [dispatch.body for dispatch in incoming]
        stories |= Story.objects.filter(
            pk__in=Revision.objects.with_body(bodies).values("story_id")
        )
    return list(stories)


def _archived_texts(story):
    """The published text at each of the story's revisions: {text: number}."""
    revisions = list(story.revisions.order_by("number"))
    texts = {}
    for count in range(1, len(revisions) + 1):
        texts.setdefault(published_text(stack_of(reversed(revisions[:count]))), count)
    return texts


def _refuse_fork(story, archived, texts):
    """Refuse a file whose earlier story is an old revision of `story`, not its current text."""
    for count in range(len(texts) - 1, 0, -1):
        number = archived.get(texts[count - 1])
        if number:
            raise ImportRefused(
                f"its earlier story is revision {number} of “{story.slug}”, but that story "
                f"has moved on to revision {story.revision_number}: importing it would fork "
                "the story’s history, so nothing was imported"
            )


def unchanged(story, number, newest, revision=None):
    """The file's text is `story` at revision `number` (`revision`, when read already)."""
    revision = revision or story.revisions.get(number=number)
    kept = [
        name
        for name in ("headline", "byline", "contributors")
        if getattr(revision, name) != getattr(newest, name)
    ]
    note = f"its text is revision {number} of “{story.slug}”"
    if number != story.revision_number:
        note += f", which has since moved on to revision {story.revision_number}"
    if kept:
        note += f"; this file’s {' and '.join(kept)} differ, the archived ones are kept"
    return ImportResult(story, [], note=note)


def _publish(slug, incoming, *, expected):
    return [
        publish(slug, dispatch, expected_revision=number)
        for number, dispatch in enumerate(incoming, start=expected)
    ]
