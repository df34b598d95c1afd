"""Wire copy into the archive: a parsed file becomes revisions through publishing.publish.

A wire file carries a story as it stands: its newest version and, below each
breaking-news marker, the earlier story. The published text of that earlier story is
what ties the file to the archive: when it equals the text a story shows now, the file
continues that story, whatever headline it carries, and only its new versions are
posted. When it equals an older revision of a story, the file forks history and is
refused. A file whose whole text is archived already changes nothing, so a folder can
be imported twice, in any order.
"""

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import wire
from articles.models import SLUG_LENGTH, Kind, Revision, Story, published_text, stack_of
from articles.publishing import Dispatch, EditConflict, publish


class ImportRefused(Exception):
    """A wire file was not archived, for the reason given; nothing of it was written."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)

    def located(self, path):
        """The reason as `file:line: message`, the way compilers point at a line."""
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


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


def max_bytes():
    return getattr(settings, "WIRE_MAX_BYTES", wire.DEFAULT_MAX_BYTES)


def slug_for(headline: str) -> str:
    full = slugify(headline)
    slug = full[:SLUG_LENGTH].rstrip("-")
    if len(full) > SLUG_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]  # cut at a word, not inside one
    return slug or "story-" + hashlib.sha256(headline.encode()).hexdigest()[:12]


def dispatches(story: wire.WireStory, *, over_existing: bool = False) -> list[Dispatch]:
    """One dispatch per version, oldest first.

    The file gives one headline, byline and set of contributor lines: they serve every
    version (the earlier story had no others that we know of). The time line dates the
    newest version only; earlier ones keep none. The oldest version is the original,
    or an update when posted over a story it does not continue; a correction line makes
    the (only) version a correction. Every later version is a breaking update.
    """
    wire_time = _aware(story.wire_time, story.time_line_at)
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
    revisions = [Revision(**asdict(dispatch)) for dispatch in incoming]
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
        held = _held(target, texts) if target else 0
        if held == len(texts):
            return _unchanged(target, target.revision_number, incoming[-1])
        if not held:
            archived = [(candidate, _archived_texts(candidate)) for candidate in candidates]
            for candidate, numbers in archived:
                if texts[-1] in numbers:
                    return _unchanged(candidate, numbers[texts[-1]], incoming[-1])
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


def wire_story(story: Story, number: int | None = None) -> wire.WireStory:
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
            raise wire.WireFormatError(
                f"it cannot be written as wire copy: revision {revision.number}’s editor’s "
                f"note (“{revision.editors_note[:40]}”) has no place in it"
            )
        versions.append(
            wire.WireVersion(
                tuple(revision.paragraphs), revision.dateline_place, revision.agency, note
            )
        )
    return wire.WireStory(
        headline=newest.headline,
        # A time line gives the minute.
        wire_time=timezone.localtime(newest.dated_at).replace(second=0, microsecond=0),
        versions=tuple(versions),
        byline=newest.byline,
        contributors=tuple(newest.contributor_lines),
        correction=correction,
        updated=newest.number > 1,
    )


def import_wire_file(path, *, slug: str | None = None) -> ImportResult:
    """Read, parse and import one file, or raise ImportRefused saying why not."""
    try:
        with open(path, "rb") as file:
            data = file.read(max_bytes() + 1)
        return import_wire_story(wire.parse(wire.decode(data, max_bytes())), slug=slug)
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


def wire_files(paths):
    """The files to import: each path given, and every *.txt file under a directory.

    Files under a directory come in name order; hidden files and directories (editor
    and operating-system droppings) are skipped.
    """
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
            if found.suffix.lower() == ".txt" and found.is_file() and not hidden:
                yield found


def newsroom_time(naive, line=None):
    """The wire's zoneless time line, read in the newsroom's zone.

    Where the clocks skipped the time, or passed it twice, the wire cannot have meant
    one reading more than the other: refused, rather than guessed.
    """
    zone = timezone.get_current_timezone()
    earlier, later = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    stated = f"the time line {wire.format_time_line(naive)}"
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise wire.WireFormatError(
            f"{stated} does not exist in {zone}: the clocks skipped it", line
        )
    raise wire.WireFormatError(
        f"{stated} happened twice in {zone} as the clocks went back; "
        f"add the zone, e.g. “{earlier.tzname()}” or “{later.tzname()}”",
        line,
    )


def _aware(when, line):
    return when if timezone.is_aware(when) else newsroom_time(when, line)


def _continued_story(texts):
    """The story whose current text is the file's, or the file's earlier story."""
    for text in reversed(texts):
        matches = list(Story.objects.with_text(text).order_by("pk")[:2])
        if len(matches) > 1:
            slugs = " and ".join(f"“{story.slug}”" for story in matches)
            raise ImportRefused(
                f"its earlier story is the current text of more than one story ({slugs}); "
                "import it with --slug to say which it continues"
            )
        if matches:
            return matches[0]
    return None


def _held(story, texts):
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


def _unchanged(story, number, newest):
    """The file's text is `story` at revision `number` already."""
    revision = story.revisions.get(number=number)
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
