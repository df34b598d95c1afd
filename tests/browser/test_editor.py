"""An editor in a real browser: log in, post a breaking update, see it live."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


@pytest.fixture
def editor_login(seeded_site, editors_group):
    """An editor made as the README says, with the password create_editor prints."""
    out = io.StringIO()
    call_command("create_editor", "eve", "--name", "Eve Park", stdout=out)
    password = out.getvalue().split("\n\n")[1].strip()
    return "eve", password


def log_in(page, site, username, password, path="/admin/"):
    page.goto(site.url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


PUBLICATION_NOTE = "THIS IS A BREAKING NEWS UPDATE. Newsdesk’s earlier story follows below."


def test_editor_posts_a_breaking_update_with_a_preview_in_four_actions(
    page, seeded_site, editor_login
):
    log_in(page, seeded_site, *editor_login)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site.url + reverse("admin:articles_story_changelist"))
    actions = 0

    page.get_by_role("link", name="Post an update to “North Korea to send thousands").click()
    actions += 1
    assert page.get_by_label("Breaking update").is_checked()
    text = page.get_by_role("textbox", name="Text")
    # Kind and text first: the text box fits the first screen of a phone.
    box = text.bounding_box()
    assert box["y"] + box["height"] <= 844
    text.fill(
        "SEOUL, South Korea (AP) — Shoigu said the first workers would arrive within weeks."
        "\n\nHe gave no figure."
    )
    actions += 1
    page.get_by_role("button", name="Preview").click()
    actions += 1

    # The public page as readers will see it, with the pasted dateline taken out.
    assert page.get_by_role("heading", name="Preview: not posted yet").is_visible()
    assert "was taken out" in page.locator(".preview-message").inner_text()
    paragraphs = page.locator(".story-body p").all_inner_texts()
    assert paragraphs[:2] == [
        "SEOUL, South Korea (AP) — Shoigu said the first workers would arrive within weeks.",
        "He gave no figure.",
    ]
    assert paragraphs[2].endswith(f"by Newsdesk\n{PUBLICATION_NOTE}")
    assert Story.objects.get(slug=SEED_SLUG).revision_number == 2  # nothing posted yet
    page.get_by_role("button", name="Post this update").click()
    actions += 1

    assert actions <= 4
    assert "Posted revision 3" in page.locator(".messagelist").inner_text()
    page.get_by_role("link", name="Read it on the site").click()
    page.wait_for_url(f"**/stories/{SEED_SLUG}/")
    shown = page.locator(".story-body p").all_inner_texts()
    assert shown[:2] == paragraphs[:2]
    # The note is dated when the update was posted, a moment after the preview: the
    # minute it shows may have turned in between.
    assert shown[2].endswith(f"by Newsdesk\n{PUBLICATION_NOTE}")
    assert page.locator(".breaking").text_content().strip() == "Breaking"
    page.get_by_role("navigation", name="This story").get_by_role(
        "link", name="Revision history"
    ).click()
    assert "Eve Park" in page.locator(".history-entry").first.inner_text()


def test_second_editor_keeps_their_text_when_overtaken(page, seeded_site, editor_login):
    log_in(page, seeded_site, *editor_login)
    story = Story.objects.get(slug=SEED_SLUG)
    page.goto(seeded_site.url + reverse("admin:articles_story_post", args=[story.pk]))
    page.get_by_role("textbox", name="Text").fill("My new top, typed while someone else posted.")
    # Another editor posts revision 3 meanwhile.
    publish(
        SEED_SLUG,
        Dispatch(
            headline=story.headline,
            body="The other editor’s top.",
            kind=Kind.BREAKING_UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=2,
    )

    page.get_by_role("button", name="Post revision 3").click()

    assert page.get_by_role("heading", name="Someone posted while you were editing").is_visible()
    text = page.get_by_role("textbox", name="Text")
    assert text.input_value() == "My new top, typed while someone else posted."
    # Compact: what the other editor changed, the unchanged story folded to a line, then
    # this editor's text right below, and the story not repeated under the form.
    assert page.locator(".newsdesk-diff ins").first.inner_text() == (
        "SEOUL, South Korea (AP) — The other editor’s top."
    )
    assert "paragraphs unchanged" in page.locator(".newsdesk-same").inner_text()
    assert page.locator(".newsdesk-as-it-stands").count() == 0
    assert text.bounding_box()["y"] < 1500
    page.get_by_role("button", name="Post on top of revision 3").click()
    assert "Posted revision 4" in page.locator(".messagelist").inner_text()


# Django's read-only inline table has empty header cells (its own markup), and on the
# story's page axe finds Django's breadcrumb and "View on site" links too close in colour
# to the text around them: that page's check leaves those parts of Django's out.
DJANGO_CHROME = {"exclude": [[".breadcrumbs"], ["#revisions-group thead"], ["td.original"]]}


# Each page with the part of it axe checks (None: all of it).
EDITOR_PAGES = {
    "post": None,
    "preview": None,
    "conflict": None,
    "add": None,
    "changelist": None,
    "unusable filters": None,
    "change": DJANGO_CHROME,
}


def test_editor_pages_pass_axe_and_the_content_security_policy(
    page, watched, seeded_site, editor_login
):
    log_in(page, seeded_site, *editor_login)
    story = Story.objects.get(slug=SEED_SLUG)
    post = reverse("admin:articles_story_post", args=[story.pk])
    urls = {
        "post": post,
        "preview": post,
        "conflict": post,
        "add": reverse("admin:articles_story_add"),
        "change": reverse("admin:articles_story_change", args=[story.pk]),
        "changelist": reverse("admin:articles_story_changelist"),
        "unusable filters": reverse("admin:articles_story_changelist") + "?updated_at__year=0",
    }
    reports = []

    for view, scope in EDITOR_PAGES.items():
        watched(seeded_site.url + urls[view])
        if view == "preview":
            page.get_by_role("textbox", name="Text").fill("A top to preview.")
            page.get_by_role("button", name="Preview").click()
            assert page.get_by_role("heading", name="Preview: not posted yet")
        if view == "conflict":
            page.get_by_role("textbox", name="Text").fill("A top that will be overtaken.")
            page.get_by_text("Note, headline, dateline and byline").click()
            page.get_by_label("Headline").fill("A changed headline")
            page.evaluate("document.querySelector('input[name=base_revision]').value = '1'")
            page.get_by_role("button", name="Post revision").click()
            assert page.get_by_role("heading", name="Someone posted while you were editing")
        reports.append(watched.axe(view, context=scope))
    # The rest of what an editor opens runs within the policy too.
    revision = story.revisions.get(number=2)
    for path in [
        reverse("admin:index"),
        reverse("admin:articles_story_changelist") + "?q=Korea&kind__exact=breaking_update",
        reverse("admin:articles_revision_changelist"),
        reverse("admin:articles_revision_change", args=[revision.pk]),
    ]:
        assert watched(seeded_site.url + path).locator("#content").count() == 1, path
    # The revision's long title is not hidden under its History and View on site buttons.
    title = page.locator("#content h2").first.bounding_box()
    tools = page.locator(".object-tools").bounding_box()
    assert not overlap(title, tools), (title, tools)

    assert not any(reports), "\n\n".join(filter(None, reports))
    # The admin's own scripts ran: the theme toggle and the sidebar are live.
    assert page.evaluate("typeof window.django") == "object"
    assert watched.complaints == []


def overlap(box, other):
    """Whether two bounding boxes (Playwright's x, y, width, height) share any area."""
    return (
        box["x"] < other["x"] + other["width"]
        and other["x"] < box["x"] + box["width"]
        and box["y"] < other["y"] + other["height"]
        and other["y"] < box["y"] + box["height"]
    )
