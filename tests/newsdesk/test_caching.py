"""Cached public pages, kept until what they show changes (newsdesk/middleware/caching.py)."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Story
from articles.publishing import Dispatch, publish, story_changed
from articles.text import Kind
from newsdesk.middleware import invalidations
from newsdesk.middleware.caching import PageCacheMiddleware
from tests.helpers import BREAKING_NOTE, EDITOR_PASSWORD, aware

# Pages are cached only outside transactions, so these tests commit for real. Changes
# are announced in the test database alone, so these tests run beside any others.
pytestmark = pytest.mark.django_db(transaction=True)


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
        assert cached == 0
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_head_requests_are_served_from_the_cache_too(client, make_story):
    story = make_story()
    client.get(story.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        assert client.head(story.get_absolute_url()).status_code == 200
    assert len(queries) == 0


def test_a_cached_page_still_answers_conditional_requests(client, make_story):
    story = make_story()
    first = client.get(story.get_absolute_url())
    assert first.has_header("ETag")

    with CaptureQueriesContext(connection) as queries:
        again = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert (again.status_code, len(queries)) == (304, 0)


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
        caches["fragments"].clear()  # kept for anyone, signed in or not: not the page cache
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


def test_a_hit_asks_the_database_nothing(client, make_story, django_assert_num_queries):
    story = make_story()
    for url in [*urls_of(story), "/archive/", "/feeds/latest.rss", "/api/stories/"]:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_sign_ins_lockouts_and_the_admin_log_invalidate_no_page(client, make_story, editor):
    story = make_story()
    urls = [*urls_of(story), "/archive/"]
    for url in urls:
        client.get(url)

    editor_client = type(client)()
    assert editor_client.login(username=editor.username, password=EDITOR_PASSWORD)  # a session
    for _ in range(6):  # past the lockout: axes records attempts and a lockout
        type(client)().post("/admin/login/", {"username": "nobody", "password": "wrong"})
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Story),
        object_id=str(story.pk),
        object_repr="story",
        action_flag=ADDITION,
    )

    for url in urls:
        rendered, _ = queries_for(client, url)
        assert rendered == 0, url


def test_another_storys_update_keeps_this_storys_pages_and_refreshes_the_lists(client, make_story):
    story = make_story(slug="quiet-story", headline="Quiet day at the harbour")
    other = make_story(slug="busy-story", headline="Storm nears the coast")
    for url in [*urls_of(story), "/archive/"]:
        client.get(url)

    update(other, "Storm makes landfall")

    for url in [story.get_absolute_url(), story.get_history_url(), "/archive/"]:
        rendered, _ = queries_for(client, url)
        assert rendered == 0, url
    rendered, front = queries_for(client, "/")
    assert rendered > 0
    assert "Storm makes landfall" in front.content.decode()


def test_an_archive_day_keeps_until_a_story_it_shows_changes_or_a_story_is_added(
    client, make_story
):
    shown = make_story(slug="june-story", headline="Harbour opens", when=aware(2025, 6, 17, 9))
    other = make_story(slug="july-story", headline="Storm nears", when=aware(2025, 7, 2, 9))
    day = "/archive/2025/06/17/"
    client.get(day)

    update(other, "Storm makes landfall")
    assert queries_for(client, day)[0] == 0  # another day's story: this day is as it was

    update(shown, "Harbour opens to ships")
    rendered, page = queries_for(client, day)
    assert rendered > 0 and "Harbour opens to ships" in page.content.decode()

    make_story(slug="late-story", when=aware(2025, 6, 17, 23))
    assert queries_for(client, day)[0] > 0


def test_a_new_story_refreshes_the_archive_counts(client, make_story):
    make_story(slug="first-story")
    client.get("/archive/")

    make_story(slug="second-story")

    rendered, _ = queries_for(client, "/archive/")
    assert rendered > 0


def test_a_change_another_process_commits_shows_within_a_second(client, make_story):
    """Another process (the importer, another worker) is heard only on the channel."""
    story = make_story(headline="Storm nears the coast")
    client.get(story.get_absolute_url())
    receiver = invalidations._on_story_changed
    story_changed.disconnect(receiver, dispatch_uid="newsdesk.page_cache")
    try:
        writer = threading.Thread(
            target=lambda: (update(story, "Storm makes landfall"), connection.close())
        )
        writer.start()
        writer.join(10)
    finally:
        story_changed.connect(receiver, dispatch_uid="newsdesk.page_cache")

    deadline = time.monotonic() + 1
    while "Storm makes landfall" not in client.get(story.get_absolute_url()).content.decode():
        assert time.monotonic() < deadline, "the cached page outlived the change by 1 s"


def test_the_writing_process_counts_its_own_commit_once_though_it_hears_it_twice(make_story):
    """Its signal and, a moment later, its own notification: the page rendered between
    them already shows the change and stays fresh; another announcement does not."""
    story = make_story()
    heard = invalidations.Invalidations()
    heard.listening_since = time.time()
    mine = {"announcement": "a1", "slug": story.slug}
    heard.record(**mine)  # by the signal, once the commit is done
    rendered_at = time.time()
    time.sleep(0.001)

    heard.record(**mine)  # by the channel
    assert heard.fresh([invalidations.story(story.slug)], rendered_at)
    heard.record(**{**mine, "announcement": "a2"})
    assert not heard.fresh([invalidations.story(story.slug)], rendered_at)


def test_while_the_channel_is_down_pages_are_served_uncached(client, make_story, monkeypatch):
    story = make_story()
    client.get(story.get_absolute_url())
    invalidations.invalidations.close()
    monkeypatch.setattr(invalidations.invalidations, "retry_at", time.time() + 3600)

    for _ in range(2):
        rendered, response = queries_for(client, story.get_absolute_url())
        assert rendered > 0

    monkeypatch.setattr(invalidations.invalidations, "retry_at", 0.0)
    client.get(story.get_absolute_url())  # rejoins; pages from before are not trusted
    rendered, _ = queries_for(client, story.get_absolute_url())
    assert rendered == 0


def test_cached_lists_show_an_embargoed_story_once_its_embargo_lifts(client, make_story):
    """An embargo lifts with nothing committed: the announcement said when, and a process
    that starts listening later reads the pending embargoes from the archive."""
    make_story(slug="live")
    lifts = timezone.now() + timedelta(seconds=1.5)
    embargoed = Dispatch("Council votes tonight", "Text.", dateline_place="MIAMI")
    publish("embargoed", embargoed, expected_revision=0, not_before=lifts)

    assert "Council votes tonight" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "hit"  # cached, though an embargo is pending
    # As a process that starts after the announcement: it has never listened nor tried.
    invalidations.invalidations.close()
    invalidations.invalidations.retry_at = 0.0
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"

    deadline = time.monotonic() + 5
    while "Council votes tonight" not in client.get("/").content.decode():
        assert time.monotonic() < deadline, "the cached list outlived the embargo"
        time.sleep(0.05)
    assert timezone.now() >= lifts
