"""The date archive: stories by the day they were first published."""

from django.db.models import Count, DateTimeField
from django.db.models.functions import Trunc
from django.http import Http404
from django.utils import timezone
from django.views import generic

from articles.models import Story
from articles.site.excerpts import add_excerpts, for_rows

PAGE_SIZE = 20


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
        # For the page cache: an update moves no story to another day, so this page
        # changes only with these stories, or with a new one.
        self.request.stories_shown = [story.slug for story in page.object_list]
        return paginator, page, page.object_list, is_paginated


class DateArchiveMixin(StoryRowsMixin):
    """Stories by the day they were first published, in the newsroom's time zone.

    The first publication, not the latest update, so that a story stays on its day
    however often it is updated, as in a newspaper's archive.
    """

    queryset = Story.objects.public().for_list()
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
