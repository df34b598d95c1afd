"""Filters on the list page, alone and with a search; counts beside each choice; bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.site import filters
from articles.site.filters import StoryFilter
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, aware

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:story_list")


def story(slug, headline, *, place="MIAMI", byline="By JANE DOE", when=None, updates=0):
    """A story, with `updates` breaking updates over it."""
    when = when or aware(2025, 6, 17, 12, 0)
    for number in range(updates + 1):
        publish(
            slug,
            Dispatch(
                headline=headline,
                body=f"{headline}, version {number + 1}.",
                kind=Kind.BREAKING_UPDATE if number else Kind.ORIGINAL,
                dateline_place=place,
                agency="AP",
                byline=byline,
                wire_time=when + timedelta(minutes=number),
                editors_note=BREAKING_NOTE if number else "",
            ),
            expected_revision=number,
        )


@pytest.fixture
def archive(db):
    story("miami-storm", "Storm floods streets", when=aware(2025, 6, 10, 9, 0))
    story("miami-budget", "Budget passes", byline="By JOHN ROE", when=aware(2025, 6, 12, 9, 0))
    story("seoul-storm", "Storm nears coast", place="SEOUL", when=aware(2025, 6, 14, 9, 0))
    story("seoul-talks", "Talks resume", place="SEOUL", updates=1, when=aware(2025, 7, 1, 9))
    story("paris-storm", "Storm in Paris", place="PARIS", byline="By JOHN ROE", updates=2)
    story(
        "breaking-now", "Storm makes landfall", updates=1, when=timezone.now() - timedelta(hours=1)
    )


def listed(client, **params):
    page = client.get(LIST_URL, params)
    assert page.status_code == 200
    return sorted(story.slug for story in page.context["story_list"])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"place": "SEOUL"}, ["seoul-storm", "seoul-talks"]),
        ({"byline": "john"}, ["miami-budget", "paris-storm"]),
        ({"kind": "breaking_update"}, ["breaking-now", "paris-storm", "seoul-talks"]),
        ({"kind": "original"}, ["miami-budget", "miami-storm", "seoul-storm"]),
        ({"breaking": "on"}, ["breaking-now"]),
        ({"date_from": "2025-06-12", "date_to": "2025-06-14"}, ["miami-budget", "seoul-storm"]),
        ({"date_from": "2025-07-01"}, ["breaking-now", "seoul-talks"]),
        ({"date_to": "2025-06-10"}, ["miami-storm"]),
        ({"place": "PARIS", "byline": "roe"}, ["paris-storm"]),
        ({"place": "MIAMI", "byline": "roe"}, ["miami-budget"]),
        ({"place": "NOWHERE"}, []),
    ],
)
def test_each_filter_narrows_alone_and_combined(client, archive, params, expected):
    assert listed(client, **params) == expected


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["breaking-now", "miami-storm", "paris-storm", "seoul-storm"]),
        ({"place": "SEOUL"}, ["seoul-storm"]),
        ({"byline": "roe"}, ["paris-storm"]),
        ({"kind": "original"}, ["miami-storm", "seoul-storm"]),
        ({"breaking": "on"}, ["breaking-now"]),
        ({"date_to": "2025-06-30"}, ["miami-storm", "paris-storm", "seoul-storm"]),
        ({"place": "MIAMI", "kind": "breaking_update"}, ["breaking-now"]),
    ],
)
def test_filters_combine_with_a_search(client, archive, params, expected):
    assert listed(client, q="storm", **params) == expected


def test_a_story_updated_past_the_breaking_window_is_not_breaking(client, archive, settings):
    settings.BREAKING_HOURS = 0.5  # breaking-now was updated an hour ago

    assert listed(client, breaking="on") == []


def test_date_range_is_of_days_in_the_newsroom_zone(client, db):
    story("late", "Late", when=aware(2025, 6, 17, 23, 30))  # 03:30 UTC on June 18
    story("early", "Early", when=aware(2025, 6, 18, 0, 10))

    assert listed(client, date_from="2025-06-17", date_to="2025-06-17") == ["late"]
    assert listed(client, date_from="2025-06-18") == ["early"]


def counts(page):
    return (
        {place: n for place, n, _ in page.context["place_choices"]},
        {value: n for value, _, n, _ in page.context["kind_choices"]},
    )


@pytest.mark.parametrize("params", [{}, {"q": "storm"}, {"byline": "roe"}, {"q": "storm or talks"}])
def test_counts_beside_each_choice_are_what_choosing_it_gives(client, archive, params):
    page = client.get(LIST_URL, params)
    places, kinds = counts(page)
    found = page.context["found"] or (len(page.context["story_list"]), False)  # unfiltered

    assert sum(places.values()) == sum(kinds.values()) == found[0]
    for place, n in places.items():
        assert len(listed(client, place=place, **params)) == n
    for kind, n in kinds.items():
        assert len(listed(client, kind=kind, **params)) == n


def test_counts_beside_a_choice_are_what_choosing_it_shows_with_the_other_choice(client, archive):
    chosen = {"q": "storm", "place": "SEOUL", "kind": "original"}
    page = client.get(LIST_URL, chosen)
    places, kinds = counts(page)

    assert [story.slug for story in page.context["story_list"]] == ["seoul-storm"]
    # Each place counted among the chosen kind, each kind among the chosen place: the
    # number beside a choice is the number of stories choosing it shows.
    for place, n in places.items():
        assert len(listed(client, **{**chosen, "place": place})) == n > 0
    for kind, n in kinds.items():
        assert len(listed(client, **{**chosen, "kind": kind})) == n > 0
    assert kinds["original"] == len(page.context["story_list"]) == page.context["found"][0]
    # Kinds no story of the place has are not offered.
    assert "update" not in kinds and "correction" not in kinds
    content = page.content.decode()
    assert '<option value="SEOUL" selected>SEOUL (1)</option>' in content
    assert '<option value="original" selected>Original (1)</option>' in content


def test_a_chosen_place_without_stories_stays_chosen_with_none(client, archive):
    content = client.get(LIST_URL, {"q": "budget", "place": "SEOUL"}).content.decode()

    assert '<option value="SEOUL" selected>SEOUL (0)</option>' in content


def test_counts_of_a_long_list_are_of_the_newest_stories_and_say_so(client, archive, monkeypatch):
    monkeypatch.setattr("articles.site.listing.FACET_WINDOW", 3)

    page = client.get(LIST_URL)
    places, _ = counts(page)

    assert sum(places.values()) == 3
    assert "how many stories choosing it shows, among the newest 3 found." in page.content.decode()


def test_pagination_keeps_the_search_and_filters(client, db):
    for day in range(1, 26):
        story(f"storm-{day}", f"Storm day {day}", when=aware(2025, 7, day, 12, 0))

    searched = client.get(LIST_URL, {"q": "storm", "place": "MIAMI"}).content.decode()
    filtered = client.get(LIST_URL, {"place": "MIAMI"})
    older = Story.objects.get(slug="storm-6").pk

    assert 'rel="next" href="?q=storm&amp;place=MIAMI&amp;page=2"' in searched
    assert f'rel="next" href="?place=MIAMI&amp;before={older}"' in filtered.content.decode()


def test_filters_show_what_is_chosen(client, archive):
    content = client.get(
        LIST_URL,
        {"q": "storm", "byline": "roe", "date_from": "2025-06-01", "breaking": "on"},
    ).content.decode()

    assert 'name="q" id="id_q" value="storm"' in content
    assert 'name="byline" id="id_byline" value="roe"' in content
    assert 'name="date_from" id="id_date_from" value="2025-06-01"' in content
    assert 'name="breaking" id="id_breaking" checked' in content
    # Folded, so that on a phone the results come first, but saying what is on.
    assert '<details class="filters-box">' in content
    assert "<summary>Filters: byline “roe” · from Jun 1, 2025 · breaking news only</summary>" in (
        content
    )


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"date_from": "2025-13-45"}, "Updated from", "Enter a valid date."),
        ({"date_to": "yesterday"}, "Updated to", "Enter a valid date."),
        ({"kind": "rumour"}, "Kind of the latest revision", "Select a valid choice."),
        ({"q": "storm " * 2000}, "Search", "Ensure this value has at most 200 characters"),
        ({"q": "storm\x00"}, "Search", "Contains the control character U+0000 at position 6"),
        ({"q": "storm\x1b"}, "Search", "Contains the control character U+001B at position 6"),
        (
            {"place": "MIAMI\x00"},
            "Dateline place",
            "Contains the control character U+0000 at position 6",
        ),
        ({"byline": "x" * 10_000}, "Byline", "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_values_are_named_and_left_out(client, archive, params, field, message):
    page = client.get(LIST_URL, params)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'class="error-summary" role="alert"' in content
    assert f"{field}: {message}" in content
    assert len(page.context["story_list"]) == 6  # the bad filter was left out


def test_a_bad_value_leaves_the_good_ones_working(client, archive):
    assert listed(client, place="SEOUL", date_from="2025-13-45") == ["seoul-storm", "seoul-talks"]


def test_filterset_works_outside_the_list_page(archive):
    stories = StoryFilter({"q": "storm", "place": "MIAMI"}, queryset=Story.objects.all()).qs

    assert [story.slug for story in stories] == ["breaking-now", "miami-storm"]
    assert StoryFilter({}, queryset=Story.objects.all()).qs.count() == 6
    assert StoryFilter(None, queryset=Story.objects.all()).search_text == ""


def test_facets_count_the_kinds_with_stories_in_order():
    rows = [("A", "original", 2), ("B", "original", 1), ("", "update", 1)]

    facets = filters.Facets.count(rows, True)

    assert facets.places == [("A", 2), ("B", 1)]
    assert facets.counted == 4
    assert facets.kinds == [("original", "Original", 3), ("update", "Update", 1)]
    # A kind chosen though no story has it stays offered, with none.
    assert facets.kind_choices("correction")[-1] == ("correction", "Correction", 0, True)


# Whatever the query string, the list page answers: never a server error.
PARAMETERS = [
    "q", "place", "byline", "kind", "date_from", "date_to", "breaking", "page", "before", "after",
]  # fmt: skip
hostile_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(["", "0", "-1", "1.5", "9" * 40, "last", "2025-13-45", "0001-01-01",
                     "9999-12-31", "\x00", '"', "-", "or", "'; DROP TABLE", "%00", "on"]),
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), hostile_text, max_size=5))
def test_hostile_query_strings_never_fail_the_list(client, archive, params):
    status = client.get(LIST_URL, params).status_code

    paged = {"page", "before", "after"} & set(params)
    assert status == 200 or (status in (400, 404) and paged), status
