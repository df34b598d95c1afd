"""Withdrawn and embargoed stories on every public surface: lists, search, archive, feeds,
sitemaps, the API, story pages, the page cache and conditional GET."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Revision, Story
from articles.publishing import Dispatch, publish, withdraw

JSON_PAGES = ("/api/", "version.json")


def dispatch(number, when):
    return Dispatch(
        headline="Storm hits coast",
        body=f"Version {number} of the storm story.",
        kind="original" if number == 1 else "update",
        dateline_place="MIAMI",
        agency="AP",
        byline="By JANE DOE",
        wire_time=when,
    )


def publish_story(slug="storm-hits-coast", not_before=None):
    when = timezone.now() - timedelta(hours=1)  # news still, for the news sitemap
    publish(slug, dispatch(1, when), expected_revision=0, not_before=not_before)
    publish(slug, dispatch(2, when + timedelta(minutes=5)), expected_revision=1)
    return Story.objects.get(slug=slug)


def lists(story):
    day = timezone.localtime(story.first_published_at)
    return [
        "/",
        "/?q=storm",
        f"/archive/{day:%Y}/{day:%m}/{day:%d}/",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/api/stories/",
        "/api/stories/?q=storm",
    ]


def pages(story):
    base = story.get_absolute_url()
    return [
        base,
        f"{base}history/",
        f"{base}revisions/1/",
        f"{base}compare/?from=1&to=2",
        f"{base}history.atom",
        f"{base}version.json",
        f"/api/stories/{story.slug}/",
        f"/api/stories/{story.slug}/revisions/1/",
    ]


def listed(client, url, slug):
    response = client.get(url)
    return response.status_code == 200 and slug in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_withdrawn_story_leaves_every_public_surface_and_its_pages_answer_410(client):
    story = publish_story()
    publish("other-story", dispatch(1, timezone.now()), expected_revision=0)
    assert all(listed(client, url, story.slug) for url in lists(story))  # cached now, too
    etag = client.get(story.get_absolute_url())["ETag"]

    withdraw(story.slug, "The storm story was based on a false report.")

    still_listed = [url for url in lists(story) if listed(client, url, story.slug)]
    assert still_listed == []
    assert listed(client, "/", "other-story")
    for url in pages(story):
        response = client.get(url)
        assert response.status_code == 410, url
        if url.startswith(JSON_PAGES) or url.endswith(JSON_PAGES):
            assert response["Content-Type"] == "application/problem+json", url
        assert "based on a false report" in response.content.decode(), url
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 410  # never a 304 of the page as it was
    assert Revision.objects.filter(story=story).count() == 2  # kept for editors


@pytest.mark.django_db
def test_embargoed_story_is_shown_to_nobody_until_its_time_then_appears_unaided(client):
    # Short, so the test waits little; longer again if a slow machine's checks outlast it.
    for seconds in (1.5, 6, 30):
        lifts = timezone.now() + timedelta(seconds=seconds)
        story = publish_story(slug=f"storm-{seconds:.0f}s", not_before=lifts)
        shown = [url for url in lists(story) if listed(client, url, story.slug)]
        statuses = {url: client.get(url).status_code for url in pages(story)}
        if timezone.now() < lifts:
            break
    assert shown == []
    assert statuses == dict.fromkeys(pages(story), 404)

    deadline = time.monotonic() + 20
    while not listed(client, "/", story.slug):
        assert time.monotonic() < deadline, "the embargo did not lift"
        time.sleep(0.1)
    hidden = [url for url in lists(story) if not listed(client, url, story.slug)]
    assert hidden == []
    assert {url: client.get(url).status_code for url in pages(story)} == dict.fromkeys(
        pages(story), 200
    )
