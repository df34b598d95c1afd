"""The story list pages by key (articles.paging): the same cost at any depth."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.site import listing
from articles.site.filters import FACET_WINDOW
from tests.helpers import aware, bulk_archive

LIST_URL = reverse("articles:story_list")
NEWER = re.compile(r'rel="prev" href="\?([^"]*)"')
OLDER = re.compile(r'rel="next" href="\?([^"]*)"')

pytestmark = pytest.mark.django_db


def listed(response):
    return [story.slug for story in response.context["story_list"]]


def latest_first():
    return list(Story.objects.order_by("-updated_at", "-id").values_list("slug", flat=True))


def walk(client, pattern, query=""):
    """Every page from `query` on, following the links `pattern` finds: the pages, and
    the query of the last."""
    pages = []
    while True:
        response = client.get(f"{LIST_URL}?{query}")
        assert response.status_code == 200
        pages.append(listed(response))
        found = pattern.search(response.content.decode())
        if not found:
            return pages, query
        query = found[1].replace("&amp;", "&")


def test_a_deep_page_runs_the_queries_of_the_first_page(client, db):
    bulk_archive(10_020, "faces a zeppelin")
    deepest = Story.objects.order_by("-updated_at", "-id").values_list("pk", flat=True)[9_979]

    with CaptureQueriesContext(connection) as first:
        page_1 = client.get(LIST_URL)
    caches["fragments"].clear()  # so that it counts the facets too, as page 1 did
    with CaptureQueriesContext(connection) as deep:
        page_500 = client.get(LIST_URL, {"before": deepest})

    assert page_1.status_code == page_500.status_code == 200
    assert listed(page_500) == [f"bulk-{n}" for n in range(9_981, 10_001)]
    assert len(first) == len(deep)
    for one, other in zip(first.captured_queries, deep.captured_queries, strict=True):
        assert "OFFSET" not in other["sql"]
        assert re.findall(r"LIMIT \d+", one["sql"]) == re.findall(r"LIMIT \d+", other["sql"])
    # After the validators (the same for every page: articles/conditional.py), nothing
    # is counted but the facets' window of the newest stories.
    counts = [query["sql"] for query in deep.captured_queries[1:] if "COUNT(" in query["sql"]]
    assert all(f"LIMIT {FACET_WINDOW})" in sql for sql in counts), counts
    # PostgreSQL starts its walk down the index at the key: it reads the page, not 10,000.
    plan = Story.objects.older_than(deepest)[:21].explain(analyze=True)
    # PostgreSQL 18 prints actual rows with two decimals ("rows=21.00").
    (walked,) = re.findall(
        r"Index Scan using articles_story_latest_idx .*? rows=(\d+)(?:\.\d+)? loops", plan
    )
    assert int(walked) == 21


def test_older_and_newer_links_walk_the_whole_list_and_back(client, make_stories):
    make_stories(45, when=lambda hour: aware(2025, 7, 1) + timedelta(hours=hour))

    older, last = walk(client, OLDER)
    newer, _ = walk(client, NEWER, last)

    assert [len(page) for page in older] == [20, 20, 5]
    assert sum(older, []) == latest_first()
    assert [len(page) for page in newer] == [5, 20, 20]
    assert sum(newer[::-1], []) == latest_first()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(minutes=st.lists(st.integers(0, 5), min_size=1, max_size=60))
def test_stories_updated_at_the_same_time_are_neither_lost_nor_repeated(
    client, make_stories, minutes
):
    """Ties on the time are broken by id, on both sides of the key."""
    with transaction.atomic():  # each example starts from an empty archive
        make_stories(len(minutes), when=lambda index: aware(2025, 7, 1, 12, minutes[index]))

        older, last = walk(client, OLDER)
        newer, _ = walk(client, NEWER, last)

        assert sum(older, []) == latest_first()
        assert sum(newer[::-1], []) == latest_first()
        transaction.set_rollback(True)


def test_filters_stay_on_every_page(client, make_stories):
    make_stories(30, when=lambda hour: aware(2025, 7, 1) + timedelta(hours=hour))
    elsewhere = Dispatch("Rome", "Text.", dateline_place="ROME", wire_time=aware(2025, 7, 3))
    publish("elsewhere", elsewhere, expected_revision=0)

    pages, _ = walk(client, OLDER, "place=MIAMI")

    assert sum(pages, []) == [slug for slug in latest_first() if slug != "elsewhere"]


@pytest.mark.parametrize(
    "query",
    ["before=abc", "before=0", "before=-1", "after=1.5", "before=9" + "9" * 30, "before=",
     "before=1&after=1", "after=%00", "before=１"],
)  # fmt: skip
def test_a_key_that_is_no_story_number_is_a_bad_request(client, seed_story, query):
    assert client.get(f"{LIST_URL}?{query}").status_code == 400


def test_keys_past_either_end_or_of_no_story_are_not_found(client, make_story):
    newest, oldest = make_story(slug="newest", when=aware(2025, 7, 2)), make_story(slug="oldest")

    assert client.get(LIST_URL, {"before": oldest.pk}).status_code == 404
    assert client.get(LIST_URL, {"after": newest.pk}).status_code == 404
    assert client.get(LIST_URL, {"before": newest.pk + 100}).status_code == 404
    assert listed(client.get(LIST_URL, {"before": newest.pk})) == ["oldest"]
    assert listed(client.get(LIST_URL, {"after": oldest.pk})) == ["newest"]


def test_a_filter_that_finds_many_stories_says_more_than_it_counts(
    client, make_stories, monkeypatch
):
    monkeypatch.setattr(listing, "FOUND_COUNT_LIMIT", 3)
    monkeypatch.setattr(listing, "FACET_WINDOW", 4)
    make_stories(5, when=lambda day: aware(2025, 7, 1) + timedelta(days=day))

    many = client.get(LIST_URL, {"place": "MIAMI"}).content.decode()
    few = client.get(LIST_URL, {"place": "MIAMI", "date_to": "2025-07-02"}).content.decode()

    assert "More than 3 stories found, the latest first." in many
    assert "2 stories found, the latest first." in few
