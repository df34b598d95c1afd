"""What the story page tells search engines and link previews in its head."""

import html
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.timezone import localtime

from articles.publishing import Dispatch, publish
from articles.syndication.structured_data import byline_authors
from tests.helpers import SEED_SLUG

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script>"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    return content[: content.index("</head>")]


def json_ld(head):
    [found] = JSON_LD.findall(head)
    return json.loads(found)


def meta(head, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head)
    return html.unescape(match[1]) if match else None


def canonical(head):
    [found] = re.findall(r'<link rel="canonical" href="([^"]+)">', head)
    return found


def revision_page(number):
    return reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": number})


def test_story_page_describes_a_news_article(client, seed_story, seed_parts):
    article = json_ld(head_of(client, seed_story.get_absolute_url()))

    url = "http://testserver" + seed_story.get_absolute_url()
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == seed_parts.headline
    assert article["datePublished"] == localtime(seed_story.first_published_at).isoformat()
    assert article["dateModified"] == "2025-06-17T04:31:00-04:00"
    assert article["dateline"] == "SEOUL, South Korea"
    assert article["author"] == [{"@type": "Organization", "name": "The Associated Press"}]
    assert article["articleBody"].split("\n\n") == seed_parts.story_text
    assert article["url"] == article["mainEntityOfPage"] == url
    assert article["isAccessibleForFree"] is True
    assert article["publisher"] == {"@type": "Organization", "name": "Newsdesk"}


def test_a_headline_cannot_leave_the_json_ld(client):
    publish(
        "hostile",
        Dispatch(headline=HOSTILE, body=f"Body {HOSTILE} & <!-- more", byline=f"By {HOSTILE}"),
        expected_revision=0,
    )

    content = client.get(reverse("articles:story_detail", kwargs={"slug": "hostile"})).content
    content = content.decode()

    assert "<script>alert(1)" not in content
    head = content[: content.index("</head>")]
    article = json_ld(head)  # one script element, whole, and still JSON
    assert article["headline"] == HOSTILE
    assert article["articleBody"] == f"Body {HOSTILE} & <!-- more"
    assert article["author"] == [{"@type": "Person", "name": HOSTILE}]
    assert meta(head, "property", "og:title") == HOSTILE


def test_story_page_names_its_canonical_address_and_previews(client, seed_story, seed_parts):
    head = head_of(client, seed_story.get_absolute_url())

    url = "http://testserver" + seed_story.get_absolute_url()
    assert canonical(head) == url
    assert meta(head, "name", "robots") is None
    assert meta(head, "property", "og:type") == "article"
    assert meta(head, "property", "og:title") == seed_parts.headline
    assert meta(head, "property", "og:url") == url
    assert meta(head, "property", "og:site_name") == "Newsdesk"
    assert meta(head, "property", "og:description").startswith("SEOUL, South Korea (AP) — ")
    assert meta(head, "name", "twitter:card") == "summary"


# The current revision's address redirects to the story page (tests/site/test_views.py).
@pytest.mark.parametrize("number", [1])
def test_revision_pages_are_versions_of_the_story_not_stories(client, seed_story, number):
    head = head_of(client, revision_page(number))

    assert canonical(head) == "http://testserver" + seed_story.get_absolute_url()
    assert meta(head, "name", "robots") == "noindex"
    assert not JSON_LD.search(head)
    assert meta(head, "property", "og:type") is None


def test_pages_carry_a_favicon(client, seed_story):
    for url in (reverse("articles:story_list"), seed_story.get_absolute_url()):
        assert '<link rel="icon" href="/static/images/favicon.svg" type="image/svg+xml">' in (
            client.get(url).content.decode()
        )
    assert finders.find("images/favicon.svg")


@pytest.mark.parametrize(
    "byline, authors",
    [
        ("By JANE DOE", [{"@type": "Person", "name": "JANE DOE"}]),
        (
            "By JANE DOE and JOHN ROE",
            [{"@type": "Person", "name": "JANE DOE"}, {"@type": "Person", "name": "JOHN ROE"}],
        ),
        (
            "By A. SMITH, B. JONES and C. WU",
            [{"@type": "Person", "name": name} for name in ("A. SMITH", "B. JONES", "C. WU")],
        ),
        ("The Associated Press", [{"@type": "Organization", "name": "The Associated Press"}]),
        ("", []),
    ],
)
def test_authors_come_from_the_byline(byline, authors):
    assert byline_authors(byline) == authors
