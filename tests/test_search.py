"""Full-text search: ranking, web search syntax, the bounded window, snippets, the index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.site import excerpts
from articles.site.excerpts import highlight, lede
from articles.text import Kind
from tests.helpers import SEED_SLUG, aware, bulk_archive

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:story_list")


def story(slug, headline, body, when=None, place="MIAMI", kind=Kind.ORIGINAL, byline=""):
    publish(
        slug,
        Dispatch(
            headline=headline,
            body=body,
            kind=kind,
            dateline_place=place,
            agency="AP" if place else "",
            byline=byline,
            wire_time=when or aware(2025, 6, 17, 12, 0),
        ),
        expected_revision=0,
    )
    return Story.objects.get(slug=slug)


def found(query):
    return [story.slug for story in Story.objects.search(query)]


def listed(client, **params):
    return [story.slug for story in client.get(LIST_URL, params).context["story_list"]]


def test_headline_hit_ranks_above_body_only_hit(db):
    story("in-body", "Lava flows", "The volcano erupted. The volcano smoked. The volcano rumbled.")
    story("in-headline", "Volcano erupts", "Ash fell on the island.", when=aware(2025, 6, 1))

    # The body-only hit is newer and names the volcano three times; the headline wins.
    assert found("volcano") == ["in-headline", "in-body"]


def test_recency_breaks_ties(db):
    story("older", "Storm nears", "Rain.", when=aware(2025, 6, 1))
    story("newer", "Storm nears", "Rain.", when=aware(2025, 6, 2))

    assert found("storm") == ["newer", "older"]


def test_quoted_phrase_matches_the_words_together(db):
    story("phrase", "Rates", "The central bank raised rates.")
    story("apart", "Rates", "The bank in the central square closed.")

    assert found('"central bank"') == ["phrase"]
    assert sorted(found("central bank")) == ["apart", "phrase"]


def test_minus_leaves_a_word_out_and_or_takes_either(db):
    story("storm-flood", "Storm brings flood", "Water rose.")
    story("storm-only", "Storm passes", "Wind blew.")
    story("quake", "Earthquake shakes city", "Walls fell.")

    assert found("storm -flood") == ["storm-only"]
    assert sorted(found("flood or earthquake")) == ["quake", "storm-flood"]


def test_place_and_byline_are_searched(db):
    story("seoul", "Talks resume", "Delegates met.", place="SEOUL, South Korea")
    story("jane", "Talks resume", "Delegates met.", byline="By JANE DOE")

    assert found("seoul") == ["seoul"]
    assert found("jane doe") == ["jane"]


def test_search_ranks_only_the_newest_matches(db, monkeypatch):
    for day in range(1, 6):
        story(f"day-{day}", f"Storm day {day}", "Rain.", when=aware(2025, 6, day))
    story("best-but-old", "Storm storm storm", "Storm.", when=aware(2025, 5, 1))
    monkeypatch.setattr(search, "CANDIDATES", 3)

    # The three newest matches, ranked; the best match is older and out of the window.
    assert sorted(found("storm")) == ["day-3", "day-4", "day-5"]


def test_a_phrase_is_looked_for_among_the_newest_stories_with_its_words(db, monkeypatch):
    """A phrase of common words reads a window of vectors, not every story with both."""
    story("phrase-old", "Rates", "The central bank raised rates.", when=aware(2025, 5, 1))
    for day in range(1, 4):
        story(f"apart-{day}", "Rates", "The bank in the central square.", when=aware(2025, 6, day))
    story("phrase-new", "Rates", "The central bank cut rates.", when=aware(2025, 6, 9))
    monkeypatch.setattr(search, "CANDIDATES", 3)

    assert found('"central bank"') == ["phrase-new"]  # the window: phrase-new, apart-3, -2
    assert found('"central bank" -cut') == []
    assert found('rates -"central bank"') == ["apart-3", "apart-2", "apart-1"]


def test_search_combines_with_the_queryset_it_is_given(db):
    story("miami", "Storm hits", "Rain.")
    story("seoul", "Storm hits", "Rain.", place="SEOUL")

    searched = Story.objects.filter(dateline_place="SEOUL").search("storm")

    assert [(s.slug, s.rank > 0) for s in searched] == [("seoul", True)]


@pytest.mark.parametrize("query", ["the", "-", '"', "or or", "!!!", "a -the"])
def test_queries_without_words_find_nothing_and_say_so(client, seed_story, query):
    page = client.get(LIST_URL, {"q": query})

    assert page.status_code == 200
    assert page.context["story_list"] == []
    assert "No stories match" in page.content.decode()


def test_empty_result_suggests_what_to_change(client, seed_story):
    content = client.get(LIST_URL, {"q": "zeppelin", "place": "SEOUL, South Korea"}).content
    content = content.decode()

    assert "No stories match “zeppelin” with these filters." in content
    assert "Remove a filter" in content
    assert f'href="{LIST_URL}?q=zeppelin">Search all stories for “zeppelin”</a>' in content


def test_results_say_how_many_and_how_they_are_ordered(client, seed_story):
    content = client.get(LIST_URL, {"q": "shoigu"}).content.decode()

    # One story needs no order; more are the most relevant first.
    assert "1 story matches “shoigu”." in content
    story("another", "Shoigu again", "Shoigu spoke.", when=aware(2025, 6, 18))
    content = client.get(LIST_URL, {"q": "shoigu"}).content.decode()
    assert "2 stories match “shoigu”, the most relevant first." in content
    assert "<title>Search: shoigu — Newsdesk</title>" in content


def test_a_full_window_says_older_matches_are_not_shown(client, db, monkeypatch):
    for day in range(1, 4):
        story(f"day-{day}", "Storm", "Rain.", when=aware(2025, 6, day))
    monkeypatch.setattr(search, "CANDIDATES", 2)

    content = client.get(LIST_URL, {"q": "storm"}).content.decode()

    assert "The newest 2 stories that match “storm”" in content
    assert "Older matches are not shown" in content


# Snippets


def test_snippet_highlights_the_terms(client, seed_story):
    page = client.get(LIST_URL, {"q": "Shoigu Kursk"})

    [hit] = page.context["story_list"]
    assert "<mark>Shoigu</mark>" in hit.excerpt
    assert "<mark>Kursk</mark>" in hit.excerpt
    assert "<mark>Shoigu</mark>" in page.content.decode()


def test_snippet_cut_from_the_middle_says_so(client, db):
    words = " ".join(f"word{n}" for n in range(60))
    story("long", "Report", f"{words} volcano {words} end")

    [hit] = client.get(LIST_URL, {"q": "volcano"}).context["story_list"]

    assert hit.excerpt.startswith("… word") and hit.excerpt.endswith(" …")
    assert "<mark>volcano</mark>" in hit.excerpt


@pytest.mark.parametrize("query", ["Miami", "AP", "flooded"])
def test_snippet_from_the_start_has_no_ellipsis_before_it_even_with_a_hit_in_the_dateline(
    client, db, query
):
    """The list shows the place beside the snippet: a hit in the dateline must not keep
    the dateline in the snippet, nor make it look cut from the middle."""
    story("flood", "Report", "Streets flooded overnight.\n\nSchools closed.")

    [hit] = client.get(LIST_URL, {"q": query}).context["story_list"]

    assert hit.excerpt.startswith(("Streets", "<mark>Streets</mark>")), hit.excerpt


def test_snippet_escapes_markup_from_the_story_text(client, db):
    story(
        "hostile",
        "Volcano report",
        '<script>alert("x")</script> The volcano & <b>lava</b> <mark>fake</mark> spread.',
    )

    content = client.get(LIST_URL, {"q": "volcano"}).content.decode()

    assert "<mark>volcano</mark>" in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert "&amp; &lt;b&gt;lava&lt;/b&gt;" in content
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in content
    assert "<script>alert" not in content
    assert "<b>lava" not in content


def test_highlight_pairs_markers_and_drops_strays():
    snippet = (
        f"a {excerpts.START}b<i>{excerpts.STOP} c {excerpts.START}d {excerpts.STOP}{excerpts.STOP}"
    )

    assert highlight(snippet) == "a <mark>b&lt;i&gt;</mark> c <mark>d </mark>"


def test_a_hit_only_in_the_headline_shows_the_lede(client, db):
    story("headline-hit", "Volcano erupts", "Ash fell on the island.\n\nFlights stopped.")

    [hit] = client.get(LIST_URL, {"q": "volcano"}).context["story_list"]

    assert hit.excerpt == "Ash fell on the island."


# The lede in lists


def test_a_long_lede_is_cut_at_a_word(client, db):
    story("long", "Long lede", "Governor " + "announced " * 60 + "measures.")

    [row] = client.get(LIST_URL).context["story_list"]

    assert row.excerpt == "Governor " + "announced " * (excerpts.LEDE_WORDS - 2) + "announced…"


def test_list_lede_leaves_out_the_dateline_shown_beside_it(client, seed_story):
    [row] = client.get(LIST_URL).context["story_list"]

    assert row.excerpt.startswith("Russian state news agency RIA Novosti says")
    assert lede(row) == row.excerpt


def test_a_megabyte_first_paragraph_does_not_make_the_list_a_megabyte(client, db):
    story("huge", "Long read", "word " * 200_000)

    page = client.get(LIST_URL)

    [row] = page.context["story_list"]
    assert len(row.lede_start) == excerpts.LEDE_SOURCE_CHARS  # all that left the database
    assert row.excerpt == "word " * (excerpts.LEDE_WORDS - 1) + "word…"
    assert len(page.content) < 50_000
    assert "text" in row.get_deferred_fields()


def test_lede_without_a_dateline_is_the_first_paragraph(client, db):
    story("no-place", "Quiet day", "Nothing happened.\n\nStill nothing.", place="")

    [row] = client.get(LIST_URL).context["story_list"]

    assert row.excerpt == "Nothing happened."


# The index


def test_search_uses_the_gin_index(db):
    """At a few thousand rows a scan costs less; priced out, the index must serve."""
    bulk_archive(3_000, "faces a zeppelin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    searched = Story.objects.for_list().search("zeppelin")

    assert "articles_story_search_idx" in searched.explain()
    assert [story.slug for story in searched] == ["bulk-7"]


def test_byline_and_headline_substrings_use_their_trigram_indexes(db):
    """The filter's and the admin's `icontains` are what the indexes hold (UPPER(...)).

    At a few thousand short rows a scan still costs less, so the scan is priced out to
    see whether the index serves the query at all."""
    bulk_archive(3_000, "faces a zeppelin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    by_byline = Story.objects.filter(byline__icontains="Arnett").order_by()
    by_headline = Story.objects.filter(headline__icontains="2999").order_by()

    assert "articles_story_byline_trgm" in by_byline.explain()
    assert "articles_story_headline_trgm" in by_headline.explain()
    assert [story.slug for story in by_headline] == ["bulk-2999"]


def test_search_folds_accents_both_ways(db, make_story):
    make_story("sao-paulo", headline="Floods in SÃO PAULO")
    make_story("zurich", headline="Zurich votes")

    assert [story.slug for story in Story.objects.search("Sao Paulo")] == ["sao-paulo"]
    assert [story.slug for story in Story.objects.search("Zürich")] == ["zurich"]


def test_a_word_in_every_story_ranks_only_the_newest_window(db):
    bulk_archive(3_000, "stalls")

    searched = list(Story.objects.search("council").values_list("slug", flat=True))

    assert len(searched) == search.CANDIDATES
    assert set(searched) == {f"bulk-{n}" for n in range(1, search.CANDIDATES + 1)}


def test_seed_is_found_by_a_word_from_its_earlier_story(db, seed_story):
    assert found("Pyongyang") == [SEED_SLUG]
    assert found("Pyongyang -Shoigu") == []


def test_a_new_revision_is_searchable_at_once(db, seed_story):
    publish(
        SEED_SLUG,
        Dispatch(
            headline=seed_story.headline,
            body="Zeppelins were sighted.",
            kind=Kind.UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
            byline="The Associated Press",
            wire_time=timezone.now() - timedelta(minutes=1),
        ),
        expected_revision=2,
    )

    assert found("zeppelin") == [SEED_SLUG]
    assert found("Pyongyang") == []  # a write-thru replaces the whole text
