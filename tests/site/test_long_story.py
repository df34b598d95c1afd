"""A story of 3,000 revisions costs its pages what a story of three does."""

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import linebreaks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Revision, Story
from articles.publishing import Dispatch, publish_new_stories
from articles.site import history
from articles.site.changes import changes
from articles.text import Kind, published_text
from articles.wire import synthetic
from tests.helpers import BREAKING_NOTE, shared_by_the_module

pytestmark = pytest.mark.django_db

REVISIONS = 3_000


@pytest.fixture(scope="module")
def long_story(django_db_setup, django_db_blocker):
    with shared_by_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            ((slug, dispatches),) = synthetic.generate(1, seed=1, revisions=REVISIONS)
            (story,) = publish_new_stories([(slug, dispatches)])
        yield story


@contextmanager
def revision_rows_read():
    """How many rows of the revisions table the queries inside return, in total."""
    read = []

    def count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if re.match(r'\s*SELECT .*?\bFROM "?articles_revision\b', sql, re.DOTALL):
            read.append(context["cursor"].rowcount)
        return result

    with connection.execute_wrapper(count):
        yield read


def stack_size(story, number):
    return len(story.revision_stack(number))


def test_the_story_page_reads_only_the_stack_it_shows(client, long_story):
    with revision_rows_read() as read:
        page = client.get(long_story.get_absolute_url())

    assert page.status_code == 200
    assert sum(read) == stack_size(long_story, REVISIONS) < 20
    assert page.context["revision"].number == REVISIONS


def test_an_earlier_revision_reads_only_its_stack(client, long_story):
    number = next(
        revision.number
        for revision in long_story.revisions.filter(number__lt=1500, kind=Kind.BREAKING_UPDATE)
    )
    url = reverse("articles:revision_detail", args=[long_story.slug, number])

    with revision_rows_read() as read:
        page = client.get(url)

    assert page.status_code == 200
    assert sum(read) == stack_size(long_story, number) > 1


def test_the_history_is_fifty_revisions_a_page(client, long_story):
    first = client.get(long_story.get_history_url())
    last = client.get(long_story.get_history_url(), {"page": "last"})

    numbers = [revision.number for revision in first.context["revisions"]]
    assert numbers == list(range(REVISIONS, REVISIONS - 50, -1))
    assert [revision.number for revision in last.context["revisions"]] == list(range(50, 0, -1))
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert "Page 60 of 60" in last.content.decode()
    assert client.get(long_story.get_history_url(), {"page": 61}).status_code == 404


def test_a_history_page_reads_its_revisions_and_at_most_the_stack_below(client, long_story):
    with revision_rows_read() as read:
        page = client.get(long_story.get_history_url(), {"page": 30})

    lowest = page.context["revisions"][-1].number
    assert page.status_code == 200
    assert sum(read) <= 50 + stack_size(long_story, lowest - 1)


def test_the_story_document_reads_one_page_of_revisions(
    client, long_story, django_assert_num_queries
):
    url = reverse("articles:api_story", args=[long_story.slug])

    # As for a story of four revisions (tests/syndication/test_api.py): validators with
    # the story, its current stack, one page of its revisions.
    with django_assert_num_queries(3), revision_rows_read() as read:
        first = client.get(url)
    last = client.get(url, {"page": "60"})

    assert first.status_code == last.status_code == 200
    assert sum(read) == 50 + stack_size(long_story, REVISIONS)
    assert list(first.json()["associations"]) == [
        f"revision_{number}" for number in range(REVISIONS - 49, REVISIONS + 1)
    ]
    assert list(last.json()["associations"]) == [f"revision_{n}" for n in range(1, 51)]
    assert f'/api/stories/{long_story.slug}/?page=2>; rel="next"' in first["Link"]
    assert f'/api/stories/{long_story.slug}/?page=59>; rel="prev"' in last["Link"]
    assert 'rel="next"' not in last["Link"]
    assert client.get(url, {"page": "61"}).status_code == 404


KINDS = st.sampled_from([Kind.UPDATE, Kind.BREAKING_UPDATE, Kind.CORRECTION])


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(KINDS, min_size=1, max_size=30), size=st.integers(1, 7))
def test_each_page_tells_what_the_whole_history_tells(client, db, monkeypatch, kinds, size):
    """What a revision changed does not depend on where the page breaks."""
    monkeypatch.setattr(history, "HISTORY_PAGE_SIZE", size)
    dispatches = [Dispatch("Storm hits coast", "First.\n\nSecond.")] + [
        Dispatch(
            f"Storm hits coast, {number}" if number % 3 else "Storm hits coast",
            f"Version {number}.\n\nSecond." if number % 2 else f"Version {number}.",
            kind=kind,
            editors_note={Kind.BREAKING_UPDATE: BREAKING_NOTE, Kind.CORRECTION: "Fixed."}.get(
                kind, ""
            ),
        )
        for number, kind in enumerate(kinds, start=2)
    ]
    slug = f"story-{len(Story.objects.all())}"
    (story,) = publish_new_stories([(slug, dispatches)])
    whole = changes(Revision.objects.filter(story=story).order_by("-number"))

    told, page = {}, 1
    while True:
        response = client.get(story.get_history_url(), {"page": page})
        told |= {revision.number: revision.change for revision in response.context["revisions"]}
        if not response.context["page_obj"].has_next():
            break
        page += 1

    assert told == {number: whole.get(number) for number in range(1, len(dispatches) + 1)}


def test_the_history_feed_carries_the_newest_fifty_revisions(client, long_story):
    response = client.get(reverse("articles:story_history_atom", args=[long_story.slug]))

    entries = re.findall(r"<title>Revision (\d+):", response.content.decode())
    assert [int(number) for number in entries] == list(range(REVISIONS, REVISIONS - 50, -1))
    oldest = REVISIONS - 49
    text = published_text(long_story.revision_stack(oldest))
    assert linebreaks(text) in response.content.decode().replace("&lt;", "<").replace("&gt;", ">")
