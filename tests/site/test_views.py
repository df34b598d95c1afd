import html
import re

import pytest
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, aware

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:story_list")


def paragraphs_in(page, css_class):
    """The text of each <p> inside the element with `css_class`, tags stripped, unescaped."""
    content = page.content.decode()
    section = content.split(f'class="{css_class}"', 1)[1].split("</div>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", paragraph))
        for paragraph in re.findall(r"<p[^>]*>(.*?)</p>", section, re.DOTALL)
    ]


def title_of(page):
    return html.unescape(re.search(r"<title>(.*?)</title>", page.content.decode(), re.DOTALL)[1])


def test_detail_page_shows_the_seed_paragraph_for_paragraph(client, seed_story, seed_parts):
    page = client.get(seed_story.get_absolute_url())

    assert page.status_code == 200
    assert paragraphs_in(page, "story-body") == seed_parts.story_text
    content = page.content.decode()
    assert f"<h1>{seed_parts.headline}</h1>" in content
    assert seed_parts.time_line == "Jun 17, 2025 | 4:31 AM"
    assert ">Jun 17, 2025, 4:31 AM EDT</time>" in content  # the same time, with its zone
    assert f'<span class="byline">{seed_parts.byline}</span>' in content


def test_breaking_update_shows_earlier_story_below_the_note(client, seed_story):
    page = client.get(seed_story.get_absolute_url())

    shown = paragraphs_in(page, "story-body")
    note_at = shown.index(BREAKING_NOTE)
    assert note_at == 4
    assert shown[note_at - 1].startswith("During his earlier visit to Pyongyang")
    assert shown[note_at + 1].startswith(
        "SEOUL, South Korea (AP) — A top Russian security official"
    )
    assert '<p class="editors-note">' in page.content.decode()


def test_detail_page_dates_the_update_and_links_history(client, seed_story):
    content = client.get(seed_story.get_absolute_url()).content.decode()

    assert 'datetime="2025-06-17T04:31:00-04:00">Jun 17, 2025, 4:31 AM EDT</time>' in content
    assert "Updated" in content
    assert f'href="{seed_story.get_history_url()}"' in content


def test_revision_one_page_shows_only_the_earlier_story(client, seed_story, seed_parts):
    url = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1})

    page = client.get(url)

    assert page.status_code == 200
    assert paragraphs_in(page, "story-body") == seed_parts.earlier
    content = page.content.decode()
    assert "an earlier version of this story" in content
    assert f'<a href="{seed_story.get_absolute_url()}">Read the current version</a>' in content
    assert "Breaking" not in content
    assert "Updated" not in content  # the wire gave revision 1 no time line
    assert "(revision 1)" in title_of(page)


def description_of(page):
    return html.unescape(
        re.search(r'<meta name="description" content="(.*?)">', page.content.decode())[1]
    )


def test_revision_page_describes_that_revision(client, seed_story, seed_parts):
    url = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1})

    page = client.get(url)

    # Its own lede, not the current story's, and its kind and time.
    assert description_of(page).startswith(seed_parts.earlier[0][:150])
    assert description_of(client.get(seed_story.get_absolute_url())).startswith(
        seed_parts.top[0][:150]
    )
    note = re.search(r'<p class="earlier-version"[^>]*>(.*?)</p>', page.content.decode(), re.DOTALL)
    note = " ".join(html.unescape(re.sub(r"<[^>]+>", "", note[1])).split())
    assert "revision 1 of 2, an earlier version of this story: original, archived" in note
    assert "Jun 17, 2025, 4:31 AM EDT" in note


def test_current_revision_address_redirects_to_the_story_page(client, seed_story):
    url = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 2})

    page = client.get(url)

    # Temporary: once a newer revision comes, this address shows revision 2 itself.
    assert page.status_code == 302
    assert page["Location"] == seed_story.get_absolute_url()


def test_history_lists_every_revision_newest_first(client, seed_story):
    page = client.get(seed_story.get_history_url())

    assert page.status_code == 200
    content = page.content.decode()
    revision_2 = content.index("Revision 2</a>")
    revision_1 = content.index("Revision 1</a>")
    assert revision_2 < revision_1
    newer, older = content[revision_2:revision_1], content[revision_1:]
    assert "<dd>Breaking update</dd>" in newer
    assert ">Jun 17, 2025, 4:31 AM EDT</time>" in newer
    assert f"<dd>{BREAKING_NOTE}</dd>" in newer
    assert "<dd>Original</dd>" in older
    assert "Not given by the wire" in older
    # The current revision links to the story page, earlier ones to their own pages.
    assert f'<a href="{seed_story.get_absolute_url()}">Revision 2</a>' in content
    url = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1})
    assert f'<a href="{url}">Revision 1</a>' in content
    assert title_of(page).startswith("History of “North Korea to send")


def test_history_tells_what_each_revision_changed(client, seed_story):
    content = client.get(seed_story.get_history_url()).content.decode()

    newer, older = content.split("Revision 1</a>")
    # Four new paragraphs and the note over the earlier story.
    assert "+5 paragraphs ·" in newer
    compare = reverse("articles:story_compare", kwargs={"slug": SEED_SLUG})
    assert f'href="{compare}?from=1&amp;to=2">Compare with revision 1</a>' in newer
    assert "The first version" in older


def test_history_counts_a_rewrite_and_a_new_headline(client, make_story):
    story = make_story(slug="rewritten")
    publish(
        "rewritten",
        Dispatch(
            headline="Storm hits coast, thousands evacuated",
            body="Paragraph one of version 1.\n\nA new second paragraph.\n\nAnd a third.",
            kind=Kind.UPDATE,
            dateline_place="MIAMI",
            agency="AP",
            byline="By JANE DOE",
        ),
        expected_revision=1,
    )

    content = client.get(story.get_history_url()).content.decode()

    assert "+2 paragraphs, −1 paragraph, headline changed ·" in content


def test_list_shows_the_seed_story(client, seed_story):
    page = client.get(LIST_URL)

    assert page.status_code == 200
    content = page.content.decode()
    assert f'<a href="{seed_story.get_absolute_url()}">{seed_story.headline}</a>' in content
    assert 'class="breaking"' not in content  # a June 2025 update is no longer breaking news
    assert '<span class="place">SEOUL, South Korea</span>' in content
    assert ">Jun 17, 2025, 4:31 AM EDT</time>" in content
    # The lede, without the dateline shown beside it.
    assert (
        '<p class="lede">Russian state news agency RIA Novosti says North Korea will '
        "send thousands of military construction workers and deminers to Russia.</p>" in content
    )
    assert "SEOUL, South Korea (AP) —" not in content
    assert title_of(page) == "Latest stories — Newsdesk"


def test_list_without_stories_says_so(client):
    page = client.get(LIST_URL)

    assert page.status_code == 200
    assert "No stories yet" in page.content.decode()


def test_list_shows_newest_update_first_twenty_a_page(client, make_stories):
    make_stories(25, first=1, when=lambda day: aware(2025, 7, day, 12, 0))
    last_on_first = Story.objects.get(slug="story-6")

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"before": last_on_first.pk})

    assert [story.slug for story in first.context["story_list"]] == [
        f"story-{day}" for day in range(25, 5, -1)
    ]
    assert [story.slug for story in second.context["story_list"]] == [
        f"story-{day}" for day in range(5, 0, -1)
    ]
    assert f'rel="next" href="?before={last_on_first.pk}"' in first.content.decode()
    first_on_second = Story.objects.get(slug="story-5")
    assert f'rel="prev" href="?after={first_on_second.pk}"' in second.content.decode()
    assert title_of(second) == "Latest stories — updated July 5, 2025 — Newsdesk"


def test_stories_without_a_time_line_list_by_when_they_were_archived(client, seed_story):
    publish("untimed", Dispatch(headline="No time line", body="Text."), expected_revision=0)

    listed = [story.slug for story in client.get(LIST_URL).context["story_list"]]

    assert listed == ["untimed", SEED_SLUG]  # archived today; the seed's wire time is 2025


@pytest.mark.parametrize("page", ["2", "abc", "0", "-1", "99", "1.5", "9" * 30, "last", "\x00"])
def test_the_latest_stories_have_no_numbered_pages(client, seed_story, page):
    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_page_one_is_the_latest_stories(client, seed_story):
    assert client.get(LIST_URL, {"page": "1"}).context["story_list"][0].slug == SEED_SLUG


@pytest.mark.parametrize(
    "url",
    [
        reverse("articles:story_detail", kwargs={"slug": "no-such-story"}),
        reverse("articles:story_history", kwargs={"slug": "no-such-story"}),
        reverse("articles:revision_detail", kwargs={"slug": "no-such-story", "number": 1}),
        reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 3}),
        reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 0}),
        f"/stories/{SEED_SLUG}/revisions/-1/",
        f"/stories/{SEED_SLUG}/revisions/{'9' * 40}/",
    ],
)
def test_unknown_story_or_revision_is_a_404_page(client, seed_story, url):
    page = client.get(url)

    assert page.status_code == 404
    assert "Page not found" in page.content.decode()


def test_wire_text_is_escaped_not_run(client):
    publish(
        "hostile",
        Dispatch(
            headline="<script>alert('headline')</script>",
            body="<img src=x onerror=alert(1)>\n\n<b>bold</b> & co",
            kind=Kind.ORIGINAL,
            dateline_place="<EVIL>",
        ),
        expected_revision=0,
    )
    story = Story.objects.get(slug="hostile")

    for url in (story.get_absolute_url(), story.get_history_url(), LIST_URL):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "<b>bold</b>" not in content
    detail = client.get(story.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt;" in detail
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in detail


# Every page runs a fixed number of queries whatever the archive holds; the first is
# always the conditional-GET validators (articles/conditional.py).
PAGE_QUERIES = {
    "list": 3,  # validators, place and kind of the newest stories (the counts), the page
    "list, older": 3,  # the same, at any depth (articles.paging)
    "list, searched": 3,  # validators, the ranked window (counted and faceted), the page
    "list, filtered": 3,  # the facets' rows give the count when they hold every story
    "detail": 2,  # the story with its validators, its revisions
    "history": 2,
    "revision": 2,
    "compare": 3,  # the story with its validators, and the stack of each of the two revisions
    "archive": 2,  # validators, months with their counts
    "archive year": 4,  # validators, months with their counts, previous and next year
    "archive month": 7,  # validators, any?, days with counts, count, page, previous, next
    "archive day": 6,  # validators, any?, count, page, previous and next day
}


def page_urls(slug):
    return {
        "list": LIST_URL,
        "list, older": f"{LIST_URL}?before={Story.objects.order_by('-updated_at', '-id')[0].pk}",
        "list, searched": f"{LIST_URL}?q=korea+or+storm",
        "list, filtered": f"{LIST_URL}?kind=breaking_update&date_from=2025-06-01&date_to=2025-06-30",
        "detail": reverse("articles:story_detail", kwargs={"slug": slug}),
        "history": reverse("articles:story_history", kwargs={"slug": slug}),
        "revision": reverse("articles:revision_detail", kwargs={"slug": slug, "number": 1}),
        "compare": reverse("articles:story_compare", kwargs={"slug": slug}),
        "archive": reverse("articles:archive"),
        "archive year": reverse("articles:archive_year", args=["2025"]),
        "archive month": reverse("articles:archive_month", args=["2025", "06"]),
        "archive day": reverse("articles:archive_day", args=["2025", "06", "17"]),
    }


@pytest.mark.parametrize("page", [page for page in PAGE_QUERIES if page != "list, older"])
def test_page_queries_with_one_story(client, seed_story, django_assert_num_queries, page):
    url = page_urls(SEED_SLUG)[page]

    with django_assert_num_queries(PAGE_QUERIES[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", PAGE_QUERIES)
def test_page_queries_with_fifty_stories_of_five_revisions(
    client, make_stories, django_assert_num_queries, page
):
    make_stories(50, revisions=5)
    url = page_urls("story-49")[page]

    with django_assert_num_queries(PAGE_QUERIES[page]):
        assert client.get(url).status_code == 200
