"""A reader left on a story learns, without reloading, that it has a newer revision."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.browser.checks import axe_report
from tests.helpers import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

STORY = reverse("articles:story_detail", kwargs={"slug": SEED_SLUG})
EARLIER = reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1})
VERSION = reverse("articles:story_version", kwargs={"slug": SEED_SLUG})


@pytest.fixture
def quick_polls(settings):
    settings.LIVE_UPDATE_SECONDS = 1  # the page's data-poll-seconds


def watch_version_checks(page):
    """The statuses of the page's version checks, as they are answered."""
    statuses = []
    page.on(
        "response",
        lambda response: statuses.append(response.status) if VERSION in response.url else None,
    )
    return statuses


def publish_update(wire_time=None):
    publish(
        SEED_SLUG,
        Dispatch(
            headline="North Korea sends workers to Russia, Shoigu says",
            body="A write-thru of the whole story.",
            kind=Kind.UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
            wire_time=wire_time,
        ),
        expected_revision=2,
    )


def test_reader_on_the_seed_story_sees_the_new_revision_arrive(page, seeded_site, quick_polls):
    statuses = watch_version_checks(page)
    page.goto(seeded_site.url + STORY)
    notice = page.get_by_role("status")
    expect(notice).to_be_empty()
    # Asked once in full, then with If-None-Match: nothing changed, nothing sent.
    page.wait_for_event(
        "response", lambda response: VERSION in response.url and response.status == 304
    )
    assert statuses[0] == 200 and 304 in statuses
    expect(notice).to_be_empty()

    publish_update(wire_time=timezone.now() - timedelta(minutes=2, seconds=5))

    expect(notice).to_have_text("Updated 2 minutes ago — read the new version")
    assert not axe_report(page, page.url)
    notice.get_by_role("link", name="read the new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North Korea sends workers to Russia, Shoigu says"
    )
    expect(page.locator(".story-body p")).to_have_text(
        ["SEOUL, South Korea (AP) — A write-thru of the whole story."]
    )


def test_reader_of_an_earlier_revision_is_told_too(page, seeded_site, quick_polls):
    page.goto(seeded_site.url + EARLIER)
    notice = page.get_by_role("status")
    page.wait_for_event("response", lambda response: VERSION in response.url)

    publish_update()

    expect(notice).to_have_text("Updated just now — read the new version")
    notice.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North Korea sends workers to Russia, Shoigu says"
    )


def test_story_page_works_without_javascript(browser, seeded_site, quick_polls):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    checks = watch_version_checks(page)

    page.goto(seeded_site.url + STORY)

    assert page.get_by_role("heading", level=1).inner_text().startswith("North Korea to send")
    assert len(page.locator(".story-body p").all_inner_texts()) == 10
    assert page.get_by_role("status").inner_text() == ""
    assert checks == []
    context.close()
