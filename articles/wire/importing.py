"""Wire copy into the archive: a parsed file becomes revisions through publishing.publish.

A wire file carries a story as it stands: its newest version and, below each
breaking-news marker, the earlier story. The published text of that earlier story is
what ties the file to the archive: when it equals the text a story shows now, the file
continues that story, whatever headline it carries, and only its new versions are
posted. When it equals an older revision of a story, the file forks history and is
refused. A file whose whole text is archived already changes nothing, so a folder can
be imported twice, in any order.

A folder goes in batches (import_wire_files): what a batch's files hold is looked up
at once, the files already archived are answered at once, and the files that start a
story new to the archive, or only continue such a story, are archived together in one
bulk insert. The outcome is the same as importing the files one after another in name
order; only the number of statements changes.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.functions import MD5
from django.utils import timezone
from django.utils.text import slugify

from articles.models import SLUG_LENGTH, Revision, Story
from articles.publishing import (
    Dispatch,
    EditConflict,
    publish,
    publish_new_stories_with_revisions,
)
from articles.text import Kind, published_text, stack_of, text_digest
from articles.wire import plaintext as wire

# Files read, matched and (where they can) bulk-inserted together: this many, or fewer
# when they are large, so that a batch of big files does not fill memory.
BATCH_SIZE = 200
BATCH_BYTES = 16 * 1024 * 1024


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


def import_wire_file(path, *, slug: str | None = None) -> ImportResult:
    """Read, parse and import one file, or raise ImportRefused saying why not."""
    story = read_wire_file(path)
    with _refusals():
        return import_wire_story(story, slug=slug)


def read_wire_file(path) -> wire.WireStory:
    """The file, read and parsed, or ImportRefused saying why it cannot be."""
    with _refusals():
        with open(path, "rb") as file:
            data = file.read(max_bytes() + 1)
        return wire.parse(wire.decode(data, max_bytes()))


@contextmanager
def _refusals():
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


def import_wire_files(
    paths, *, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[Path, ImportResult | ImportRefused]]:
    """Import `paths` in order, as import_wire_file() on each in turn would, in fewer statements.

    Yields each path with its result, or the ImportRefused saying why nothing of it was
    written. Each batch of files is read and parsed first, and what the archive already
    holds of their texts, bodies and addresses looked up at once. A file whose text a
    story shows already is answered unchanged from that; the files that start a story the
    archive does not know, or only continue such a story started in the batch, go in one
    bulk insert; the others go one by one through import_wire_story(), after it.
    A file goes in bulk only when no file before it that shares one of its texts, bodies
    or its address goes one by one, so each file finds the archive as it would have in
    turn. Should the bulk insert be refused, every file of the batch goes one by one.
    """
    batch, size = [], 0
    for path in paths:
        batch.append(path)
        size += _size(path)
        if len(batch) >= batch_size or size >= BATCH_BYTES:
            yield from _import_batch(batch)
            batch, size = [], 0
    if batch:
        yield from _import_batch(batch)


def _size(path):
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # reading it will say why


@dataclass(eq=False)
class _NewStory:
    """A story the batch starts, built up by the files that go in bulk."""

    slug: str
    dispatches: list[Dispatch] = field(default_factory=list)
    text: str = ""
    keys: set = field(default_factory=set)


@dataclass(eq=False)
class _File:
    path: Path
    story: wire.WireStory | None = None
    incoming: list[Dispatch] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    keys: frozenset = frozenset()
    outcome: ImportResult | ImportRefused | None = None
    bulk: _NewStory | None = None  # the new story its versions go into, in bulk
    unchanged: Story | None = None  # the story that shows its text already
    versions: slice | None = None  # which of that story's dispatches are this file's


def _import_batch(paths):
    files = [_read(path) for path in paths]
    bulk = _plan([file for file in files if file.outcome is None])
    _answer_unchanged([file for file in files if file.unchanged])
    if bulk:
        try:
            archived = publish_new_stories_with_revisions(
                (story.slug, story.dispatches) for story in bulk
            )
        except (EditConflict, ValidationError, DatabaseError):
            # Refused as a whole: one by one, each file gets its own answer.
            for file in files:
                file.bulk = None
        else:
            stored = dict(zip(bulk, archived, strict=True))
            for file in files:
                if file.bulk:
                    story, revisions = stored[file.bulk]
                    file.outcome = ImportResult(
                        story, revisions[file.versions], created=file.versions.start == 0
                    )
    for file in files:
        if file.outcome is None:
            try:
                with _refusals():
                    file.outcome = import_wire_story(file.story)
            except ImportRefused as exc:
                file.outcome = exc
        yield file.path, file.outcome


def _read(path):
    """The file parsed, with what the batch matches it on; or refused already."""
    file = _File(path)
    try:
        file.story = read_wire_file(path)
        with _refusals():
            file.incoming = dispatches(file.story)
    except ImportRefused as exc:
        file.outcome = exc
        return file
    file.texts = stack_texts(file.incoming)
    file.keys = frozenset(
        [("slug", slug_for(file.story.headline))]
        + [("text", text) for text in file.texts]
        + [("body", dispatch.body) for dispatch in file.incoming]
    )
    return file


def _plan(files):
    """Mark the files that can go in bulk, in order, and return the stories they make.

    A file whose text is the current text of one story, and of no earlier file of the
    batch, is unchanged: it writes nothing, so it can be answered first. A file goes in
    bulk when the archive holds none of its keys (texts, bodies, address) and either no
    earlier file of the batch shares one (it starts a story) or the only files that do
    are those of one story started in bulk, whose text this file continues with new
    versions. Any other file goes one by one, and so does every later file sharing a key
    with it or with the story it touched: that story stays as it stood when the file came.
    """
    archived, showing = _archived(files)
    owners = {}  # key: the new story holding it, or None once a file going one by one has it
    seen = set()  # the keys of the files before
    stories = []
    for file in files:
        current = ("text", file.texts[-1])
        if current not in seen and len(showing.get(current[1], ())) == 1:
            file.unchanged = showing[current[1]][0]
        seen |= file.keys
        if file.unchanged:
            continue
        sharing = {owners[key] for key in file.keys if key in owners}
        story, held = None, 0
        if not file.keys & archived and None not in sharing:
            if not sharing:
                story = _NewStory(slug_for(file.story.headline))
                stories.append(story)
            elif len(sharing) == 1:
                candidate = next(iter(sharing))
                held = _held(candidate, file.texts)
                story = candidate if 0 < held < len(file.texts) else None
        if story is None:
            for key in file.keys.union(*(other.keys for other in sharing if other)):
                owners[key] = None
            continue
        start = len(story.dispatches)
        story.dispatches += file.incoming[held:]
        story.text = file.texts[-1]
        story.keys |= file.keys
        owners.update(dict.fromkeys(file.keys, story))
        file.bulk, file.versions = story, slice(start, len(story.dispatches))
    return stories


def _archived(files):
    """What the archive holds of `files`: their keys it has, and the stories showing
    their texts ({text: stories}).

    Texts and bodies are matched on their indexed md5, then compared in full here.
    """
    keys = {key for file in files for key in file.keys}
    if not keys:
        return set(), {}
    texts = [text for kind, text in keys if kind == "text"]
    showing = {}
    for story in _stories_showing(texts).defer("search_vector").order_by("pk"):
        showing.setdefault(story.text, []).append(story)
    bodies = [body for kind, body in keys if kind == "body"]
    found = {("text", text) for text in showing}
    found |= {
        ("body", body) for body in Revision.objects.with_body(bodies).values_list("body", flat=True)
    }
    slugs = [slug for kind, slug in keys if kind == "slug"]
    found |= {
        ("slug", slug)
        for slug in Story.objects.filter(slug__in=slugs).values_list("slug", flat=True)
    }
    return found & keys, showing


def _answer_unchanged(files):
    """The answer for files whose story shows their text already: one query for all."""
    stories = {file.unchanged.pk: file.unchanged for file in files}
    newest = Revision.objects.filter(story__in=stories, number=F("story__revision_number")).only(
        "story_id", "number", "headline", "byline", "contributors"
    )
    revisions = {revision.story_id: revision for revision in newest}
    for file in files:
        story = file.unchanged
        file.outcome = _unchanged(
            story, story.revision_number, file.incoming[-1], revisions[story.pk]
        )


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
    """The story whose current text is the file's, or the file's earlier story.

    One query for all the file's texts, newest first in what it answers.
    """
    showing = {}
    for story in _stories_showing(texts).order_by("pk"):
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


def _stories_showing(texts):
    """Stories whose current text may be one of `texts`: those with its indexed md5.

    Compare the text itself before relying on one: an md5 names a text, not only it.
    """
    return Story.objects.alias(text_md5=MD5("text")).filter(
        text_md5__in={text_digest(text) for text in texts}
    )


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


def _unchanged(story, number, newest, revision=None):
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
