"""The list of stories a query string asks for: its page, its facets, how many were found."""

from collections import Counter
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404

from articles.models import Story
from articles.site import fragments
from articles.site.filters import (
    FACET_WINDOW,
    FACETS,
    Facets,
    StoryFilter,
    newest_by_place_and_kind,
)
from articles.site.paging import StoryPage

PAGE_SIZE = 20
FOUND_COUNT_LIMIT = 10_000  # "more than 10,000 stories found" is as useful as the number


class PageNumberRefused(Http404):
    """A page number the list cannot use: not a number, or a number where it pages by key."""


def as_they_are(stories, search_text):
    return stories


class Listing:
    """The stories the query string `params` asks for, as the list page and the API show them.

    Without a search the stories come newest update first, paged by key (articles.site.
    paging); a search ranks a bounded window of matches (articles.search), read once to
    be counted and faceted, and pages it by number. `rows(stories, search_text)` gives
    the queryset a page's stories are read with. `page`, `facets` and `found` are each
    worked out when first read, so a caller pays for what it shows. Reading `page` raises
    BadRequest for a page key that is no story number, Http404 past the list's end.

    `archive_state`, the list's validators' state (articles.syndication.conditional),
    names the archive as the list sees it: the facets' counts, the same for every page of
    a scope until it changes, are kept under it rather than counted for each page.
    """

    def __init__(self, params, rows=as_they_are, size=PAGE_SIZE, archive_state=None):
        self.params = params
        self.rows = rows
        self.size = size
        self.archive_state = archive_state
        stories = Story.objects.public().for_list().order_by("-updated_at", "-id")
        self.filterset = StoryFilter(params, queryset=stories)

    @property
    def search_text(self):
        return self.filterset.search_text

    @property
    def errors(self):
        """{parameter: [message, ...]} for the values left out because they are not valid."""
        return self.filterset.errors if self.filterset.is_bound else {}

    @cached_property
    def page(self):
        return self.ranked_page() if self.search_text else self.keyed_page()

    @cached_property
    def facets(self):
        if self.search_text:
            counted = Counter((place, kind) for _, place, kind in self.ranked)
            rows = [(*key, n) for key, n in counted.items()]
            return Facets.count(rows, complete=True, chosen=self.filterset.facet_choices)
        rows = self.newest_rows
        complete = sum(row[2] for row in rows) < FACET_WINDOW
        return Facets.count(rows, complete=complete, chosen=self.filterset.facet_choices)

    @cached_property
    def found(self):
        """(how many stories were found, whether more than that), or None for no filter."""
        if self.search_text:
            return len(self.hits), False
        if not self.filterset.is_filtered:
            return None
        if self.facets.complete:
            chosen = self.filterset.chosen
            return sum(n for place, kind, n in self.newest_rows if chosen(place, kind)), False
        # Counting a filter that keeps most of the archive costs what counting it does.
        counted = self.filterset.qs.order_by()[: FOUND_COUNT_LIMIT + 1].count()
        return min(counted, FOUND_COUNT_LIMIT), counted > FOUND_COUNT_LIMIT

    @cached_property
    def newest_rows(self):
        """(place, kind, stories) among the newest FACET_WINDOW stories in scope."""
        found = self.filterset.found(self.filterset.queryset)
        if self.archive_state is None:
            return newest_by_place_and_kind(found, FACET_WINDOW)
        scope = sorted(
            (name, value)
            for name, value in self.filterset.cleaned_data.items()
            if name != "q" and name not in FACETS
        )
        key = f"facets|{self.archive_state}|{scope!r}"
        return fragments.kept(key, lambda: newest_by_place_and_kind(found, FACET_WINDOW))

    @cached_property
    def ranked(self):
        """(pk, place, kind) of every story the search ranks, the most relevant first."""
        found = self.filterset.found(self.filterset.queryset)
        return list(found.values_list("pk", "dateline_place", "kind"))

    @cached_property
    def hits(self):
        """The ranked stories' keys that the chosen place and kind keep."""
        chosen = self.filterset.chosen
        return [pk for pk, place, kind in self.ranked if chosen(place, kind)]

    def keyed_page(self):
        if self.params.get("page", "1") != "1":
            raise PageNumberRefused("The latest stories are paged by key, not by number.")
        return StoryPage.of(self.rows(self.filterset.qs, ""), self.params, self.size)

    def ranked_page(self):
        paginator = Paginator(self.hits, self.size, allow_empty_first_page=True)
        number = self.params.get("page") or 1
        try:
            page = paginator.page(paginator.num_pages if number == "last" else number)
        except PageNotAnInteger as error:
            raise PageNumberRefused(str(error)) from None
        except EmptyPage as error:
            raise Http404(str(error)) from None
        on_page = Story.objects.for_list().filter(pk__in=page.object_list)
        stories = self.rows(on_page, self.search_text).in_bulk()
        page.object_list = [stories[pk] for pk in page.object_list]
        return page
