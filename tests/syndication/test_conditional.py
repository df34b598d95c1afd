"""Conditional GET: validators from the newest revision, 304s, and cache headers."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = pytest.mark.django_db


def urls(slug=SEED_SLUG):
    story = {"slug": slug}
    return {
        "list": reverse("articles:story_list"),
        "story": reverse("articles:story_detail", kwargs=story),
        "history": reverse("articles:story_history", kwargs=story),
        "revision": reverse("articles:revision_detail", kwargs={**story, "number": 1}),
        "rss": reverse("articles:latest_rss"),
        "atom": reverse("articles:latest_atom"),
        "story feed": reverse("articles:story_history_atom", kwargs=story),
        "version": reverse("articles:story_version", kwargs=story),
        "api list": reverse("articles:api_story_list"),
        "api story": reverse("articles:api_story", kwargs=story),
        "api revision": reverse("articles:api_revision", kwargs={**story, "number": 1}),
        "sitemap": reverse("sitemap"),
        "news sitemap": reverse("news_sitemap"),
    }


URLS = list(urls())
# What each answer depends on: any story's revisions, or one story's.
PER_STORY = {"story", "history", "revision", "story feed", "version", "api story", "api revision"}


def next_revision(slug=SEED_SLUG, **fields):
    current = Story.objects.get(slug=slug).revision_number
    return publish(
        slug,
        Dispatch(
            **{
                "headline": "North Korea sends workers to Russia",
                "body": "A write-thru replaces the whole story.",
                "kind": Kind.UPDATE,
                **fields,
            }
        ),
        expected_revision=current,
    )


@pytest.fixture
def recent_story(seed_story):
    """The seed, updated now: in the news sitemap, and on the first page of everything."""
    next_revision()
    return Story.objects.get(slug=SEED_SLUG)


@pytest.mark.parametrize("page", URLS)
def test_repeated_request_with_the_etag_is_not_modified(client, recent_story, page):
    first = client.get(urls()[page])
    assert first.status_code == 200
    assert first["ETag"].startswith('"')

    again = client.get(urls()[page], headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


@pytest.mark.parametrize("page", URLS)
def test_repeated_request_with_the_date_is_not_modified(client, recent_story, page):
    first = client.get(urls()[page])

    again = client.get(urls()[page], headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304


@pytest.mark.parametrize("page", URLS)
def test_not_modified_answer_costs_one_query(client, recent_story, django_assert_num_queries, page):
    etag = client.get(urls()[page])["ETag"]

    with django_assert_num_queries(1):
        assert client.get(urls()[page], headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("page", URLS)
def test_new_revision_changes_the_validators_at_once(client, recent_story, page):
    first = client.get(urls()[page])

    revision = next_revision(headline="Second update")

    again = client.get(
        urls()[page],
        headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]},
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert parse_http_date(again["Last-Modified"]) == int(revision.archived_at.timestamp())


@pytest.mark.parametrize("page", sorted(set(URLS) - PER_STORY))
def test_lists_change_with_a_revision_of_any_story(client, recent_story, make_story, page):
    first = client.get(urls()[page])

    make_story(slug="another-story", when=timezone.now())

    assert client.get(urls()[page], headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("page", sorted(PER_STORY))
def test_story_pages_keep_their_validators_when_another_story_moves(
    client, recent_story, make_story, page
):
    first = client.get(urls()[page])

    make_story(slug="another-story", when=timezone.now())

    assert client.get(urls()[page], headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.fixture
def clock(monkeypatch):
    """Move the server's clock forward: what only time changes (ageing marks, windows)."""
    real_now = timezone.now

    def forward(**delta):
        moved = real_now() + timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return forward


@pytest.mark.parametrize("page", ["list", "story", "api list"])
def test_breaking_mark_ageing_out_changes_the_etag(client, seed_story, clock, page):
    next_revision(kind=Kind.BREAKING_UPDATE, body="A new top.", editors_note=BREAKING_NOTE)
    first = client.get(urls()[page])
    assert '<strong class="breaking">' in client.get(urls()["list"]).content.decode()

    clock(hours=25)  # no longer breaking news

    again = client.get(urls()[page], headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert '<strong class="breaking">' not in client.get(urls()["list"]).content.decode()


def test_story_aged_out_of_breaking_is_modified_since_then(client, seed_story, clock):
    revision = next_revision(
        kind=Kind.BREAKING_UPDATE, body="A new top.", editors_note=BREAKING_NOTE
    )
    first = client.get(urls()["story"])

    clock(hours=25)

    again = client.get(urls()["story"], headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    aged_out = revision.archived_at + timedelta(hours=24)
    assert parse_http_date(again["Last-Modified"]) == int(aged_out.timestamp())


def test_news_sitemap_changes_when_a_story_leaves_the_last_two_days(client, recent_story, clock):
    first = client.get(urls()["news sitemap"])
    assert recent_story.get_absolute_url() in first.content.decode()

    clock(days=2, minutes=1)

    again = client.get(urls()["news sitemap"], headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert recent_story.get_absolute_url() not in again.content.decode()


@pytest.mark.parametrize("page", URLS)
def test_public_answers_may_be_cached_briefly(client, recent_story, page):
    response = client.get(urls()[page])

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    if page == "version":
        # What a page polls is always asked again, so a new revision shows at once.
        assert cache_control == {"public", "no-cache"}
    else:
        assert cache_control == {"public", "max-age=60", "stale-while-revalidate=600"}
    assert "Cookie" in response["Vary"]


def test_cache_lifetimes_come_from_settings(client, seed_story, settings):
    settings.PUBLIC_CACHE_SECONDS = 5
    settings.STALE_WHILE_REVALIDATE_SECONDS = 30

    response = client.get(urls()["story"])

    assert response["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"


@pytest.mark.parametrize("page", ["list", "story", "api story"])
def test_a_logged_in_reader_gets_private_answers_with_their_own_etag(
    client, seed_story, django_user_model, page
):
    public = client.get(urls()[page])
    client.force_login(django_user_model.objects.create_user("editor"))

    private = client.get(urls()[page])

    assert private["Cache-Control"] == "private, no-cache"
    assert private["ETag"] != public["ETag"]
    again = client.get(urls()[page], headers={"If-None-Match": private["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    "url",
    [
        reverse("articles:story_detail", kwargs={"slug": "no-such-story"}),
        reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 3}),
        reverse("articles:api_story", kwargs={"slug": "no-such-story"}),
        reverse("articles:api_revision", kwargs={"slug": SEED_SLUG, "number": 3}),
        reverse("articles:story_version", kwargs={"slug": "no-such-story"}),
        reverse("articles:story_history_atom", kwargs={"slug": "no-such-story"}),
    ],
)
def test_unknown_story_or_revision_is_not_found_whatever_the_validators(client, seed_story, url):
    response = client.get(url, headers={"If-None-Match": "*"})

    assert response.status_code == 404
    assert not response.has_header("ETag")
    assert not response.has_header("Cache-Control")


def test_empty_archive_answers_in_full(client, db):
    response = client.get(urls()["list"], headers={"If-Modified-Since": http_date()})

    assert response.status_code == 200
    assert not response.has_header("ETag")


def test_a_deploy_changes_every_etag(client, recent_story, settings):
    first = client.get(urls()["story"])

    settings.RELEASE = "the next build"
    again = client.get(urls()["story"], headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def validators_of(response):
    return response.status_code, response.get("ETag"), response.get("Vary")


def assert_304s_repeat_the_200s(client):
    """Each address's 304 carries its 200's ETag and Vary exactly (RFC 9110 §15.4.5), for
    a client that takes gzip and one that does not."""
    failures = []
    for name, url in urls().items():
        for encoding in ("gzip, deflate", "identity"):
            full = client.get(url, headers={"Accept-Encoding": encoding})
            again = client.get(
                url, headers={"Accept-Encoding": encoding, "If-None-Match": full["ETag"]}
            )
            if again.status_code != 304 or validators_of(again)[1:] != validators_of(full)[1:]:
                failures.append((name, encoding, validators_of(full), validators_of(again)))
    assert not failures, failures


def test_a_304_repeats_the_etag_and_vary_of_its_200(client, recent_story):
    assert_304s_repeat_the_200s(client)
    page = client.get(urls()["story"], headers={"Accept-Encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip" and page["ETag"].startswith('W/"')
    assert page["Vary"] == "Cookie, Accept-Encoding"


@pytest.mark.django_db(transaction=True)
def test_a_304_from_the_page_cache_repeats_the_etag_and_vary_of_its_200(client, settings):
    call_command("loaddata", "seed", verbosity=0)
    settings.PAGE_CACHE_SECONDS = 300
    assert_304s_repeat_the_200s(client)
