"""The one write path for stories: every new revision, from any source, comes through here.

publish() takes the story's current revision number as the caller last saw it, inserts
the next revision and brings the story row up to date in one transaction. The story row
is updated only where its revision number is still the one expected, so of two editors
working from the same revision, one wins and the other gets EditConflict: nothing of
either is lost or overwritten. The database refuses any change to a stored revision
(see the migration that installs the trigger), so history cannot be rewritten either.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from articles.models import PARAGRAPH_BREAK, Kind, Revision, Story


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
    published_at: datetime | None = None
    editors_note: str = ""


def publish(slug: str, dispatch: Dispatch, *, expected_revision: int) -> Revision:
    """Add `dispatch` as the next revision of the story `slug`.

    `expected_revision` is the story's revision number the caller worked from: 0 for a
    new story. Raises EditConflict when the story has moved on (or, for 0, already
    exists), and django.core.exceptions.ValidationError when the dispatch is not a
    revision we can store; in both cases nothing is written.
    """
    number = expected_revision + 1
    revision = Revision(
        number=number,
        kind=dispatch.kind,
        headline=dispatch.headline,
        published_at=dispatch.published_at,
        dateline_place=dispatch.dateline_place,
        agency=dispatch.agency,
        byline=dispatch.byline,
        body=dispatch.body,
        editors_note=dispatch.editors_note,
    )
    revision.full_clean(exclude=["story"], validate_unique=False)
    current = {
        "headline": revision.headline,
        "dateline_place": revision.dateline_place,
        "agency": revision.agency,
        "byline": revision.byline,
        "is_breaking": revision.is_breaking_update,
        "revision_number": number,
        "updated_at": revision.published_at,
    }
    with transaction.atomic():
        if expected_revision == 0:
            story = Story(
                slug=slug, text=revision.text, first_published_at=revision.published_at, **current
            )
            story.full_clean(validate_unique=False)
            try:
                with transaction.atomic():
                    story.save(force_insert=True)
            except IntegrityError:
                raise EditConflict(f"A story with the address “{slug}” already exists.") from None
        else:
            if revision.is_breaking_update:
                # The new top and its note go over the text the story shows now.
                top = revision.text + PARAGRAPH_BREAK + revision.editors_note + PARAGRAPH_BREAK
                text = Concat(Value(top), F("text"))
            else:
                text = Value(revision.text)
            updated = Story.objects.filter(slug=slug, revision_number=expected_revision).update(
                text=text, **current
            )
            if not updated:
                raise _conflict(slug, expected_revision)
            story = Story.objects.get(slug=slug)
        revision.story = story
        revision.save(force_insert=True)
    return revision


def _conflict(slug, expected_revision):
    current = Story.objects.filter(slug=slug).values_list("revision_number", flat=True).first()
    if current is None:
        return EditConflict(f"There is no story with the address “{slug}”.")
    return EditConflict(
        f"The story “{slug}” is at revision {current}, not {expected_revision}: "
        "someone else updated it. Reload it and apply your change to the new revision."
    )
