"""Pages of the story list found by key, not by number (cursor pagination).

?before=ID shows the stories older than story ID in the list, ?after=ID the newer ones:
each page is one walk down the (updated_at, id) index, at any depth, with no OFFSET and
no count. Readers move by "Newer stories" and "Older stories".
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
            rows = list(stories.older_than(pk)[: size + 1])
            page = cls(rows[:size], has_newer=True, has_older=len(rows) > size, key=key)
        else:
            rows = list(stories.newer_than(pk)[: size + 1])
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
