"""A reader meets a withdrawn story in a real browser: a notice with the reason, not the story."""

import pytest

from articles.publishing import withdraw
from tests.browser.checks import axe_report
from tests.helpers import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


def test_reader_following_an_old_link_to_a_withdrawn_story_is_told_why(page, seeded_site):
    withdraw(SEED_SLUG, "The Associated Press withdrew this story: its source retracted.")

    response = page.goto(f"{seeded_site.url}/stories/{SEED_SLUG}/")

    assert response.status == 410
    assert page.title() == "Story withdrawn — Newsdesk"
    assert page.get_by_role("heading", level=1).inner_text() == "This story has been withdrawn"
    assert "its source retracted" in page.locator(".withdrawal-reason").inner_text()
    assert page.locator(".story-body").count() == 0  # nothing of the story itself
    assert not axe_report(page, page.url)
    page.get_by_role("link", name="Read the latest stories").click()
    page.wait_for_url(seeded_site.url + "/")
    assert "North Korea" not in page.locator("main").inner_text()
