"""RSS and Atom feeds, read with feedparser as a feed reader would."""

import calendar

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, aware

pytestmark = pytest.mark.django_db

RSS_URL = reverse("articles:latest_rss")
ATOM_URL = reverse("articles:latest_atom")


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception  # well-formed, as the reader sees it
    return feed


def timestamp(struct_time):
    return calendar.timegm(struct_time)


def text_of(entry):
    """The entry's text as a reader shows it: paragraphs, tags gone."""
    html = entry.summary
    return [p.split("</p>")[0] for p in html.split("<p>")[1:]]


@pytest.mark.parametrize("url", [RSS_URL, ATOM_URL])
def test_latest_feed_carries_the_seed_story(client, seed_story, seed_parts, url):
    feed = parsed(client, url)

    assert feed.version == ("rss20" if url == RSS_URL else "atom10")
    assert feed.feed.title == "Newsdesk: latest stories"
    [entry] = feed.entries
    address = "http://testserver" + seed_story.get_absolute_url()
    assert entry.title == seed_parts.headline
    assert entry.link == address
    assert entry.id == address  # the GUID: the story's address, which never changes
    assert entry.author == "The Associated Press"
    assert text_of(entry) == seed_parts.story_text  # dateline, new top, note, earlier story
    assert text_of(entry)[0].startswith("SEOUL, South Korea (AP) — ")


@pytest.mark.parametrize("url", [RSS_URL, ATOM_URL])
def test_latest_feed_dates_items_by_first_and_newest_revision(client, make_story, url):
    story = make_story(revisions=3, when=aware(2025, 7, 1, 9, 0))

    [entry] = parsed(client, url).entries

    assert timestamp(entry.published_parsed) == int(story.first_published_at.timestamp())
    assert timestamp(entry.updated_parsed) == int(story.updated_at.timestamp())
    assert story.first_published_at < story.updated_at


@pytest.mark.parametrize("url", [RSS_URL, ATOM_URL])
def test_latest_feed_lists_twenty_newest_updates_first(client, make_stories, url):
    make_stories(25, first=1, when=lambda day: aware(2025, 7, day, 12, 0))

    entries = parsed(client, url).entries

    assert [entry.link.rsplit("/", 2)[1] for entry in entries] == [
        f"story-{day}" for day in range(25, 5, -1)
    ]


@pytest.mark.parametrize("url", [RSS_URL, ATOM_URL])
def test_guid_stays_when_the_story_is_updated(client, make_story, url):
    make_story()
    before = parsed(client, url).entries[0].id

    publish(
        "a-story",
        Dispatch(headline="Storm leaves coast", body="Updated text.", kind=Kind.UPDATE),
        expected_revision=1,
    )

    [entry] = parsed(client, url).entries
    assert entry.id == before
    assert entry.title == "Storm leaves coast"


def test_hostile_text_stays_text_in_the_feed(client):
    publish(
        "hostile",
        Dispatch(headline="<b>Bold</b> & co", body="<script>alert(1)</script>\n\nA & B"),
        expected_revision=0,
    )

    response = client.get(RSS_URL)
    [entry] = feedparser.parse(response.content).entries

    # Escaped once for HTML, once for XML: a reader shows the text as sent.
    assert "&amp;lt;script&amp;gt;" in response.content.decode()
    assert entry.title == "<b>Bold</b> & co"
    assert text_of(entry) == ["&lt;script&gt;alert(1)&lt;/script&gt;", "A &amp; B"]


def test_pages_advertise_the_feeds(client, seed_story):
    for url in (reverse("articles:story_list"), seed_story.get_absolute_url()):
        content = client.get(url).content.decode()
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="Latest stories (RSS)" href="{RSS_URL}">'
            in content
        )
        assert (
            f'<link rel="alternate" type="application/atom+xml" title="Latest stories (Atom)" href="{ATOM_URL}">'
            in content
        )
    history_feed = reverse("articles:story_history_atom", kwargs={"slug": SEED_SLUG})
    for url in (seed_story.get_absolute_url(), seed_story.get_history_url()):
        assert f'href="{history_feed}"' in client.get(url).content.decode()


def test_story_feed_lists_every_revision_newest_first(client, seed_story, seed_parts):
    feed = parsed(client, reverse("articles:story_history_atom", kwargs={"slug": SEED_SLUG}))

    assert feed.version == "atom10"
    assert feed.feed.title == f"Revisions of “{seed_parts.headline}”"
    newest, earliest = feed.entries
    base = "http://testserver" + seed_story.get_absolute_url()
    assert (newest.id, earliest.id) == (base + "revisions/2/", base + "revisions/1/")
    assert newest.link == newest.id
    assert newest.title == f"Revision 2: {seed_parts.headline}"
    # Each revision with the text the story showed then.
    assert text_of(newest) == seed_parts.story_text
    assert text_of(earliest) == seed_parts.earlier
    assert BREAKING_NOTE not in earliest.summary
    wire_time = seed_story.revisions.get(number=2).wire_time
    assert timestamp(newest.published_parsed) == int(wire_time.timestamp())


def test_story_feed_follows_a_write_thru_and_a_new_break(client, seed_story):
    publish(
        SEED_SLUG,
        Dispatch(headline="Write-thru", body="The whole story, rewritten.", kind=Kind.UPDATE),
        expected_revision=2,
    )
    publish(
        SEED_SLUG,
        Dispatch(
            headline="New break",
            body="A newer top.",
            kind=Kind.BREAKING_UPDATE,
            editors_note=BREAKING_NOTE,
            wire_time=timezone.now(),
        ),
        expected_revision=3,
    )

    entries = parsed(
        client, reverse("articles:story_history_atom", kwargs={"slug": SEED_SLUG})
    ).entries

    assert [entry.title.split(":")[0] for entry in entries] == [
        f"Revision {number}" for number in (4, 3, 2, 1)
    ]
    assert text_of(entries[0]) == ["A newer top.", BREAKING_NOTE, "The whole story, rewritten."]
    assert text_of(entries[1]) == ["The whole story, rewritten."]


def test_story_feed_of_unknown_story_is_not_found(client, db):
    url = reverse("articles:story_history_atom", kwargs={"slug": "no-such-story"})

    assert client.get(url).status_code == 404


FEED_QUERIES = {
    RSS_URL: 2,  # validators, the stories
    ATOM_URL: 2,
    reverse(
        "articles:story_history_atom", kwargs={"slug": "story-0"}
    ): 3,  # + the story, its revisions
}


@pytest.mark.parametrize("url", FEED_QUERIES)
@pytest.mark.parametrize("stories", [1, 30])
def test_feed_queries_do_not_grow_with_the_archive(
    client, make_story, django_assert_num_queries, url, stories
):
    for index in range(stories):
        make_story(slug=f"story-{index}", revisions=1 + index % 4)

    with django_assert_num_queries(FEED_QUERIES[url]):
        assert client.get(url).status_code == 200


def test_feeds_need_no_story_to_be_valid(client, db):
    assert parsed(client, RSS_URL).entries == []
    assert Story.objects.count() == 0
