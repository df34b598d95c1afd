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
