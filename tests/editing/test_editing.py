"""Editors post updates in the admin: every save a new revision, no edit ever lost."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Revision, Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, archive, texts_in

pytestmark = pytest.mark.django_db


def post_url(story):
    return reverse("admin:articles_story_post", args=[story.pk])


def change_url(story):
    return reverse("admin:articles_story_change", args=[story.pk])


ADD_URL = reverse("admin:articles_story_add")


def update(base, body="", kind=Kind.BREAKING_UPDATE, **fields):
    """The posting form as an editor sends it, CRLF line ends and all."""
    return {
        "base_revision": base,
        "kind": kind,
        "headline": "North Korea to send thousands of workers to Russia, Shoigu says",
        "dateline_place": "SEOUL, South Korea",
        "agency": "AP",
        "byline": "By KIM TONG-HYUNG",
        "body": body,
        "editors_note": BREAKING_NOTE if kind == Kind.BREAKING_UPDATE else "",
        "contributors": "",
        **fields,
    }


NEW_TOP = "Shoigu said the workers would arrive within weeks.\r\n\r\nHe gave no figure."


def new_story(**fields):
    return {
        "headline": "Flood waters rise in Valencia",
        "slug": "",
        "dateline_place": "VALENCIA, Spain",
        "agency": "AP",
        "byline": "By ANA GARCÍA",
        "body": "Flood waters rose on Tuesday.\r\n\r\nThousands left their homes.",
        "editors_note": "",
        "contributors": "",
        **fields,
    }


def shown(page):
    """The story's paragraphs as a reader sees them, an editor's note without the line
    that dates and signs it."""
    metas = texts_in(page.content, "note-meta")
    shown = []
    for text in texts_in(page.content, "story-body", "p"):
        meta = next((meta for meta in metas if text.startswith(meta)), "")
        shown.append(text.removeprefix(meta).strip())
    return shown


def shown_note_lines(page):
    return texts_in(page.content, "note-meta")


PUBLICATION_NOTE = "THIS IS A BREAKING NEWS UPDATE. Newsdesk’s earlier story follows below."


# The Editors group and create_editor


def test_editors_group_may_add_stories_and_post_revisions_only(editors_group):
    codenames = set(editors_group.permissions.values_list("content_type__app_label", "codename"))

    assert codenames == {
        ("articles", "view_story"),
        ("articles", "add_story"),
        ("articles", "view_revision"),
        ("articles", "add_revision"),
    }


@pytest.mark.django_db(transaction=True)
def test_editors_group_migration_reverses_and_applies_again(editors_group):
    try:
        call_command("migrate", "articles", "0004", verbosity=0)
        assert not type(editors_group).objects.filter(name="Editors").exists()
    finally:
        call_command("migrate", "articles", verbosity=0)

    group = type(editors_group).objects.get(name="Editors")
    assert group.permissions.count() == 4


def test_create_editor_makes_a_staff_user_in_editors_with_a_password_printed_once(
    editors_group, capsys, client
):
    call_command("create_editor", "dana", "--email", "dana@example.org", "--name", "Dana Kim")

    out = capsys.readouterr().out
    password = out.split("\n\n")[1].strip()
    user = get_user_model().objects.get(username="dana")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.all()) == [editors_group]
    assert user.get_full_name() == "Dana Kim"
    assert out.count(password) == 1 and len(password) >= 20
    assert client.login(username="dana", password=password)
    assert client.get(reverse("admin:index")).status_code == 200


def test_create_editor_refuses_an_existing_username(editor, capsys):
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_editor", editor.username)


def test_create_editor_says_to_migrate_without_the_editors_group(db):
    Group.objects.filter(name="Editors").delete()

    with pytest.raises(CommandError, match="migrate"):
        call_command("create_editor", "dana")


# Posting a breaking update


def test_posting_form_starts_from_the_current_revision_under_the_publication_note(
    editor_client, seed_story
):
    page = editor_client.get(post_url(seed_story))

    assert page.status_code == 200
    form = page.context["form"]
    assert form["base_revision"].value() == 2
    assert form["kind"].value() == Kind.BREAKING_UPDATE
    # The wire's words, in the name of the publication that posts it.
    assert form["editors_note"].value() == PUBLICATION_NOTE
    assert form["headline"].value() == seed_story.headline
    assert not form["body"].value()
    page_html = page.content.decode()
    assert '<input type="hidden" name="base_revision" value="2" id="id_base_revision">' in page_html


def test_breaking_update_posted_in_the_admin_tops_the_story(
    editor_client, client, seed_story, seed_parts, editor
):
    response = editor_client.post(post_url(seed_story), update(2, NEW_TOP))

    assert response.status_code == 302 and response.url == change_url(seed_story)
    revision = Revision.objects.get(story=seed_story, number=3)
    assert (revision.kind, revision.posted_by, revision.wire_time) == (
        Kind.BREAKING_UPDATE,
        editor,
        None,
    )
    assert (
        revision.body == "Shoigu said the workers would arrive within weeks.\n\nHe gave no figure."
    )
    story_page = client.get(seed_story.get_absolute_url())
    assert shown(story_page) == [
        "SEOUL, South Korea (AP) — Shoigu said the workers would arrive within weeks.",
        "He gave no figure.",
        BREAKING_NOTE,
        *seed_parts.story_text,
    ]
    history = client.get(seed_story.get_history_url())
    assert "by Alice Reed, Newsdesk" in texts_in(history.content, "history-entry", "h2")[0]
    # On the story page the update says when it came and who posted it: the publication.
    assert shown_note_lines(story_page)[0].startswith("Update posted ")
    assert shown_note_lines(story_page)[0].endswith(" by Newsdesk")
    assert shown_note_lines(story_page)[1] == "Update posted Jun 17, 4:31 AM EDT by AP"


def test_posting_says_what_was_posted_with_a_link_to_the_public_page(editor_client, seed_story):
    page = editor_client.post(post_url(seed_story), update(2, NEW_TOP), follow=True)

    assert page.status_code == 200
    messages = [str(message) for message in page.context["messages"]]
    assert messages == [
        f"Posted revision 3 of “{update(2)['headline']}”. "
        f'<a href="{seed_story.get_absolute_url()}">Read it on the site</a>.'
    ]


def test_update_replaces_the_whole_text_and_ends_the_stack(editor_client, client, seed_story):
    response = editor_client.post(
        post_url(seed_story),
        update(2, "The whole story, rewritten.\r\n\r\nIn two paragraphs.", kind=Kind.UPDATE),
    )

    assert response.status_code == 302
    story = Story.objects.get(pk=seed_story.pk)
    assert (
        story.text == "SEOUL, South Korea (AP) — The whole story, rewritten.\n\nIn two paragraphs."
    )
    assert story.kind == Kind.UPDATE
    assert shown(client.get(story.get_absolute_url())) == story.text.split("\n\n")


def test_correction_needs_a_note(editor_client, seed_story):
    before = archive()

    page = editor_client.post(
        post_url(seed_story), update(2, "Corrected text.", kind=Kind.CORRECTION)
    )

    assert page.status_code == 400
    assert page.context["form"].errors == {
        "editors_note": ["A correction needs an editor's note saying what was corrected."]
    }
    assert archive() == before


def test_correction_note_is_shown_after_the_text(editor_client, client, seed_story):
    note = "This story corrects the number of workers: 6,000, not 60,000."
    editor_client.post(
        post_url(seed_story),
        update(2, "Corrected text.", kind=Kind.CORRECTION, editors_note=note),
    )

    page = client.get(seed_story.get_absolute_url())

    assert shown(page) == ["SEOUL, South Korea (AP) — Corrected text.", note]


def test_update_form_starts_from_the_story_text_without_its_dateline(editor_client, seed_story):
    page = editor_client.get(post_url(seed_story), {"kind": Kind.UPDATE})

    body = page.context["form"]["body"].value()
    assert body == seed_story.text.removeprefix("SEOUL, South Korea (AP) — ")
    assert page.context["form"]["editors_note"].value() in (None, "")


def test_saving_the_story_unchanged_posts_nothing_and_says_so(editor_client, seed_story):
    form = editor_client.get(post_url(seed_story), {"kind": Kind.UPDATE}).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["body"] = data["body"].replace("\n", "\r\n")
    before = archive()

    page = editor_client.post(post_url(seed_story), data)

    assert page.status_code == 200
    assert archive() == before
    assert "Nothing changed" in texts_in(page.content, "newsdesk-unchanged", "p")[0]


def test_breaking_note_left_empty_is_the_publication_note(editor_client, seed_story, settings):
    settings.PUBLICATION_NAME = "The Daily Planet"
    editor_client.post(post_url(seed_story), update(2, NEW_TOP, editors_note=""))

    assert Revision.objects.get(story=seed_story, number=3).editors_note == (
        "THIS IS A BREAKING NEWS UPDATE. The Daily Planet’s earlier story follows below."
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"body": "  "}, "body", "This field is required."),
        ({"headline": ""}, "headline", "This field is required."),
        (
            {"headline": "H" * 301},
            "headline",
            "Ensure this value has at most 300 characters (it has 301).",
        ),
        (
            {"dateline_place": "P" * 101},
            "dateline_place",
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        (
            {"agency": "A" * 41},
            "agency",
            "Ensure this value has at most 40 characters (it has 41).",
        ),
        (
            {"byline": "B" * 201},
            "byline",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            {"body": "MOSCOW (AP) — The text."},
            "body",
            "The text starts with the dateline “MOSCOW (AP) —”, which is not this story’s: "
            "leave it out, or change the place and agency below.",
        ),
        ({"kind": Kind.ORIGINAL}, "kind", None),
    ],
)
def test_bad_input_is_a_form_error_and_posts_nothing(
    editor_client, seed_story, changes, field, message
):
    before = archive()

    page = editor_client.post(post_url(seed_story), {**update(2, NEW_TOP), **changes})

    assert page.status_code == 400
    errors = page.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert archive() == before


@pytest.mark.parametrize(
    "field, limit", [("headline", 300), ("dateline_place", 100), ("agency", 40), ("byline", 200)]
)
def test_each_field_takes_exactly_its_limit(editor_client, seed_story, field, limit):
    response = editor_client.post(post_url(seed_story), update(2, NEW_TOP, **{field: "X" * limit}))

    assert response.status_code == 302
    assert getattr(Revision.objects.get(story=seed_story, number=3), field) == "X" * limit


@pytest.mark.parametrize("base", ["", "0", "3", "two"])
def test_a_form_without_a_revision_it_was_based_on_posts_nothing(editor_client, seed_story, base):
    before = archive()

    page = editor_client.post(post_url(seed_story), update(base, NEW_TOP))

    assert page.status_code == 400
    assert archive() == before


# No lost updates


def test_second_editor_is_told_who_posted_and_keeps_their_text(seed_story, make_editor):
    alice, bob = Client(), Client()
    alice.force_login(make_editor("alice", "Alice Reed"))
    bob.force_login(make_editor("bob", "Bob Stone"))
    # Both open the story at revision 2.
    assert alice.get(post_url(seed_story)).context["form"]["base_revision"].value() == 2
    assert bob.get(post_url(seed_story)).context["form"]["base_revision"].value() == 2

    first = alice.post(post_url(seed_story), update(2, "Alice’s new top."))
    third = Revision.objects.filter(story=seed_story, number=3).values().get()
    second = bob.post(post_url(seed_story), update(2, "Bob’s new top, typed at length."))

    assert first.status_code == 302
    assert second.status_code == 409
    assert Revision.objects.filter(story=seed_story, number=3).values().get() == third
    assert not Revision.objects.filter(story=seed_story, number=4).exists()
    conflict = texts_in(second.content, "newsdesk-newer", "li")
    assert len(conflict) == 1
    assert conflict[0].startswith("Revision 3 (breaking update) by Alice Reed, ")
    assert conflict[0].endswith(("EST", "EDT"))  # the time, with its zone
    assert "Alice’s new top." in "".join(texts_in(second.content, "newsdesk-diff"))
    form = second.context["form"]
    assert form["body"].value() == "Bob’s new top, typed at length."
    assert form["base_revision"].value() == 3  # posting again goes on top, deliberately


def test_conflict_marks_the_words_the_other_editor_changed(seed_story, make_editor, client):
    client.force_login(make_editor("bob", "Bob Stone"))
    publish(
        SEED_SLUG,
        Dispatch(
            headline="North Korea to send 6,000 workers to Russia",
            body="Shoigu spoke in Pyongyang.",
            kind=Kind.UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
        ),
        expected_revision=2,
        posted_by=make_editor("alice", "Alice Reed"),
    )

    page = client.post(post_url(seed_story), update(2, "Bob’s top."))

    assert page.status_code == 409
    assert texts_in(page.content, "newsdesk-changes", "dt") == ["Headline", "Byline"]
    assert texts_in(page.content, "newsdesk-changes", "ins") == ["6,000"]
    assert texts_in(page.content, "newsdesk-changes", "del") == [
        "thousands of military construction",
        "and deminers ",  # white space is matched only beside words
        "The Associated Press",
    ]
    inserted = " ".join(texts_in(page.content, "newsdesk-diff", "ins")).split()
    assert {"spoke", "Pyongyang"} <= set(inserted)


def test_after_a_conflict_the_editor_posts_on_top_deliberately(
    seed_story, make_editor, client, seed_parts
):
    client.force_login(make_editor("bob", "Bob Stone"))
    publish(
        SEED_SLUG,
        Dispatch(
            headline=seed_story.headline,
            body="Alice’s top.",
            kind=Kind.BREAKING_UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=2,
        posted_by=make_editor("alice", "Alice Reed"),
    )
    refused = client.post(post_url(seed_story), update(2, "Bob’s top."))
    kept = refused.context["form"]
    data = {name: kept[name].value() for name in kept.fields}

    response = client.post(post_url(seed_story), data)

    assert response.status_code == 302
    story = Story.objects.get(pk=seed_story.pk)
    assert story.revision_number == 4
    assert story.text.split("\n\n")[:4] == [
        "SEOUL, South Korea (AP) — Bob’s top.",
        BREAKING_NOTE,
        "SEOUL, South Korea (AP) — Alice’s top.",
        BREAKING_NOTE,
    ]


@pytest.mark.django_db(transaction=True)
def test_eight_editors_posting_on_the_same_revision_one_wins(make_story, make_editor):
    story = make_story("storm", revisions=2)
    clients = []
    for number in range(8):
        client = Client()
        client.force_login(make_editor(f"editor{number}", f"Editor Number{number}"))
        clients.append(client)
    start = threading.Barrier(len(clients))
    statuses = {}

    def post(number, client):
        try:
            start.wait(timeout=30)
            data = update(2, f"Top from editor {number}.", headline="Storm update")
            statuses[number] = client.post(post_url(story), data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [302] + [409] * 7
    numbers = list(story.revisions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    winner = next(number for number, status in statuses.items() if status == 302)
    assert f"Top from editor {winner}." in Story.objects.get(pk=story.pk).text


# Who may post


def test_staff_outside_editors_cannot_post(client, seed_story, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_story"))
    client.force_login(viewer)
    before = archive()

    assert client.get(change_url(seed_story)).status_code == 200
    assert client.get(post_url(seed_story)).status_code == 403
    assert client.post(post_url(seed_story), update(2, NEW_TOP)).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, new_story()).status_code == 403
    assert archive() == before


def test_anonymous_visitors_are_sent_to_log_in(client, seed_story):
    response = client.post(post_url(seed_story), update(2, NEW_TOP))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert seed_story.revisions.count() == 2


def test_editors_cannot_delete_or_change_history_in_the_admin(editor_client, seed_story):
    revision = seed_story.revisions.get(number=1)
    before = archive()

    for url in (
        reverse("admin:articles_story_delete", args=[seed_story.pk]),
        reverse("admin:articles_revision_delete", args=[revision.pk]),
        reverse("admin:articles_revision_change", args=[revision.pk]),
        change_url(seed_story),
    ):
        assert editor_client.post(url, {"post": "yes", "body": "Rewritten."}).status_code == 403
    bulk_delete = editor_client.post(
        reverse("admin:articles_story_changelist"),
        {"action": "delete_selected", "_selected_action": [seed_story.pk], "post": "yes"},
    )
    assert bulk_delete.status_code in (200, 302)
    assert archive() == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE articles_revision SET body = 'Rewritten.' WHERE number = 1",
        "DELETE FROM articles_revision WHERE number = 1",
        "DELETE FROM articles_story",
    ],
)
def test_the_database_refuses_to_rewrite_history_whoever_asks(seed_story, sql):
    before = archive()

    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys wait for commit

    assert archive() == before


# Add story


def test_add_story_publishes_revision_one_at_an_address_from_its_headline(
    editor_client, client, editor
):
    response = editor_client.post(ADD_URL, new_story())

    story = Story.objects.get(slug="flood-waters-rise-in-valencia")
    assert response.status_code == 302 and response.url == change_url(story)
    revision = story.revisions.get()
    assert (revision.number, revision.kind, revision.posted_by) == (1, Kind.ORIGINAL, editor)
    assert shown(client.get(story.get_absolute_url())) == [
        "VALENCIA, Spain (AP) — Flood waters rose on Tuesday.",
        "Thousands left their homes.",
    ]


def test_add_story_takes_an_address_of_exactly_the_limit(editor_client):
    response = editor_client.post(ADD_URL, new_story(slug="a" * 100))

    assert response.status_code == 302
    assert Story.objects.filter(slug="a" * 100).exists()


def test_add_story_refuses_an_address_one_over_the_limit(editor_client):
    page = editor_client.post(ADD_URL, new_story(slug="a" * 101))

    assert page.status_code == 400
    assert page.context["form"].errors == {
        "slug": ["Ensure this value has at most 100 characters (it has 101)."]
    }
    assert not Story.objects.exists()


def test_add_story_at_a_taken_address_is_a_form_error(editor_client, seed_story):
    before = archive()

    page = editor_client.post(ADD_URL, new_story(headline=seed_story.headline))

    assert page.status_code == 400
    assert page.context["form"].errors["slug"] == [
        f"A story with the address “{SEED_SLUG}” already exists. Give this story another address."
    ]
    assert page.context["form"]["slug"].value() == SEED_SLUG
    assert archive() == before


# Breaking status that ends


def breaking_story(make_story, hours_ago):
    return make_story("storm", revisions=2, when=timezone.now() - timedelta(hours=hours_ago))


def breaking_marks(client, story):
    story_page = client.get(story.get_absolute_url())
    list_page = client.get(reverse("articles:story_list"))
    return (
        texts_in(story_page.content, "breaking", "strong"),
        texts_in(list_page.content, "meta", "strong"),
    )


def test_breaking_mark_shows_on_public_pages_within_the_window(client, make_story, settings):
    settings.BREAKING_HOURS = 24
    story = breaking_story(make_story, hours_ago=23)

    assert breaking_marks(client, story) == (["Breaking"], ["Breaking"])


def test_breaking_mark_goes_after_the_window(client, make_story, settings):
    settings.BREAKING_HOURS = 24
    story = breaking_story(make_story, hours_ago=25)

    assert breaking_marks(client, story) == ([], [])
    content = client.get(story.get_absolute_url()).content.decode()
    assert re.search(r"(Last updated|Published and updated) <", content)


def test_breaking_mark_goes_after_an_editor_posts_an_update(
    client, editor_client, make_story, settings
):
    settings.BREAKING_HOURS = 24
    story = breaking_story(make_story, hours_ago=1)
    editor_client.post(post_url(story), update(2, "The full story, calmer now.", kind=Kind.UPDATE))

    assert breaking_marks(client, story) == ([], [])


def test_a_breaking_update_posted_in_the_admin_reads_breaking(
    client, editor_client, seed_story, settings
):
    settings.BREAKING_HOURS = 24
    editor_client.post(post_url(seed_story), update(2, NEW_TOP))

    assert breaking_marks(client, seed_story) == (["Breaking"], ["Breaking"])
    settings.BREAKING_HOURS = 0
    assert breaking_marks(client, seed_story) == ([], [])
