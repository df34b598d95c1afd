"""An editor withdraws a story in the admin, with the reason readers are shown."""

import pytest
from django.urls import reverse

from articles.models import Story


@pytest.mark.django_db
def test_editor_withdraws_a_story_with_a_reason_and_readers_get_410(
    editor_client, make_story, client
):
    story = make_story("storm")
    change = reverse("admin:articles_story_change", args=[story.pk])
    withdraw = reverse("admin:articles_story_withdraw", args=[story.pk])
    assert withdraw in editor_client.get(change).content.decode()

    refused = editor_client.post(withdraw, {"reason": "  "})
    assert refused.status_code == 400 and Story.objects.get().withdrawn_at is None

    done = editor_client.post(withdraw, {"reason": "Based on a false report."})

    assert done.status_code == 302 and done["Location"] == change
    story.refresh_from_db()
    assert story.withdrawal_reason == "Based on a false report."
    page = client.get(story.get_absolute_url())
    assert page.status_code == 410 and "Based on a false report." in page.content.decode()
    assert withdraw not in editor_client.get(change).content.decode()


@pytest.mark.django_db
def test_editor_adds_a_story_under_embargo_that_readers_cannot_see_yet(editor_client, client):
    body = {
        "headline": "Flood waters rise in Valencia",
        "slug": "",
        "dateline_place": "VALENCIA, Spain",
        "agency": "AP",
        "byline": "",
        "body": "Flood waters rose on Tuesday.",
        "editors_note": "",
        "contributors": "",
        "not_before": "2999-01-01 09:00",
    }

    response = editor_client.post(reverse("admin:articles_story_add"), body)

    assert response.status_code == 302
    story = Story.objects.get()
    assert story.is_embargoed and story.not_before.year == 2999
    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.slug not in client.get("/").content.decode()
    assert editor_client.get(response.url).status_code == 200  # the admin sees it


@pytest.mark.django_db
def test_story_list_and_posting_page_say_what_readers_are_kept_from(editor_client, make_story):
    withdrawn, embargoed, public = make_story("quake"), make_story("flood"), make_story("storm")
    withdraw = reverse("admin:articles_story_withdraw", args=[withdrawn.pk])
    editor_client.post(withdraw, {"reason": "Based on a false report."})
    Story.objects.filter(pk=embargoed.pk).update(not_before="2999-01-01T09:00Z")

    page = editor_client.get(reverse("admin:articles_story_changelist")).content.decode()
    marks = {
        story.slug: page.split(f"/{story.pk}/change/")[1].split('<td class="field-status">')[1]
        for story in (withdrawn, embargoed, public)
    }
    assert marks["quake"].startswith('<strong class="newsdesk-withheld">Withdrawn</strong>')
    assert marks["flood"].startswith('<strong class="newsdesk-withheld">Embargoed</strong>')
    assert marks["storm"].startswith("</td>")

    for story, says in [(withdrawn, "This story is withdrawn"), (embargoed, "under embargo")]:
        post = reverse("admin:articles_story_post", args=[story.pk])
        assert says in editor_client.get(post).content.decode()
    post = reverse("admin:articles_story_post", args=[public.pk])
    assert 'class="warning"' not in editor_client.get(post).content.decode()
