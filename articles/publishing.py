"""The one write path for stories: every new revision, from any source, comes through here.

The story row is updated only where its revision number is still the one the caller
read, so of two editors working from the same revision one wins and the other gets
EditConflict; the database refuses any change to a stored revision.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from psycopg import errors

from articles.models import Revision, Story
from articles.text import Kind, published_text, refuse_control_characters, stack_of

# Every commit that changes a story is announced, for caches of its pages: on this
# PostgreSQL channel (NOTIFY is delivered at commit, to every process listening) and, in
# the writing process, by story_changed (slug=, new=) once the commit is done.
CHANGES_CHANNEL = "newsdesk_story_changes"
story_changed = Signal()


class EditConflict(Exception):
    """The story moved on since the caller read it; nothing was written."""


@dataclass(frozen=True)
class Dispatch:
    """The content of one revision, as sent."""

    headline: str
    body: str
    kind: str = Kind.ORIGINAL
    dateline_place: str = ""
    agency: str = ""
    byline: str = ""
    wire_time: datetime | None = None
    editors_note: str = ""
    contributors: str = ""
    wire_version: int | None = None  # the wire's version (0, then N for the Nth Ld)

    def as_fields(self) -> dict:
        """Its fields by name: dataclasses.asdict() without the deep copy, which plain
        strings and times do not need and which costs a bulk import more than parsing."""
        return dict(vars(self))


def publish(
    slug: str,
    dispatch: Dispatch,
    *,
    expected_revision: int,
    posted_by=None,
    wire_keyword: str = "",
    not_before: datetime | None = None,
) -> Revision:
    """Add `dispatch` as the next revision of the story `slug`.

    `expected_revision` is the story's revision number the caller worked from: 0 for a
    new story. `posted_by` is the editor posting it (None for the wire). Raises
    EditConflict when the story has moved on (or, for 0, already exists), and
    django.core.exceptions.ValidationError when the dispatch is not a revision we can
    store; in both cases nothing is written. A new story takes `wire_keyword`, the key
    the wire threads its versions by, and `not_before`, its embargo.
    """
    # The revision's fields run the plain-text rule in full_clean(); the slug, only
    # looked up on an update, is held to it here.
    refuse_control_characters({"slug": slug})
    revision = Revision(number=expected_revision + 1, posted_by=posted_by, **dispatch.as_fields())
    # Fields are checked here; the table's check constraints by the database itself
    # (asking it first would cost a query per constraint), translated below.
    revision.full_clean(exclude=["story"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            if expected_revision == 0:
                story = _insert_story(slug, revision, wire_keyword, not_before)
            else:
                story = _update_story(slug, revision, expected_revision, not_before)
            revision.story = story
            revision.save(force_insert=True)
            _announce(slug=slug, new=expected_revision == 0, lifts_at=not_before)
    except IntegrityError as exc:
        raise _refusal(exc) from exc
    return revision


def _announce(slug=None, new=False, every_story=False, lifts_at=None):
    """Tell caches, at commit, that story `slug` changed (`new`: was archived), or that
    new stories were (a bulk load names none: its list of addresses could be long); and,
    for an embargo, that it changes again when the embargo lifts, with nothing committed."""
    # The id lets the writing process, which hears both, count its own commit once.
    change = {
        "announcement": uuid.uuid4().hex,
        "slug": slug,
        "new": new,
        "every_story": every_story,
    }
    if lifts_at is not None and lifts_at > timezone.now():
        change["lifts_at"] = lifts_at.timestamp()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANGES_CHANNEL, json.dumps(change)])
    transaction.on_commit(lambda: story_changed.send(sender=Story, **change))


def current_fields(stack) -> dict:
    """The story row's fields that follow its newest revision, the one rule both paths use.

    `stack` is what the story shows at that revision, newest first (Story.revision_stack()
    or text.stack_of()): the newest revision gives the headline, dateline, byline, kind,
    number and times, and the stack gives the published text.
    """
    newest = stack[0]
    return {
        "headline": newest.headline,
        "dateline_place": newest.dateline_place,
        "agency": newest.agency,
        "byline": newest.byline,
        "kind": newest.kind,
        "revision_number": newest.number,
        "text": published_text(stack),
        "updated_at": newest.dated_at,
        "archived_at": newest.archived_at,
    }


def _insert_story(slug, revision, wire_keyword="", not_before=None):
    story = Story(
        slug=slug,
        first_published_at=revision.dated_at,
        wire_keyword=wire_keyword,
        not_before=not_before,
        **current_fields([revision]),
    )
    story.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            story.save(force_insert=True)
    except IntegrityError as exc:
        if isinstance(exc.__cause__, errors.UniqueViolation):
            raise EditConflict(f"A story with the address “{slug}” already exists.") from None
        raise
    return story


def _update_story(slug, revision, expected_revision, not_before=None):
    story = Story.objects.only("pk", "slug").filter(slug=slug).first()
    if story is None:
        raise EditConflict(f"There is no story with the address “{slug}”.")
    # A breaking update goes over the text the story showed at the revision the caller
    # worked from. History below that number never changes, so reading it before the
    # conditional update is safe: if the story moved on, the update matches no row and
    # the caller gets a conflict.
    earlier = story.revision_stack(expected_revision) if revision.is_breaking_update else []
    # An embargoed update hides the whole story until the embargo lifts: the earlier
    # text stays archived, and nothing of the embargoed one can show before its time.
    embargo = {"not_before": not_before} if not_before else {}
    updated = Story.objects.filter(pk=story.pk, revision_number=expected_revision).update(
        **current_fields([revision, *earlier]), **embargo
    )
    if not updated:
        raise _conflict(slug, expected_revision)
    return story


def withdraw(slug: str, reason: str) -> Story:
    """Withdraw the story `slug` (the wire's kill, or an editor's): it leaves every public
    page, which answer 410 with `reason`; its revisions stay for editors. Withdrawing a
    withdrawn story keeps its first withdrawal. Raises ValidationError for an empty or
    unprintable reason, EditConflict for an unknown story."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("A withdrawal needs a reason to show readers.")
    refuse_control_characters({"reason": reason})
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(slug=slug).first()
        if story is None:
            raise EditConflict(f"There is no story with the address “{slug}”.")
        if story.withdrawn_at is None:
            story.withdrawn_at, story.withdrawal_reason = timezone.now(), reason
            story.save(update_fields=["withdrawn_at", "withdrawal_reason"])
            _announce(slug=slug)
    return story


def _refusal(exc):
    """The ValidationError for a check constraint the database enforced, else `exc`."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for model in (Revision, Story):
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return ValidationError(constraint.get_violation_error_message())
    return exc


def publish_new_stories(stories: Iterable[tuple[str, Sequence[Dispatch]]]) -> list[Story]:
    """Archive whole new stories at once, each from its dispatches, oldest first.

    The bulk path, for loads such as the synthetic archive: a few statements for any
    number of stories instead of several per revision. The same rules hold as for
    publish(): every row is validated, the story's fields follow current_fields(), and
    the database's constraints and triggers check what it writes; anything refused rolls
    the whole call back. Stories that already exist are refused, never overwritten.
    """
    return [story for story, _ in publish_new_stories_with_revisions(stories)]


def publish_new_stories_with_revisions(
    stories: Iterable[tuple[str, Sequence[Dispatch]]],
) -> list[tuple[Story, list[Revision]]]:
    """publish_new_stories(), answering each story with its revisions, oldest first."""
    # One archive time for the whole call, as it is one transaction: the rows of a load
    # are archived together, and a story's archived_at equals its newest revision's.
    archived_at = timezone.now()
    archived = [_new_story(slug, dispatches, archived_at) for slug, dispatches in stories]
    try:
        with transaction.atomic():
            _bulk_insert(archived)
    except IntegrityError as exc:
        raise _refusal(exc) from exc
    return archived


def _new_story(slug, dispatches, archived_at):
    """The story `slug` and its revisions, built and validated in memory."""
    refuse_control_characters({"slug": slug})
    revisions = []
    for number, dispatch in enumerate(dispatches, start=1):
        revision = Revision(number=number, archived_at=archived_at, **dispatch.as_fields())
        revision.full_clean(exclude=["story"], validate_unique=False, validate_constraints=False)
        revisions.append(revision)
    story = Story(
        slug=slug,
        first_published_at=revisions[0].dated_at,
        **current_fields(stack_of(reversed(revisions))),
    )
    story.full_clean(validate_unique=False, validate_constraints=False)
    return story, revisions


def _bulk_insert(archived):
    try:
        with transaction.atomic():
            Story.objects.bulk_create([story for story, _ in archived])
    except IntegrityError as exc:
        if isinstance(exc.__cause__, errors.UniqueViolation):
            raise EditConflict(f"Some of these stories are archived already: {exc}") from None
        raise
    for story, revisions in archived:
        for revision in revisions:
            revision.story = story
    Revision.objects.bulk_create([revision for _, revisions in archived for revision in revisions])
    _announce(new=True, every_story=True)


def _conflict(slug, expected_revision):
    current = Story.objects.filter(slug=slug).values_list("revision_number", flat=True).first()
    return EditConflict(
        f"The story “{slug}” is at revision {current}, not {expected_revision}: "
        "someone else updated it. Reload it and apply your change to the new revision."
    )
