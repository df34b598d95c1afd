"""What a reader sees in a real browser: Playwright driving Debian's Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


def test_reader_follows_the_seed_story_from_the_list(page, seeded_site):
    page.goto(seeded_site.url + "/")
    assert page.title() == "Latest stories — Newsdesk"
    link = page.get_by_role(
        "link",
        name="North Korea to send thousands of military construction workers and deminers to Russia",
    )

    link.click()

    page.wait_for_url("**/stories/north-korea-*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("North Korea to send")
    assert page.locator(".story .meta time").inner_text() == "Jun 17, 2025, 4:31 AM EDT"
    assert page.locator(".byline").inner_text() == "The Associated Press"
    paragraphs = page.locator(".story-body p").all_inner_texts()
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("SEOUL, South Korea (AP) — Russian state news agency")
    assert paragraphs[4] == BREAKING_NOTE
    assert paragraphs[5].startswith("SEOUL, South Korea (AP) — A top Russian security official")
    # The stylesheet arrived: the note is set off from the story text.
    assert (
        page.locator(".editors-note").evaluate("e => getComputedStyle(e).borderLeftStyle")
        == "solid"
    )

    page.get_by_role("link", name="Revision history").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Revision history"
    page.get_by_role("link", name="Revision 1").click()
    assert "an earlier version of this story" in page.locator(".earlier-version").inner_text()
    assert len(page.locator(".story-body p").all_inner_texts()) == 5


def test_skip_link_moves_focus_to_the_content(page, seeded_site):
    page.goto(seeded_site.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


@pytest.mark.parametrize(
    "path",
    [
        reverse("articles:story_list"),
        reverse("articles:story_detail", kwargs={"slug": SEED_SLUG}),
        reverse("articles:story_history", kwargs={"slug": SEED_SLUG}),
        reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1}),
        "/stories/no-such-story/",
    ],
)
def test_pages_pass_the_axe_accessibility_checks(page, seeded_site, path):
    page.goto(seeded_site.url + path)

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()
