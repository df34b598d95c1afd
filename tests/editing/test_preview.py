"""Posting a breaking update quickly: a preview of the public page, a pasted dateline taken
out, an update that starts from the story's text, and the form's markup."""

import re

import pytest
from django.urls import reverse

from articles.models import Revision, Story
from tests.editing.test_editing import NEW_TOP, post_url, update
from tests.helpers import archive, texts_in

pytestmark = pytest.mark.django_db


def test_preview_shows_the_public_page_and_posts_nothing(editor_client, seed_story):
    before = archive()

    page = editor_client.post(post_url(seed_story), {**update(2, NEW_TOP), "_preview": "Preview"})

    assert page.status_code == 200
    assert archive() == before
    assert page.templates[0].name == "admin/articles/story/preview.html"
    # The story page as readers will see it: the new top first, signed by the publication.
    paragraphs = texts_in(page.content, "story-body", "p")
    assert (
        paragraphs[0]
        == "SEOUL, South Korea (AP) — Shoigu said the workers would arrive within weeks."
    )
    assert texts_in(page.content, "note-meta")[0].endswith("by Newsdesk")
    assert texts_in(page.content, "preview-bar", "h2") == ["Preview: not posted yet"]
    content = page.content.decode()
    assert '<meta name="robots" content="noindex">' in content
    assert 'rel="canonical"' not in content and "live-update" not in content
    # The preview carries what was typed, to post as it is or to edit.
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', content))
    assert hidden["base_revision"] == "2" and hidden["kind"] == "breaking_update"


def test_posting_from_the_preview_posts_what_was_previewed(editor_client, seed_story):
    preview = editor_client.post(post_url(seed_story), {**update(2, NEW_TOP), "_preview": "1"})
    fields = re.findall(
        r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.content.decode()
    )
    data = {name: value.replace("&#x27;", "'") for name, value in fields}

    back = editor_client.post(post_url(seed_story), {**data, "_edit": "1"})
    posted = editor_client.post(post_url(seed_story), {**data, "_post": "1"})

    assert back.status_code == 200 and back.context["form"]["body"].value()
    assert posted.status_code == 302
    revision = Revision.objects.get(story=seed_story, number=3)
    assert (
        revision.body == "Shoigu said the workers would arrive within weeks.\n\nHe gave no figure."
    )


def test_a_pasted_dateline_of_the_story_is_taken_out_with_a_message(editor_client, seed_story):
    body = "SEOUL, South Korea (AP) — Shoigu said the workers would arrive within weeks."

    preview = editor_client.post(post_url(seed_story), {**update(2, body), "_preview": "1"})
    posted = editor_client.post(post_url(seed_story), update(2, body), follow=True)

    message = "The dateline “SEOUL, South Korea (AP) —” at the top of the text was taken out"
    assert message in texts_in(preview.content, "preview-message")[0]
    assert any(message in str(note) for note in posted.context["messages"])
    revision = Revision.objects.get(story=seed_story, number=3)
    assert revision.body == "Shoigu said the workers would arrive within weeks."


def test_an_update_sent_without_text_starts_from_the_story(editor_client, seed_story):
    before = archive()

    page = editor_client.post(
        post_url(seed_story), update(2, "", kind="update", headline="A new headline")
    )

    assert page.status_code == 200 and archive() == before
    form = page.context["form"]
    story = Story.objects.get(pk=seed_story.pk)
    assert form["body"].value() == story.text.removeprefix("SEOUL, South Korea (AP) — ")
    assert form["headline"].value() == "A new headline"  # what was typed is kept
    assert (
        "The text below is the story as it stands"
        in texts_in(page.content, "newsdesk-unchanged")[0]
    )


def test_posting_form_puts_kind_and_text_first_and_labels_no_hidden_input(
    editor_client, seed_story
):
    content = editor_client.get(post_url(seed_story)).content.decode()

    labels = re.findall(r'<label[^>]*for="id_(\w+)"', content)
    assert [name for name in labels if not name.startswith("kind_")][0] == "body"
    assert labels.index("kind_0") < labels.index("body") < labels.index("headline")
    assert "base_revision" not in labels
    # The rest folds away below the text, closed for a breaking update.
    assert '<details class="newsdesk-more">' in content
    assert content.index('id="id_body"') < content.index('<details class="newsdesk-more">')


def test_admin_times_carry_their_zone(editor_client, seed_story):
    page = editor_client.get(reverse("admin:articles_story_change", args=[seed_story.pk]))

    times = texts_in(page.content, "readonly")
    assert "Jun 17, 2025, 4:31 AM EDT" in times
