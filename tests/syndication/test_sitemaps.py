"""Sitemaps and robots.txt, as a search engine's crawler reads them."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story
from articles.publishing import Dispatch, publish, publish_new_stories
from articles.syndication.sitemaps import StorySitemap
from articles.text import Kind
from tests.helpers import SEED_SLUG

pytestmark = pytest.mark.django_db

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP, "news": NEWS}
SITEMAP_URL = reverse("sitemap")
NEWS_URL = reverse("news_sitemap")


def xml_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # raises on anything but well-formed XML


def locations(root):
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def new_stories(count, updated):
    """`count` one-revision stories, their wire times ending at `updated`."""
    publish_new_stories(
        (
            f"story-{index}",
            [
                Dispatch(
                    headline=f"Story {index}",
                    body="Text.",
                    wire_time=updated - timedelta(seconds=index),
                )
            ],
        )
        for index in range(count)
    )


def test_sitemap_lists_every_story_with_its_newest_revision_time(client, seed_story, make_story):
    make_story(revisions=3)

    root = xml_of(client, SITEMAP_URL)

    assert root.tag == f"{{{SITEMAP}}}urlset"
    entries = {
        url.find("sm:loc", NS).text: datetime.fromisoformat(url.find("sm:lastmod", NS).text)
        for url in root.findall("sm:url", NS)
    }
    stories = {"a-story", SEED_SLUG}
    assert set(entries) == {f"http://testserver/stories/{slug}/" for slug in stories}
    for slug in stories:
        newest = Story.objects.get(slug=slug).revisions.latest()
        assert entries[f"http://testserver/stories/{slug}/"] == newest.archived_at


def test_sitemap_becomes_an_index_once_it_needs_several_files(client, db, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    new_stories(5, timezone.now())

    index = xml_of(client, SITEMAP_URL)

    assert index.tag == f"{{{SITEMAP}}}sitemapindex"
    pages = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    section = "http://testserver" + reverse("sitemap_section", kwargs={"section": "stories"})
    assert pages == [section, f"{section}?p=2", f"{section}?p=3"]
    assert all(sitemap.find("sm:lastmod", NS) is not None for sitemap in index)
    listed = []
    for page in (1, 2, 3):
        listed += locations(xml_of(client, section, p=page))
    assert listed == [f"http://testserver/stories/story-{index}/" for index in range(5)]


@pytest.mark.parametrize("page", ["0", "4", "x"])
def test_sitemap_page_out_of_range_is_not_found(client, db, monkeypatch, page):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    new_stories(5, timezone.now())
    url = reverse("sitemap_section", kwargs={"section": "stories"})

    assert client.get(url, {"p": page}).status_code == 404


def test_unknown_sitemap_section_is_not_found(client, seed_story):
    url = reverse("sitemap_section", kwargs={"section": "nothing"})

    assert client.get(url).status_code == 404


def test_news_sitemap_lists_only_stories_of_the_last_two_days(client, seed_story):
    now = timezone.now()
    publish_new_stories(
        [
            ("fresh", [Dispatch(headline="Fresh & new <news>", body="Text.", wire_time=now)]),
            (
                "yesterday",
                [Dispatch(headline="Yesterday", body="Text.", wire_time=now - timedelta(days=1))],
            ),
            (
                "stale",
                [Dispatch(headline="Stale", body="Text.", wire_time=now - timedelta(days=3))],
            ),
        ]
    )

    root = xml_of(client, NEWS_URL)

    assert root.tag == f"{{{SITEMAP}}}urlset"
    assert locations(root) == [
        "http://testserver/stories/fresh/",
        "http://testserver/stories/yesterday/",
    ]  # not the seed (June 2025) nor the three-day-old story
    fresh = root.find("sm:url", NS)
    news = fresh.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Newsdesk"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Fresh & new <news>"
    published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == now


def test_news_sitemap_names_the_configured_publication(client, db, settings):
    settings.PUBLICATION_NAME = "The Daily Wire Desk"
    new_stories(1, timezone.now())

    root = xml_of(client, NEWS_URL)

    assert root.find(".//news:publication/news:name", NS).text == "The Daily Wire Desk"


def test_news_sitemap_holds_at_most_a_thousand_newest_stories(client, db):
    new_stories(1005, timezone.now())

    listed = locations(xml_of(client, NEWS_URL))

    assert len(listed) == 1000
    assert listed[0] == "http://testserver/stories/story-0/"  # the newest
    assert "http://testserver/stories/story-1004/" not in listed


def test_robots_txt_points_at_both_sitemaps(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


SITEMAP_QUERIES = {
    SITEMAP_URL: 3,  # validators, count, one page of stories
    NEWS_URL: 2,  # validators, the recent stories
}


@pytest.mark.parametrize("url", SITEMAP_QUERIES)
@pytest.mark.parametrize("stories", [1, 50])
def test_sitemap_queries_do_not_grow_with_the_archive(
    client, db, django_assert_num_queries, url, stories
):
    new_stories(stories, timezone.now())

    with django_assert_num_queries(SITEMAP_QUERIES[url]):
        assert client.get(url).status_code == 200


def test_sitemap_index_queries_are_fixed(client, db, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    new_stories(9, timezone.now())

    with django_assert_num_queries(3):  # validators, count, the newest lastmod
        assert client.get(SITEMAP_URL).status_code == 200


def test_news_sitemap_dates_a_story_by_its_first_publication(client, db):
    now = timezone.now().replace(microsecond=0)
    first = now - timedelta(hours=5)
    publish(
        "developing",
        Dispatch(headline="Developing", body="First.", wire_time=first),
        expected_revision=0,
    )
    publish(
        "developing",
        Dispatch(headline="Developing", body="Then.", wire_time=now, kind=Kind.UPDATE),
        expected_revision=1,
    )

    news = xml_of(client, NEWS_URL).find("sm:url/news:news", NS)

    assert datetime.fromisoformat(news.find("news:publication_date", NS).text) == first


def test_favicon_ico_answers_with_the_site_icon(client, db):
    icon = client.get("/favicon.ico")

    assert icon.status_code == 301
    assert icon["Location"].endswith("/images/favicon.svg")
