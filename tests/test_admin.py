import pytest
from django.urls import reverse

from tests.helpers import SEED_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(seed_story):
    return seed_story.revisions.get(number=1)


def test_admin_lists_stories_and_revisions(admin_client, seed_story):
    stories = admin_client.get(reverse("admin:articles_story_changelist"))
    revisions = admin_client.get(reverse("admin:articles_revision_changelist"))

    assert stories.status_code == 200
    assert seed_story.headline in stories.content.decode()
    assert revisions.status_code == 200
    assert "(revision 2)" in revisions.content.decode()


def test_admin_shows_a_story_with_its_revisions_read_only(admin_client, seed_story):
    page = admin_client.get(reverse("admin:articles_story_change", args=[seed_story.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "View story" in content
    assert 'name="_save"' not in content
    assert "THIS IS A BREAKING NEWS UPDATE." in content
    assert SEED_SLUG in content


def test_admin_shows_a_revision_read_only(admin_client, revision):
    page = admin_client.get(reverse("admin:articles_revision_change", args=[revision.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_admin_cannot_post_changes_to_a_revision(admin_client, revision):
    url = reverse("admin:articles_revision_change", args=[revision.pk])

    response = admin_client.post(url, {"body": "Rewritten history.", "number": 1})

    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.body.startswith("A top Russian security official")


@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_story_add", "admin:articles_revision_add"],
)
def test_admin_cannot_add_outside_the_write_path(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 403


def test_admin_cannot_delete_history(admin_client, seed_story, revision):
    for url in (
        reverse("admin:articles_story_delete", args=[seed_story.pk]),
        reverse("admin:articles_revision_delete", args=[revision.pk]),
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert seed_story.revisions.count() == 2
