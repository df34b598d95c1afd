"""What a reader can narrow the archive by, and how many stories each choice leaves.

A value that does not validate is a form error for the page to show and that filter is
left out. The filters apply in three steps, see StoryFilter.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

import django_filters
from django import forms
from django.db import connections
from django.utils import timezone

from articles.search import CANDIDATES, MAX_QUERY_LENGTH
from articles.text import MAX_BYLINE_LENGTH, MAX_PLACE_LENGTH, Kind, PlainTextField

FACETS = {"place": "dateline_place", "kind": "kind"}  # filter name: field
# Facets count the newest stories in scope, this many at most: counting every story by
# place reads the whole table, and the counts serve to steer, not to audit. A search
# holds no more (articles.search), so there they count every result.
FACET_WINDOW = CANDIDATES


def start_of(day):
    """When `day` starts in the newsroom's zone; None past the calendar's end."""
    try:
        return timezone.make_aware(datetime.combine(day, time.min))
    except (OverflowError, ValueError):
        return None


class PlainTextFilter(django_filters.CharFilter):
    field_class = PlainTextField


class StoryFilter(django_filters.FilterSet):
    """The list's filters, give it the query string and a queryset of stories; read `.qs`.

    1. the scope: dates, byline, breaking only;
    2. the search, over what the scope leaves (it ranks the newest matches);
    3. the facets, dateline place and kind, which narrow what the first two found, so
       the count beside each choice is the number of stories choosing it gives.
    Facets go last for speed too: PostgreSQL tests a column's equality with a constant
    after a story's other conditions, so inside the search it would read every
    story's vector before its place.
    """

    q = PlainTextFilter(label="Search", method="filter_search", max_length=MAX_QUERY_LENGTH)
    place = PlainTextFilter(
        label="Dateline place", field_name="dateline_place", max_length=MAX_PLACE_LENGTH
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of the latest revision", choices=Kind.choices, empty_label="Any kind"
    )
    byline = PlainTextFilter(
        label="Byline", field_name="byline", lookup_expr="icontains", max_length=MAX_BYLINE_LENGTH
    )
    date_from = django_filters.DateFilter(label="Updated from", method="filter_from")
    date_to = django_filters.DateFilter(label="Updated to", method="filter_to")
    breaking = django_filters.BooleanFilter(
        label="Breaking news only", method="filter_breaking", widget=forms.CheckboxInput
    )

    def filter_queryset(self, queryset):
        return self.narrow(self.found(queryset))

    def found(self, queryset):
        """Steps 1 and 2: the stories in scope, searched if there are words to search."""
        for name, value in self.form.cleaned_data.items():
            if name != "q" and name not in FACETS:
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, self.form.cleaned_data.get("q"))

    def narrow(self, queryset):
        """Step 3: the chosen place and kind."""
        for name in FACETS:
            queryset = self.filters[name].filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    def chosen(self, place, kind):
        """Whether a story of `place` and `kind` passes step 3: narrow() for one row."""
        wanted_place, wanted_kind = self.facet_choices
        return (not wanted_place or wanted_place == place) and (
            not wanted_kind or wanted_kind == kind
        )

    @cached_property
    def facet_choices(self):
        """The chosen place and kind ("" for any), read once for the rows chosen() tests."""
        return tuple(self.cleaned_data.get(name) or "" for name in FACETS)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_from(self, queryset, name, value):
        start = start_of(value)
        return queryset.filter(updated_at__gte=start) if start else queryset.none()

    def filter_to(self, queryset, name, value):
        # Up to the end of that day: the day after, exclusive.
        end = start_of(value + timedelta(days=1)) if value < date.max else None
        return queryset.filter(updated_at__lt=end) if end else queryset

    def filter_breaking(self, queryset, name, value):
        return queryset.breaking() if value else queryset

    @property
    def cleaned_data(self):
        """The values that validated; invalid ones are left out (and are form errors)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 (validates the form)
        return self.form.cleaned_data

    @property
    def search_text(self):
        """The valid search words, or "" when there is no search."""
        return self.cleaned_data.get("q") or ""

    @property
    def is_filtered(self):
        """Whether any filter other than the search applies."""
        return any(
            value not in (None, "", False)
            for name, value in self.cleaned_data.items()
            if name != "q"
        )


def newest_by_place_and_kind(stories, limit):
    """(place, kind, stories) among the newest `limit` of `stories`, counted by PostgreSQL.

    The ORM groups no sliced queryset, so its SQL is wrapped in the grouping, rather than
    bringing a thousand rows to Python to count there.
    """
    newest = stories.order_by("-updated_at", "-id").values_list("dateline_place", "kind")
    sql, params = newest[:limit].query.sql_with_params()
    with connections[stories.db].cursor() as cursor:
        cursor.execute(
            f"SELECT dateline_place, kind, COUNT(*) FROM ({sql}) AS newest GROUP BY 1, 2",
            params,
        )
        return cursor.fetchall()


@dataclass(frozen=True)
class Facets:
    """Stories per dateline place and per kind, among the stories counted."""

    places: list[tuple[str, int]]  # by place, alphabetically
    kinds: list[tuple[str, str, int]]  # value, label, count, for every kind
    counted: int
    complete: bool  # every story in scope was counted, not only the newest

    @classmethod
    def count(cls, rows, complete, chosen=("", "")):
        """From (place, kind, stories) rows: how many stories each choice gives, the other
        facet's choice (`chosen`: place, kind; "" for any) applied, so that a count beside
        a choice is what choosing it shows. Choices that give no story are left out."""
        wanted_place, wanted_kind = chosen
        places, kinds = Counter(), Counter()
        counted = 0
        for place, kind, stories in rows:
            counted += stories
            if not wanted_kind or kind == wanted_kind:
                places[place] += stories
            if not wanted_place or place == wanted_place:
                kinds[kind] += stories
        return cls(
            places=sorted((place, n) for place, n in places.items() if place and n),
            kinds=[(value, label, kinds[value]) for value, label in Kind.choices if kinds[value]],
            counted=counted,
            complete=complete,
        )

    def place_choices(self, selected):
        """(place, count, selected) for a select: the selected place even when none match."""
        choices = [(place, n, place == selected) for place, n in self.places]
        if selected and selected not in dict(self.places):
            choices = sorted([*choices, (selected, 0, True)])
        return choices

    def kind_choices(self, selected):
        """(value, label, count, selected): the kinds that give stories, and the selected one."""
        counts = {value: n for value, _, n in self.kinds}
        return [
            (value, label, counts.get(value, 0), value == selected)
            for value, label in Kind.choices
            if value in counts or value == selected
        ]
