"""The admin: the archive read by editors, fast lists, and history nobody edits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, texts_in

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_story_changelist")
REVISIONS = reverse("admin:articles_revision_changelist")


@pytest.fixture
def revision(seed_story):
    return seed_story.revisions.get(number=1)


@pytest.fixture
def viewer(django_user_model):
    """Staff who may read stories and revisions, and nothing else."""
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_story", "view_revision"])
    )
    return user


def column(page, name, tag=None):
    """The cells of a list's column (an inline's: tag="p"), white space collapsed."""
    return [" ".join(text.split()) for text in texts_in(page.content, f"field-{name}", tag)]


def warm(client, url):
    """Load `url` once so that per-process caches (content types) are filled."""
    assert client.get(url).status_code == 200


# Branding


@pytest.mark.parametrize("url", [reverse("admin:index"), reverse("admin:login")])
def test_admin_says_newsdesk_administration(client, editor, url):
    client.force_login(editor)

    page = client.get(url, follow=True)

    assertContains(page, '<a href="/admin/">Newsdesk administration</a>', html=True)
    assert page.context["site_title"] == "Newsdesk administration"
    assertNotContains(page, "Django")


def test_editors_see_stories_and_revisions_and_no_users(editor_client):
    page = editor_client.get(reverse("admin:index"))

    assertContains(page, STORIES)
    assertContains(page, REVISIONS)
    assertContains(page, reverse("admin:articles_story_add"))
    assertNotContains(page, reverse("admin:articles_revision_add"))
    assertNotContains(page, reverse("admin:auth_user_changelist"))
    assertNotContains(page, reverse("admin:auth_group_changelist"))


# The story list


def test_story_list_shows_headline_place_breaking_last_updated_and_revisions(
    editor_client, seed_story
):
    page = editor_client.get(STORIES)

    assert page.status_code == 200
    assertInHTML(
        f'<a href="{reverse("admin:articles_story_change", args=[seed_story.pk])}">'
        f"{seed_story.headline}</a>",
        page.content.decode(),
    )
    assert column(page, "dateline_place") == ["SEOUL, South Korea"]
    # An old update is no breaking story: the column marks nothing, rather than a cross.
    assertInHTML('<td class="field-status"></td>', page.content.decode())
    # The one action an editor takes from the list, named for the story it posts to.
    post = reverse("admin:articles_story_post", args=[seed_story.pk])
    assertInHTML(
        f'<a class="newsdesk-post-link" href="{post}">Post an update<span class="newsdesk-sr">'
        f" to “{seed_story.headline}”</span></a>",
        page.content.decode(),
    )
    assert column(page, "last_updated") == ["Jun 17, 2025, 4:31 AM EDT"]
    assert column(page, "revision_count") == ["2"]


def test_story_list_marks_a_recent_breaking_update(editor_client, make_story):
    make_story("storm", revisions=2, when=timezone.now() - timedelta(hours=1))

    page = editor_client.get(STORIES)

    assertInHTML(
        '<td class="field-status"><strong class="newsdesk-breaking">Breaking</strong></td>',
        page.content.decode(),
    )


def test_story_list_sorts_by_revision_count(editor_client, make_story):
    make_story("one", revisions=1, headline="One")
    make_story("three", revisions=3, headline="Three")
    make_story("two", revisions=2, headline="Two")

    page = editor_client.get(STORIES, {"o": "-4"})  # the fifth column, counted from 0

    assert column(page, "revision_count") == ["3", "2", "1"]


@pytest.mark.parametrize("stories", [1, 50])
def test_story_list_runs_the_same_queries_for_1_and_50_stories(
    editor_client, make_story, django_assert_num_queries, stories
):
    for number in range(stories):
        make_story(f"story-{number}", revisions=1 + number % 3)
    warm(editor_client, STORIES)

    # session, user, 2 permission lookups, count, stories with their revision counts,
    # the date hierarchy's range and its days, the agency filter's values
    with django_assert_num_queries(9):
        page = editor_client.get(STORIES)

    assert len(column(page, "revision_count")) == stories


def test_story_list_searches_headlines_and_addresses(editor_client, seed_story, make_story):
    make_story("storm")

    by_word = editor_client.get(STORIES, {"q": "deminers"})
    by_slug = editor_client.get(STORIES, {"q": "storm"})
    by_part_of_a_headline = editor_client.get(STORIES, {"q": "orth Kor"})

    assert column(by_word, "dateline_place") == ["SEOUL, South Korea"]
    assert column(by_slug, "dateline_place") == ["MIAMI"]
    assert column(by_part_of_a_headline, "dateline_place") == ["SEOUL, South Korea"]


def test_story_list_search_uses_the_full_text_index_not_a_scan(
    editor_client, seed_story, make_story
):
    make_story("storm", headline="Storms hit the coast")

    stemmed = editor_client.get(STORIES, {"q": "storm coasts"})
    in_the_text = editor_client.get(STORIES, {"q": "Shoigu"})
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(STORIES, {"q": "nothing matches this"})

    assert column(stemmed, "dateline_place") == ["MIAMI"]
    assert column(in_the_text, "dateline_place") == ["SEOUL, South Korea"]
    searched = " ".join(query["sql"] for query in queries.captured_queries)
    # One LIKE: the headline's, which its trigram index serves (tests/test_search.py).
    assert "websearch_to_tsquery" in searched and searched.count("LIKE") == 1
    assert 'UPPER("articles_story"."headline"::text) LIKE' in searched


@pytest.mark.parametrize("term", ["nul\x00byte", "x" * 500, '"', "-", "or"])
def test_story_list_search_takes_any_text(editor_client, seed_story, term):
    assert editor_client.get(STORIES, {"q": term}).status_code == 200


def test_story_list_search_refuses_what_is_not_text_with_the_rules_message(
    editor_client, seed_story
):
    for char in ["\x00", "\x85", "\ufffe"]:
        page = editor_client.get(STORIES, {"q": f"Shoigu{char}Pyongyang"})

        assert page.status_code == 200
        assert [str(message) for message in page.context["messages"]] == [
            f"Contains the control character U+{ord(char):04X} at position 7: only plain "
            "text can be archived."
        ]


def test_story_list_filters_breaking_stories_and_kinds(editor_client, seed_story, make_story):
    make_story("storm", revisions=2, when=timezone.now() - timedelta(hours=1))

    breaking = editor_client.get(STORIES, {"breaking": "now"})
    originals = editor_client.get(STORIES, {"kind__exact": Kind.ORIGINAL})
    updates = editor_client.get(STORIES, {"kind__exact": Kind.BREAKING_UPDATE})

    assert column(breaking, "dateline_place") == ["MIAMI"]
    assert column(originals, "dateline_place") == []
    assert column(updates, "dateline_place") == ["MIAMI", "SEOUL, South Korea"]


def test_story_list_drills_down_by_date(editor_client, seed_story, make_story):
    make_story("storm", when=timezone.now())

    june = editor_client.get(STORIES, {"updated_at__year": 2025, "updated_at__month": 6})

    assert column(june, "dateline_place") == ["SEOUL, South Korea"]


@pytest.mark.parametrize(
    "url, query",
    [
        (STORIES, "updated_at__year=99999999999"),
        (STORIES, "updated_at__year=9999"),
        (STORIES, "updated_at__year=0"),
        (STORIES, "updated_at__year=2025&updated_at__month=13"),
        (STORIES, "updated_at__year=2025&updated_at__month=2&updated_at__day=30"),
        (STORIES, "updated_at__year=twenty"),
        (REVISIONS, "archived_at__year=99999999999"),
    ],
)
def test_absurd_list_filters_answer_400_with_a_message(editor_client, seed_story, url, query):
    page = editor_client.get(f"{url}?{query}")

    assert page.status_code == 400
    assert texts_in(page.content, "errornote")[0].startswith(
        "The filters in this address ask for a date or a page that does not exist"
    )


# A story's page


def test_story_page_lists_its_revisions_read_only_with_links(
    editor_client, seed_story, make_editor
):
    posted_by = make_editor("bob", "Bob Stone")
    publish(
        SEED_SLUG,
        Dispatch(
            headline=seed_story.headline,
            body="Correct figure.",
            kind=Kind.CORRECTION,
            editors_note="Corrects the figure.",
        ),
        expected_revision=2,
        posted_by=posted_by,
    )

    page = editor_client.get(reverse("admin:articles_story_change", args=[seed_story.pk]))

    assert page.status_code == 200
    assert column(page, "number", "p") == ["3", "2", "1"]
    assert column(page, "kind", "p") == ["Correction", "Breaking update", "Original"]
    assert column(page, "posted_by_name", "p") == ["Bob Stone", "The wire", "The wire"]
    assert column(page, "note", "p") == ["Corrects the figure.", BREAKING_NOTE, ""]
    assert column(page, "time", "p")[1:] == [
        "Jun 17, 2025, 4:31 AM EDT",
        "Jun 17, 2025, 4:31 AM EDT",
    ]
    for number in (3, 2, 1):
        url = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": number})
        assertInHTML(f'<a href="{url}">Revision {number} on the site</a>', page.content.decode())
    assertNotContains(page, 'name="_save"')
    assertNotContains(page, "<textarea")
    assertContains(page, "View on site")


def test_editors_find_post_an_update_on_the_story_page(editor_client, viewer, seed_story):
    url = reverse("admin:articles_story_change", args=[seed_story.pk])
    client = Client()
    client.force_login(viewer)
    post = reverse("admin:articles_story_post", args=[seed_story.pk])

    assertInHTML(
        f'<a href="{post}" class="newsdesk-post">Post an update</a>',
        editor_client.get(url).content.decode(),
    )
    assertNotContains(client.get(url), post)


def test_story_page_queries_do_not_grow_with_revisions(
    editor_client, make_story, django_assert_num_queries
):
    few, many = make_story("few", revisions=2), make_story("many", revisions=12)
    for story in (few, many):
        url = reverse("admin:articles_story_change", args=[story.pk])
        warm(editor_client, url)
        # session, user, 2 permission lookups, the story, its revisions
        with django_assert_num_queries(6):
            editor_client.get(url)


def test_posting_pages_query_counts(editor_client, seed_story, django_assert_num_queries):
    post = reverse("admin:articles_story_post", args=[seed_story.pk])
    add = reverse("admin:articles_story_add")

    # session, user, the story, 2 permission lookups, its current revision
    with django_assert_num_queries(6):
        assert editor_client.get(post).status_code == 200
    # session, user, 2 permission lookups
    with django_assert_num_queries(4):
        assert editor_client.get(add).status_code == 200


def test_revision_list_queries_do_not_grow_with_revisions(
    editor_client, make_story, django_assert_num_queries
):
    make_story("few", revisions=1)
    warm(editor_client, REVISIONS)
    with django_assert_num_queries(8) as few:
        editor_client.get(REVISIONS)
    make_story("many", revisions=30)
    with django_assert_num_queries(8) as many:
        editor_client.get(REVISIONS)
    assert [q["sql"][:30] for q in few] == [q["sql"][:30] for q in many]


# Read-only history


def test_admin_shows_a_revision_read_only(editor_client, revision):
    page = editor_client.get(reverse("admin:articles_revision_change", args=[revision.pk]))

    assert page.status_code == 200
    assertNotContains(page, 'name="_save"')
    assertNotContains(page, "<textarea")


def test_admin_revision_says_when_no_wire_time_applies(editor_client, editor, seed_story, revision):
    """An editor's post has no wire time; saying "Not given" would blame the wire."""
    posted = publish(
        SEED_SLUG,
        Dispatch(headline=seed_story.headline, body="A new text.", kind=Kind.UPDATE),
        expected_revision=2,
        posted_by=editor,
    )
    type(revision).objects.filter(pk=revision.pk).update(wire_time=None)  # a wire without one

    def shown(row):
        page = editor_client.get(reverse("admin:articles_revision_change", args=[row.pk]))
        return texts_in(page.content, "readonly")

    assert "None: an editor posted it, at the time it was archived" in shown(posted)
    assert "Not given by the wire" in shown(revision)


def test_admin_cannot_post_changes_to_a_revision(admin_client, revision):
    url = reverse("admin:articles_revision_change", args=[revision.pk])

    response = admin_client.post(url, {"body": "Rewritten history.", "number": 1})

    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.body.startswith("A top Russian security official")


def test_admin_cannot_change_a_story_in_place(admin_client, seed_story):
    url = reverse("admin:articles_story_change", args=[seed_story.pk])

    response = admin_client.post(url, {"headline": "Rewritten", "text": "Rewritten."})

    assert response.status_code == 403
    seed_story.refresh_from_db()
    assert seed_story.headline.startswith("North Korea to send")


def test_revisions_are_added_only_by_posting_on_their_story(admin_client):
    assert admin_client.get(reverse("admin:articles_revision_add")).status_code == 403


@pytest.mark.parametrize("user", ["admin_client", "editor_client"])
def test_nobody_deletes_history_in_the_admin(request, user, seed_story, revision):
    client = request.getfixturevalue(user)
    for url in (
        reverse("admin:articles_story_delete", args=[seed_story.pk]),
        reverse("admin:articles_revision_delete", args=[revision.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403
    assertNotContains(client.get(STORIES), "delete_selected")
    assert seed_story.revisions.count() == 2


@pytest.mark.parametrize("overtaken_by", [1, 3])
def test_posting_and_conflict_queries_are_fixed(
    editor_client, make_story, django_assert_num_queries, overtaken_by
):
    story = make_story("storm", revisions=1 + overtaken_by)
    post = reverse("admin:articles_story_post", args=[story.pk])
    warm(editor_client, reverse("admin:articles_story_change", args=[story.pk]))
    form = {
        "kind": Kind.BREAKING_UPDATE,
        "headline": "Storm hits coast",
        "dateline_place": "MIAMI",
        "agency": "AP",
        "byline": "",
        "body": "A new top.",
        "editors_note": BREAKING_NOTE,
        "contributors": "",
    }

    # a conflict: the posting queries, then the story as it stands and what was posted,
    # and the form checked again on top of it
    with django_assert_num_queries(22):
        response = editor_client.post(post, {**form, "base_revision": 1})
    assert response.status_code == 409
    # session, user, the story, 2 permission lookups, the model form's has-text check
    # (asked of the database, in a savepoint inside a test's transaction), the base
    # stack, the editor's row, then publish (savepoint, story, stack, update, insert,
    # the announcement to caches, release) and the admin log
    with django_assert_num_queries(18):
        response = editor_client.post(post, {**form, "base_revision": 1 + overtaken_by})
    assert response.status_code == 302
