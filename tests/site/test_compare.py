"""Compare two revisions: the word diff of their published texts, and bad numbers."""

import html
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.publishing import Dispatch, publish
from articles.site import diffing
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = pytest.mark.django_db

COMPARE_URL = reverse("articles:story_compare", kwargs={"slug": SEED_SLUG})


def diff_paragraphs(page):
    """The inner HTML of each paragraph of the compared text."""
    content = page.content.decode()
    section = content.split('class="story-body diff">', 1)[1].split("</div>", 1)[0]
    return re.findall(r"<p>(.*?)</p>", section, re.DOTALL)


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_seed_update_marks_the_new_top_and_the_note_inserted_and_deletes_nothing(
    client, seed_story, seed_parts
):
    page = client.get(COMPARE_URL, {"from": 1, "to": 2})

    assert page.status_code == 200
    paragraphs = diff_paragraphs(page)
    assert len(paragraphs) == 10
    inserted, kept = paragraphs[:5], paragraphs[5:]
    for fragment, expected in zip(inserted, [*seed_parts.top, BREAKING_NOTE], strict=True):
        assert fragment.startswith("<ins>") and fragment.endswith("</ins>")
        assert fragment.count("<ins>") == 1
        assert text_of(fragment) == expected
    assert [text_of(fragment) for fragment in kept] == seed_parts.earlier
    assert not any("<ins>" in fragment for fragment in kept)
    assert not any("<del>" in fragment for fragment in paragraphs)
    assert (page.context["added"], page.context["removed"], page.context["lines"]) == (5, 0, [])
    assert "5 paragraphs added." in text_of(page.content.decode())


def test_compare_defaults_to_the_previous_and_the_current_revision(client, seed_story):
    default = client.get(COMPARE_URL)

    assert default.status_code == 200
    assert diff_paragraphs(default) == diff_paragraphs(client.get(COMPARE_URL, {"from": 1}))
    assert diff_paragraphs(default) == diff_paragraphs(client.get(COMPARE_URL, {"to": 2}))
    assert "What changed, version 1 to 2" in default.content.decode()


def rewrite(seed_story, **changes):
    fields = {
        "headline": seed_story.headline,
        "body": "Russian state media said North Korea will send thousands of workers.",
        "kind": Kind.UPDATE,
        "dateline_place": "SEOUL, South Korea",
        "agency": "AP",
        "byline": "The Associated Press",
        **changes,
    }
    publish(SEED_SLUG, Dispatch(**fields), expected_revision=seed_story.revision_number)


def test_a_rewrite_marks_removed_and_added_words_and_changed_lines(client, seed_story):
    rewrite(
        seed_story,
        headline="North Korea to send 6,000 workers to Russia",
        byline="By KIM TONG-HYUNG",
    )

    page = client.get(COMPARE_URL, {"from": 2, "to": 3})

    content = page.content.decode()
    assert page.context["added"] >= 1 and page.context["removed"] >= 1
    assert "<del>" in content and "<ins>" in content
    lines = dict(page.context["lines"])
    assert set(lines) == {"Headline", "Byline"}  # the dateline did not change
    assert "<ins>6,000</ins>" in lines["Headline"] or "<ins>6</ins>" in lines["Headline"]
    assert "<del>" in lines["Byline"] and "KIM" in lines["Byline"]
    assert "<dt>Headline</dt>" in content


def test_compare_escapes_the_text_before_marking_it(client, seed_story):
    rewrite(seed_story, body='<script>alert("x")</script> & <b>bold</b>', headline="<i>Hi</i>")

    content = client.get(COMPARE_URL, {"from": 2, "to": 3}).content.decode()

    assert "<script>alert" not in content
    assert "<b>bold" not in content
    assert "&lt;script&gt;" in content
    assert "&lt;i&gt;" in content


def test_compare_any_two_revisions(client, seed_story):
    rewrite(seed_story)

    page = client.get(COMPARE_URL, {"from": 1, "to": 3})

    assert page.status_code == 200
    assert (page.context["old"].number, page.context["new"].number) == (1, 3)


def test_a_story_of_one_revision_has_nothing_to_compare(client, make_story):
    story = make_story(slug="single")
    url = reverse("articles:story_compare", kwargs={"slug": "single"})

    page = client.get(url)

    assert page.status_code == 200
    assert "is the first version of this story" in page.content.decode()
    assert f'href="{url}' not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "abc"},
        {"to": "1.5"},
        {"from": "-1"},
        {"from": " 1"},
        {"from": "1e3"},
        {"from": "\x00"},
        {"from": "2", "to": "1"},
        {"from": "2", "to": "2"},
        {"from": "2"},  # from the current revision to itself
    ],
)
def test_bad_numbers_are_a_bad_request(client, seed_story, params):
    page = client.get(COMPARE_URL, params)

    assert page.status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"from": "0"}, {"to": "3"}, {"from": "1", "to": "99"}, {"to": "9" * 40}, {"from": "9" * 12}],
)
def test_numbers_that_are_no_revision_are_not_found(client, seed_story, params):
    assert client.get(COMPARE_URL, params).status_code == 404


def test_unknown_story_is_not_found(client, db):
    url = reverse("articles:story_compare", kwargs={"slug": "no-such-story"})

    assert client.get(url).status_code == 404


def test_story_and_history_link_what_changed(client, seed_story):
    story = client.get(seed_story.get_absolute_url()).content.decode()
    earlier = client.get(
        reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1})
    ).content.decode()

    top = story.split('<div class="story-body">')[0]  # near the top, before the text
    assert f'<a href="{COMPARE_URL}">What changed in this version</a>' in top
    assert f'<a href="{seed_story.get_history_url()}">Revision history</a>' in top
    assert "What changed in this version" not in earlier  # revision 1 changed nothing


def test_neighbouring_changes_are_linked(client, seed_story):
    rewrite(seed_story)

    content = client.get(COMPARE_URL, {"from": 2, "to": 3}).content.decode()

    assert 'rel="prev" href="?from=1&amp;to=2"' in content
    assert 'rel="next"' not in content
    content = client.get(COMPARE_URL, {"from": 1, "to": 2}).content.decode()
    assert 'rel="next" href="?from=2&amp;to=3"' in content
    assert 'rel="prev"' not in content


numbers = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
    st.integers(-5, 10).map(str),
    st.integers().map(str),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(["from", "to", "page", "q"]), numbers, max_size=3))
def test_hostile_compare_query_strings_never_fail(client, seed_story, params):
    assert client.get(COMPARE_URL, params).status_code in (200, 400, 404)


def test_a_pair_of_revisions_is_compared_once_whatever_the_query_string(
    client, seed_story, monkeypatch
):
    calls = []

    def counted(old_text, new_text):
        calls.append((old_text, new_text))
        return diffing.compare(old_text, new_text)

    monkeypatch.setattr("articles.site.views.compare", counted)

    pages = [client.get(COMPARE_URL, {"from": 1, "to": 2, "x": n}) for n in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert len(calls) == 1
    assert diff_paragraphs(pages[2]) == diff_paragraphs(pages[0])


def test_a_comparison_past_the_word_limit_says_it_shows_whole_paragraphs(
    client, seed_story, monkeypatch
):
    monkeypatch.setattr(diffing, "WORD_DIFF_CHARS", 10)
    note = "These versions are too long to compare word by word throughout"
    rewrite(seed_story)  # revision 3 replaces the ten paragraphs of revision 2 with one

    coarse = client.get(COMPARE_URL, {"from": 2, "to": 3})
    word_by_word = client.get(COMPARE_URL, {"from": 1, "to": 2})

    assert note in coarse.content.decode() and note not in word_by_word.content.decode()
    assert diff_paragraphs(coarse)[0].startswith("<del>")
    assert diff_paragraphs(coarse)[-1].endswith(
        "Russian state media said North Korea will send thousands of workers.</ins>"
    )
