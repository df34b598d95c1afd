"""Parts of pages rendered once and kept (articles/site/fragments.py): the same HTML as
rendering them, never a part of an older revision or state."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.site import fragments, views
from articles.syndication import ninjs
from articles.text import Kind

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:story_list")


@pytest.fixture
def rows_rendered(monkeypatch):
    """How many list rows were rendered, not read from the cache."""
    rendered = []
    render = fragments.render_to_string

    def counting(name, context):
        rendered.append(context["story"].slug)
        return render(name, context)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return rendered


def content(client, url, **params):
    page = client.get(url, params)
    assert page.status_code == 200
    return page.content.decode()


def test_a_row_is_rendered_once_for_every_list_that_shows_it(client, make_stories, rows_rendered):
    make_stories(3)

    first = content(client, LIST_URL)
    # Another address (no page cache between them): the same rows, read, not rendered.
    again = content(client, LIST_URL, utm_source="mail")

    assert sorted(rows_rendered) == ["story-0", "story-1", "story-2"]
    assert first.split("<ol")[1] == again.split("<ol")[1]


def test_a_new_revision_shows_in_the_list_at_the_next_request(client, make_story):
    story = make_story("a-story", revisions=1, headline="Storm hits coast")
    assert "Storm hits coast" in content(client, LIST_URL)

    publish(
        "a-story",
        Dispatch(
            headline="Storm leaves coast",
            body="The storm left.",
            kind=Kind.UPDATE,
            dateline_place="MIAMI",
            agency="AP",
        ),
        expected_revision=story.revision_number,
    )
    shown = content(client, LIST_URL, utm_source="mail")

    assert "Storm leaves coast" in shown and "Storm hits coast" not in shown


def test_a_kept_row_stops_reading_breaking_when_the_window_ends(client, make_story, settings):
    make_story("a-story", revisions=2, when=timezone.now() - timedelta(minutes=10))
    assert '<strong class="breaking">Breaking</strong>' in content(client, LIST_URL)

    settings.BREAKING_HOURS = 0
    shown = content(client, LIST_URL, utm_source="mail")

    assert "Storm hits coast (2)" in shown and 'class="breaking"' not in shown


def test_facet_counts_are_kept_until_the_archive_changes(client, make_stories, make_story):
    make_stories(3)
    content(client, LIST_URL)

    with CaptureQueriesContext(connection) as kept:
        content(client, LIST_URL, utm_source="mail")
    make_story("in-oslo", headline="Snow in Oslo")
    # A new story: counted again, the new place with it.
    with CaptureQueriesContext(connection) as counted:
        shown = content(client, LIST_URL, utm_source="feed")

    assert not any("COUNT(*)" in query["sql"] for query in kept.captured_queries)
    assert any("COUNT(*)" in query["sql"] for query in counted.captured_queries)
    assert '<option value="MIAMI">MIAMI (4)</option>' in shown


def test_the_list_is_rendered_while_the_fragment_cache_is_away(client, make_stories, monkeypatch):
    make_stories(2)
    expected = content(client, LIST_URL)

    def away(*args, **kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(caches["fragments"], "get_many", away)
    monkeypatch.setattr(caches["fragments"], "set_many", away)

    assert content(client, LIST_URL, utm_source="mail").split("<ol")[1] == expected.split("<ol")[1]


def test_the_finder_is_rendered_once_for_every_page_of_the_same_filters(
    client, make_stories, monkeypatch
):
    make_stories(45)
    rendered = []
    render = views.render_to_string

    def counting(name, context):
        rendered.append(name)
        return render(name, context)

    monkeypatch.setattr(views, "render_to_string", counting)
    older = Story.objects.order_by("-updated_at", "-id")[19].pk

    first = content(client, LIST_URL)
    deeper = content(client, LIST_URL, before=older)
    content(client, LIST_URL, place="MIAMI")

    finder = first.split("<form", 1)[1].split("</form>")[0]
    assert deeper.split("<form", 1)[1].split("</form>")[0] == finder
    assert rendered.count("articles/includes/finder.html") == 2  # a new filter: once more


def test_an_api_summary_is_made_once_for_each_site_address(client, make_stories, monkeypatch):
    make_stories(2)
    made = []
    summary = ninjs.story_summary

    def counting(request, story):
        made.append(story.slug)
        return summary(request, story)

    monkeypatch.setattr(ninjs, "story_summary", counting)
    url = reverse("articles:api_story_list")

    first = client.get(url).json()
    again = client.get(url, {"utm_source": "mail"}).json()
    elsewhere = client.get(url, {"utm_source": "mail"}, HTTP_HOST="127.0.0.1").json()

    assert first["associations"] == again["associations"]
    assert sorted(made) == ["story-0", "story-0", "story-1", "story-1"]  # twice: two hosts
    assert elsewhere["associations"]["story_01"]["uri"].startswith("http://127.0.0.1/")


def test_the_feed_shows_a_new_revision_at_the_next_request(client, make_story):
    story = make_story("a-story", revisions=1)
    url = reverse("articles:latest_rss")
    assert "Paragraph one of version 1." in content(client, url)

    publish(
        "a-story",
        Dispatch(headline="Storm leaves coast", body="The storm left.", kind=Kind.UPDATE),
        expected_revision=story.revision_number,
    )
    shown = content(client, url, utm_source="mail")

    assert "The storm left." in shown and "Paragraph one of version 1." not in shown


def test_a_story_body_is_rendered_once_for_each_revision(client, make_story, monkeypatch):
    story = make_story("a-story", revisions=2)
    rendered = []
    render = views.render_to_string

    def counting(name, context):
        rendered.append(name)
        return render(name, context)

    monkeypatch.setattr(views, "render_to_string", counting)
    revision_1 = reverse("articles:revision_detail", kwargs={"slug": "a-story", "number": 1})

    current = content(client, story.get_absolute_url())
    again = content(client, story.get_absolute_url(), utm_source="mail")
    earlier = content(client, revision_1)

    assert current == again and "Paragraph one of version 2." in current
    assert "Paragraph one of version 1." in earlier
    assert "Paragraph one of version 2." not in earlier
    assert rendered.count("articles/includes/story_body.html") == 2  # one a revision
