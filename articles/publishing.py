"""The one write path for stories: every new revision, from any source, comes through here.

publish() takes the story's current revision number as the caller last saw it, inserts
the next revision and brings the story row up to date in one transaction. The story row
is updated only where its revision number is still the one expected, so of two editors
working from the same revision, one wins and the other gets EditConflict: nothing of
either is lost or overwritten. The database refuses any change to a stored revision
(see the migration that installs the trigger), so history cannot be rewritten either.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Kind, Revision, Story, published_text
from newsdesk.plaintext import refuse_control_characters


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


def publish(slug: str, dispatch: Dispatch, *, expected_revision: int, posted_by=None) -> Revision:
    """Add `dispatch` as the next revision of the story `slug`.

    `expected_revision` is the story's revision number the caller worked from: 0 for a
    new story. `posted_by` is the editor posting it (None for the wire). Raises
    EditConflict when the story has moved on (or, for 0, already exists), and
    django.core.exceptions.ValidationError when the dispatch is not a revision we can
    store; in both cases nothing is written.
    """
    refuse_control_characters({"slug": slug, **asdict(dispatch)})
    number = expected_revision + 1
    revision = Revision(
        number=number, archived_at=timezone.now(), posted_by=posted_by, **asdict(dispatch)
    )
    revision.full_clean(exclude=["story"], validate_unique=False)
    current = {
        "headline": revision.headline,
        "dateline_place": revision.dateline_place,
        "agency": revision.agency,
        "byline": revision.byline,
        "kind": revision.kind,
        "revision_number": number,
        "updated_at": revision.dated_at,
        "archived_at": revision.archived_at,
    }
    with transaction.atomic():
        if expected_revision == 0:
            story = Story(
                slug=slug,
                text=published_text([revision]),
                first_published_at=revision.dated_at,
                **current,
            )
            story.full_clean(validate_unique=False)
            try:
                with transaction.atomic():
                    story.save(force_insert=True)
            except IntegrityError:
                raise EditConflict(f"A story with the address “{slug}” already exists.") from None
        else:
            story = Story.objects.only("pk", "slug").filter(slug=slug).first()
            if story is None:
                raise EditConflict(f"There is no story with the address “{slug}”.")
            # A breaking update goes over the text the story showed at the revision the
            # caller worked from. History below that number never changes, so reading
            # it before the conditional update below is safe: if the story moved on,
            # the update matches no row and the caller gets a conflict.
            earlier = story.revision_stack(expected_revision) if revision.is_breaking_update else []
            updated = Story.objects.filter(pk=story.pk, revision_number=expected_revision).update(
                text=published_text([revision, *earlier]), **current
            )
            if not updated:
                raise _conflict(slug, expected_revision)
        revision.story = story
        revision.save(force_insert=True)
    return revision


def _conflict(slug, expected_revision):
    current = Story.objects.filter(slug=slug).values_list("revision_number", flat=True).first()
    return EditConflict(
        f"The story “{slug}” is at revision {current}, not {expected_revision}: "
        "someone else updated it. Reload it and apply your change to the new revision."
    )
