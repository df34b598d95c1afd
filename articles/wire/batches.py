"""A folder of wire files into the archive in batches, as one file after another would go.

What a batch's files hold is looked up at once, files already archived are answered at
once, and files that start (or only continue) a story new to the archive go in one bulk
insert; the rest go one by one through importing.import_wire_story().
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import F

from articles.models import Revision, Story, slug_for
from articles.publishing import Dispatch, EditConflict, publish_new_stories_with_revisions
from articles.wire import plaintext as wire
from articles.wire.importing import (
    ImportRefused,
    ImportResult,
    dispatches,
    import_wire_story,
    is_keyed,
    read_bytes,
    read_wire_file,
    refusals,
    stack_texts,
    stories_showing,
    unchanged,
    versions_held,
)
from articles.wire.transmissions import receive

# Files read, matched and (where they can) bulk-inserted together: this many, or fewer
# when they are large, so that a batch of big files does not fill memory.
BATCH_SIZE = 200
BATCH_BYTES = 16 * 1024 * 1024


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
    keyed: bool = False  # threaded by the wire's keyword: goes one by one, after the bulk


def _import_batch(paths):
    files = [_read(path) for path in paths]
    bulk = _plan([file for file in files if file.outcome is None and not file.keyed])
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
                with refusals():
                    file.outcome = (
                        receive(read_bytes(file.path), str(file.path))
                        if file.keyed
                        else import_wire_story(file.story)
                    )
            except ImportRefused as exc:
                file.outcome = exc
        yield file.path, file.outcome


def _read(path):
    """The file parsed, with what the batch matches it on; or refused already."""
    file = _File(path)
    try:
        file.story = read_wire_file(path)
        if is_keyed(file.story):
            file.keyed = True
            return file
        with refusals():
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
                held = versions_held(candidate, file.texts)
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
    for story in stories_showing(texts).defer("search_vector").order_by("pk"):
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
        file.outcome = unchanged(
            story, story.revision_number, file.incoming[-1], revisions[story.pk]
        )
