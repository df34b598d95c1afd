"""Pages of the story list found by key, not by number.

Page N of a numbered list makes PostgreSQL step over the (N - 1) × 20 stories before
it (OFFSET) and count every story to print "page N of M": on an archive of a hundred
thousand stories, page 2000 cost three times page 1, and every page paid for the
count. So the list is paged from a story instead: ?before=ID shows the stories that
follow story ID in the list (older ones), ?after=ID those that precede it (newer
ones). Each page is one walk of 21 rows down the (updated_at, id) index, at any depth.
Readers move by "Newer stories" and "Older stories", and reach any day at once through
the date archive. Django REST framework calls this cursor pagination.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import Http404

STORY_ID = re.compile(r"[1-9][0-9]{0,17}")  # a bigint, and no number that is not one
DIRECTIONS = ("before", "after")


@dataclass(frozen=True)
class StoryPage:
    """One page of a list of stories, in the list's order, and whether pages adjoin it."""

    object_list: list
    has_newer: bool
    has_older: bool
    key: tuple[str, int] | None = None  # ("before" or "after", story id); None for the first

    @classmethod
    def of(cls, stories, params, size):
        """The page of `stories` (a Story.objects queryset) that `params` ask for.

        A key that is not a story id is a bad request (400); one past either end of the
        list, or of no story, is not found (404).
        """
        key = page_key(params)
        if key is None:
            rows = list(stories.order_by("-updated_at", "-id")[: size + 1])
            return cls(rows[:size], has_newer=False, has_older=len(rows) > size)
        direction, pk = key
        if direction == "before":
            rows = list(stories.after_in_list(pk)[: size + 1])
            page = cls(rows[:size], has_newer=True, has_older=len(rows) > size, key=key)
        else:
            rows = list(stories.before_in_list(pk)[: size + 1])
            page = cls(rows[:size][::-1], has_newer=len(rows) > size, has_older=True, key=key)
        if not page.object_list:
            raise Http404("There are no stories past that one in this list.")
        return page

    @property
    def newer_key(self):
        return self.object_list[0].pk

    @property
    def older_key(self):
        return self.object_list[-1].pk

    @property
    def is_paginated(self):
        return self.has_newer or self.has_older


def page_key(params):
    """("before" or "after", story id) from the query string, or None for the first page."""
    given = [(name, params[name]) for name in DIRECTIONS if name in params]
    if not given:
        return None
    if len(given) > 1:
        raise BadRequest("Ask for the stories “before” one story or “after” it, not both.")
    ((direction, value),) = given
    if not STORY_ID.fullmatch(value):
        raise BadRequest(f"“{direction}” must be the number of a story.")
    return direction, int(value)
