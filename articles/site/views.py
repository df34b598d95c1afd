import re
from collections import Counter

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, DateTimeField
from django.db.models.functions import Trunc
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic
from django.views.generic import DetailView, ListView

from articles.models import Story
from articles.search import CANDIDATES, add_excerpts, for_rows
from articles.site.changes import changes
from articles.site.diffing import changed_lines, diff_paragraphs, paragraph_changes
from articles.site.filters import FACET_WINDOW, Facets, StoryFilter, newest_by_place_and_kind
from articles.site.paging import StoryPage
from articles.text import published_paragraphs, published_text

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50
FOUND_COUNT_LIMIT = 10_000  # "more than 10,000 stories found" is as useful as the number


class StoryRowsMixin:
    """A page of stories as list rows: each with its excerpt, no whole text loaded."""

    paginate_by = PAGE_SIZE
    context_object_name = "story_list"

    def paginate_queryset(self, queryset, page_size):
        paginator, page, _, is_paginated = super().paginate_queryset(queryset, page_size)
        # Rows of the page's stories, found by key: PostgreSQL would compute a row for
        # every story an OFFSET skips, cutting the text of forty thousand on page 2000.
        on_page = Story.objects.for_list().filter(pk__in=page.object_list.values("pk"))
        order = queryset.query.order_by or Story._meta.ordering
        page.object_list = add_excerpts(list(for_rows(on_page).order_by(*order)))
        return paginator, page, page.object_list, is_paginated


class StoryListView(StoryRowsMixin, ListView):
    """The latest stories, or those a search and the filters find, with counts per choice."""

    def get(self, request, *args, **kwargs):
        stories = Story.objects.for_list().order_by("-updated_at", "-id")
        self.filterset = StoryFilter(request.GET, queryset=stories)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        filterset = self.filterset
        found = filterset.found(filterset.queryset)
        query = filterset.search_text
        if not query:
            rows = newest_by_place_and_kind(found, FACET_WINDOW)
            self.facets = Facets.count(rows, complete=sum(row[2] for row in rows) < FACET_WINDOW)
            if filterset.is_filtered:
                self.found = self.count_found(queryset, rows)
            return self.page_by_key(queryset, page_size)
        # A search finds a bounded, ranked window (articles.search): read it whole once,
        # count it, narrow and page it here, and load only the page's stories.
        ranked = list(found.values_list("pk", "dateline_place", "kind"))
        facets = Counter(row[1:] for row in ranked)
        self.facets = Facets.count([(*key, n) for key, n in facets.items()], complete=True)
        hits = [pk for pk, place, kind in ranked if filterset.chosen(place, kind)]
        paginator, page, pks, is_paginated = ListView.paginate_queryset(self, hits, page_size)
        stories = for_rows(Story.objects.for_list().filter(pk__in=pks), query).in_bulk()
        page.object_list = add_excerpts([stories[pk] for pk in pks])
        self.found = (paginator.count, False)
        return paginator, page, page.object_list, is_paginated

    def page_by_key(self, queryset, page_size):
        """Without a search, the list pages by story (articles.paging), not by number."""
        if self.request.GET.get("page", "1") != "1":
            raise Http404("The latest stories are paged by “Older stories” links, not by number.")
        page = StoryPage.of(for_rows(queryset), self.request.GET, page_size)
        add_excerpts(page.object_list)
        return None, page, page.object_list, page.is_paginated

    def count_found(self, queryset, facet_rows):
        """(how many stories the filters find, whether there are more than that).

        Counted from the facets' rows when they hold the whole scope; else by the
        database, up to a bound, since counting a filter that keeps most of the archive
        would cost what counting the archive does.
        """
        if self.facets.complete:
            chosen = self.filterset.chosen
            return sum(stories for place, kind, stories in facet_rows if chosen(place, kind)), False
        counted = queryset.order_by()[: FOUND_COUNT_LIMIT + 1].count()
        return min(counted, FOUND_COUNT_LIMIT), counted > FOUND_COUNT_LIMIT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # counts the facets as it pages
        chosen = self.filterset.cleaned_data
        return {
            **context,
            "filterset": self.filterset,
            "query": self.filterset.search_text,
            "filtered": self.filterset.is_filtered,
            "facets": self.facets,
            "place_choices": self.facets.place_choices(chosen.get("place")),
            "kind_choices": self.facets.kind_choices(chosen.get("kind")),
            "candidates": CANDIDATES,
            "found": getattr(self, "found", None),
        }


class StoryMixin:
    """For a story's pages: the story its validators read (articles.syndication.conditional.for_story)."""

    model = Story

    def get_object(self, queryset=None):
        validators = getattr(self.request, "validators", None)
        if validators and validators.story and validators.story.slug == self.kwargs["slug"]:
            return validators.story
        return super().get_object(queryset)


class StoryDetailView(StoryMixin, DetailView):
    """The story as it stands: its current revision over any earlier story it tops."""

    def get_stack(self):
        stack = self.object.revision_stack()
        if not stack:
            # The database refuses a story without revisions; never 500 on one regardless.
            raise Http404("The story has no revisions.")
        return stack

    def get_context_data(self, **kwargs):
        stack = self.get_stack()
        paragraphs = list(published_paragraphs(stack))
        return super().get_context_data(
            revision=stack[0],
            paragraphs=paragraphs,
            description=str(paragraphs[0]) if paragraphs else "",
            **kwargs,
        )


class RevisionDetailView(StoryDetailView):
    """The story as it stood at one revision.

    The current revision redirects to the story page: the same text at two addresses
    would be a second copy of the story. The redirect is temporary, since the address
    shows this revision for good once a newer one comes.
    """

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs["number"] == self.object.revision_number:
            return redirect(self.object)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_stack(self):
        number = self.kwargs["number"]
        stack = self.object.revision_stack(number)
        if not stack or stack[0].number != number:
            raise Http404("The story has no such revision.")
        return stack


class StoryHistoryView(StoryMixin, DetailView):
    """Every revision of the story, newest first, HISTORY_PAGE_SIZE a page.

    Revision numbers have no gaps, so page N is a range of numbers: a story of 3,000
    revisions reads 50 of them a page (and the stack below the page, when what its
    lowest revision changed depends on it), never the whole history.
    """

    template_name = "articles/story_history.html"

    def get_context_data(self, **kwargs):
        story = self.object
        paginator = Paginator(History(story), HISTORY_PAGE_SIZE)
        try:
            page = paginator.page(self.page_number(paginator))
        except InvalidPage as exc:
            raise Http404(str(exc)) from None
        revisions = page.object_list
        if not revisions:
            # The database refuses a story without revisions; never 500 on one regardless.
            raise Http404("The story has no revisions.")
        found = changes([*revisions, *self.below(story, revisions)])
        for revision in revisions:
            revision.change = found.get(revision.number)
        return super().get_context_data(
            revisions=revisions, page_obj=page, is_paginated=page.has_other_pages(), **kwargs
        )

    def page_number(self, paginator):
        number = self.request.GET.get("page", "1")
        return paginator.num_pages if number == "last" else number

    def below(self, story, revisions):
        """What changes() needs from under the page: the revision before its lowest, and
        the rest of that revision's stack when a rewrite on the page is compared with it."""
        lowest = revisions[-1].number
        if lowest == 1:
            return []
        if all(revision.is_breaking_update for revision in revisions):
            return list(story.revisions.filter(number=lowest - 1))
        return story.revision_stack(lowest - 1)


class History:
    """A story's revisions newest first, as a sequence Paginator can slice: a slice is a
    range of revision numbers, read in one query."""

    def __init__(self, story):
        self.story = story

    def __len__(self):
        return self.story.revision_number

    def __getitem__(self, index):
        start, stop, _ = index.indices(len(self))
        newest = self.story.revision_number - start
        return list(
            self.story.revisions.filter(number__lte=newest, number__gt=newest - (stop - start))
            .order_by("-number")
            .select_related("posted_by")
        )


REVISION_NUMBER = re.compile(r"[0-9]+")


class CompareView(StoryMixin, DetailView):
    """What changed between two revisions: ?from=A&to=B, by default the previous and the current.

    Numbers that are not numbers, or not in order, are a bad request (400); numbers that
    are no revision of the story are not found (404).
    """

    template_name = "articles/story_compare.html"

    def number(self, name, default):
        value = self.request.GET.get(name)
        if value is None or value == "":
            return default
        if not REVISION_NUMBER.fullmatch(value):
            raise BadRequest(f"“{name}” must be a revision number.")
        number = int(value)
        if not 1 <= number <= self.object.revision_number:
            raise Http404(f"The story has no revision {number}.")
        return number

    def get_context_data(self, **kwargs):
        story = self.object
        new = self.number("to", default=story.revision_number)
        old = self.number("from", default=new - 1)
        if new <= old:
            raise BadRequest("“from” must be an earlier revision than “to”.")
        context = {"first_only": old == 0, "new_number": new, "old_number": old}
        if old:
            context.update(self.differences(story.revision_stack(old), story.revision_stack(new)))
        return super().get_context_data(**context, **kwargs)

    def differences(self, old_stack, new_stack):
        old, new = old_stack[0], new_stack[0]
        old_text, new_text = published_text(old_stack), published_text(new_stack)
        added, removed = paragraph_changes(old_text, new_text)
        return {
            "old": old,
            "new": new,
            "lines": changed_lines(old, new),
            "paragraphs": diff_paragraphs(old_text, new_text),
            "added": added,
            "removed": removed,
        }


class DateArchiveMixin(StoryRowsMixin):
    """Stories by the day they were first published, in the newsroom's time zone.

    The first publication, not the latest update, so that a story stays on its day
    however often it is updated, as in a newspaper's archive.
    """

    queryset = Story.objects.for_list()
    date_field = "first_published_at"
    ordering = ("-first_published_at", "-id")
    month_format = "%m"
    allow_empty = False
    # A wire's clock may run ahead of ours; an archived story is shown whatever its date.
    allow_future = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(time_zone=timezone.get_current_timezone_name(), **kwargs)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The periods that have stories, each with its count, in one query."""
        date_type = date_type or self.get_date_list_period()
        order = "period" if ordering == "ASC" else "-period"
        periods = list(
            queryset.order_by()
            .annotate(period=Trunc(self.date_field, date_type, output_field=DateTimeField()))
            .values("period")
            .annotate(stories=Count("pk"))
            .order_by(order)
        )
        if not periods and not self.get_allow_empty():
            raise Http404("No stories were published then.")
        return periods


class PeriodsMixin:
    """For pages that list periods with their counts rather than stories."""

    paginate_by = None

    def get_dated_queryset(self, **lookup):
        # get_date_list() finds the periods, and 404s when there are none: no exists() first.
        return self.get_queryset().filter(**lookup)


class ArchiveIndexView(PeriodsMixin, DateArchiveMixin, generic.ArchiveIndexView):
    date_list_period = "month"
    allow_empty = True
    template_name = "articles/story_archive.html"

    def get_dated_items(self):
        # Months with their counts; the latest stories are the front page's business.
        date_list, stories, extra = super().get_dated_items()
        return date_list, stories.none(), extra


class YearArchiveView(PeriodsMixin, DateArchiveMixin, generic.YearArchiveView):
    pass


class MonthArchiveView(DateArchiveMixin, generic.MonthArchiveView):
    pass


class DayArchiveView(DateArchiveMixin, generic.DayArchiveView):
    def get_dated_items(self):
        try:
            return super().get_dated_items()
        except OverflowError:  # the calendar's last day has no day after it
            raise Http404("No stories were published then.") from None

    # A day links the days before and after it; months are the month page's to link, so
    # the two queries that would find the neighbouring months are not run.
    def get_previous_month(self, date):
        return None

    def get_next_month(self, date):
        return None
