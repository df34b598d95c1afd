"""Cached public pages that are never staler than the archive (newsdesk/middleware/caching.py)."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles.publishing import Dispatch, publish
from articles.text import Kind
from newsdesk.middleware.caching import PageCacheMiddleware
from tests.helpers import BREAKING_NOTE

# Pages are cached only outside transactions, so these tests commit for real. The cache
# keys on the server's snapshot, which any commit to any database of the server moves:
# these tests run alone (`serial`), after the tests that run side by side.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.serial]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def update(story, headline):
    return publish(
        story.slug,
        Dispatch(
            headline=headline,
            body="The new top.",
            kind=Kind.BREAKING_UPDATE,
            dateline_place="MIAMI",
            agency="AP",
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=story.revision_number,
    )


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries), response


def urls_of(story):
    return ["/", story.get_absolute_url(), story.get_history_url()]


def test_a_page_is_served_from_the_cache_the_second_time(client, make_story):
    story = make_story()
    for url in urls_of(story):
        rendered, first = queries_for(client, url)
        cached, second = queries_for(client, url)

        assert rendered > 1
        assert cached == 1  # the database snapshot, nothing else
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_head_requests_are_served_from_the_cache_too(client, make_story):
    story = make_story()
    client.get(story.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        assert client.head(story.get_absolute_url()).status_code == 200
    assert len(queries) == 1


def test_a_cached_page_still_answers_conditional_requests(client, make_story):
    story = make_story()
    first = client.get(story.get_absolute_url())
    assert first.has_header("ETag")

    with CaptureQueriesContext(connection) as queries:
        again = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert (again.status_code, len(queries)) == (304, 1)


def test_a_new_revision_shows_on_the_very_next_request(client, make_story):
    story = make_story(headline="Storm nears the coast")
    for url in urls_of(story):
        client.get(url)
        client.get(url)

    update(story, "Storm makes landfall")

    for url in urls_of(story):
        assert "Storm makes landfall" in client.get(url).content.decode()


def test_a_publish_committing_after_the_page_was_cached_still_shows(client, make_story):
    """The race that revision ids or times as keys would lose."""
    story = make_story(headline="Storm nears the coast")
    written, commit = threading.Event(), threading.Event()

    def slow_publish():
        with transaction.atomic():
            update(story, "Storm makes landfall")
            written.set()
            commit.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_publish)
    writer.start()
    written.wait(10)
    before = client.get(story.get_absolute_url()).content.decode()
    client.get(story.get_absolute_url())  # cached while the publish is in flight
    commit.set()
    writer.join(10)

    after = client.get(story.get_absolute_url()).content.decode()
    assert "Storm makes landfall" not in before
    assert "Storm makes landfall" in after


def test_signed_in_editors_always_get_fresh_pages(admin_client, make_story):
    story = make_story()
    for url in urls_of(story):
        first, _ = queries_for(admin_client, url)
        again, _ = queries_for(admin_client, url)

        assert again == first > 1


def test_pages_are_not_cached_inside_a_transaction(client, make_story):
    story = make_story()
    with transaction.atomic():
        first, _ = queries_for(client, story.get_absolute_url())
        again, _ = queries_for(client, story.get_absolute_url())

    assert again == first > 1


REDIS_AWAY = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_a_cache_that_is_away_leaves_pages_uncached_not_broken(client, make_story):
    story = make_story()
    with override_settings(CACHES=REDIS_AWAY):
        first = client.get(story.get_absolute_url())
        again = client.get(story.get_absolute_url())

    assert (first.status_code, again.status_code) == (200, 200)


@pytest.mark.parametrize(
    "response, storable",
    [
        (HttpResponse("page"), True),
        (HttpResponse("page", headers={"Vary": "Accept-Encoding"}), True),
        (HttpResponse("page", headers={"Cache-Control": "public, max-age=60"}), True),
        (HttpResponse("missing", status=404), False),
        (HttpResponse("page", headers={"Cache-Control": "private"}), False),
        (HttpResponse("page", headers={"Cache-Control": "max-age=0, no-store"}), False),
        (HttpResponse("page", headers={"Vary": "Cookie, Accept-Encoding"}), True),
        (HttpResponse("page", headers={"Vary": "Accept-Language"}), False),
    ],
)
def test_only_plain_public_responses_are_stored(response, storable):
    assert PageCacheMiddleware.storable(response) is storable


def test_responses_that_set_a_cookie_are_not_stored():
    response = HttpResponse("page")
    response.set_cookie("csrftoken", "secret")

    assert PageCacheMiddleware.storable(response) is False


def test_a_deploy_renders_pages_afresh(client, make_story, settings):
    story = make_story()
    queries_for(client, story.get_absolute_url())

    settings.RELEASE = "the next build"
    rendered, _ = queries_for(client, story.get_absolute_url())

    assert rendered > 1
