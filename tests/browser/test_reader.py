"""What a reader sees in a real browser: Playwright driving Debian's Chromium."""

import pytest
from django.urls import reverse

from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, aware

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


def test_reader_follows_the_seed_story_from_the_list(page, seeded_site):
    page.goto(seeded_site.url + "/")
    assert page.title() == "Latest stories — Newsdesk"
    # A keyboard's first stop skips the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
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
    assert paragraphs[4] == f"Update posted Jun 17, 4:31 AM EDT by AP\n{BREAKING_NOTE}"
    assert paragraphs[5].startswith("SEOUL, South Korea (AP) — A top Russian security official")
    # The stylesheet arrived: the note is set off from the story text.
    assert (
        page.locator(".editors-note").evaluate("e => getComputedStyle(e).borderLeftStyle")
        == "solid"
    )

    page.get_by_role("link", name="Revision history").first.click()
    assert page.locator(".kicker").inner_text() == "REVISION HISTORY"
    page.get_by_role("link", name="Original", exact=True).click()
    assert "an earlier version of this story" in page.locator(".earlier-version").inner_text()
    assert len(page.locator(".story-body p").all_inner_texts()) == 5


def test_reader_searches_narrows_by_place_and_sees_what_changed(page, seeded_site, seed_parts):
    publish(
        "shoigu-in-moscow",
        Dispatch(
            headline="Shoigu returns to Moscow",
            body="Sergei Shoigu flew back from Pyongyang.",
            kind=Kind.ORIGINAL,
            dateline_place="MOSCOW",
            agency="AP",
            wire_time=aware(2025, 6, 18, 9, 0),
        ),
        expected_revision=0,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site.url + "/")

    page.get_by_label("Search the archive").fill("Shoigu")
    page.get_by_role("button", name="Search").click()

    assert page.locator(".story-list h2").count() == 2
    # Results first: the filters stay folded, and the first headline is on the first screen.
    assert not page.get_by_label("Dateline place").is_visible()
    assert page.locator(".story-list h2").first.bounding_box()["y"] + 30 < 844
    # The match is marked in the headline as in the text.
    assert page.locator(".story-list h2 mark").first.inner_text() == "Shoigu"
    assert page.locator(".story-list .lede mark").first.inner_text() == "Shoigu"
    page.get_by_text("Filters: place, kind, byline, dates").click()
    page.get_by_label("Dateline place").select_option(label="SEOUL, South Korea (1)")
    page.get_by_role("button", name="Apply filters").click()
    assert "place=SEOUL" in page.url and "q=Shoigu" in page.url
    assert page.locator(".story-list h2").all_inner_texts() == [
        "North Korea to send thousands of military construction workers and deminers to Russia"
    ]
    assert page.locator("[role=status]").inner_text() == (
        "1 story matches “Shoigu” with these filters."
    )
    # Counts agree with what is shown, and only choices with stories are offered.
    page.get_by_text("Filters: SEOUL, South Korea").click()
    kinds = page.get_by_label("Kind of the latest revision").locator("option").all_inner_texts()
    assert kinds == ["Any kind", "Breaking update (1)"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Times stay whole on a phone.
    assert page.locator(".story-list time").evaluate("e => getComputedStyle(e).whiteSpace") == (
        "nowrap"
    )

    page.locator(".story-list h2 a").click()
    page.get_by_role("link", name="What changed in this version").click()

    assert page.locator(".kicker").inner_text() == "WHAT CHANGED"
    inserted = page.locator(".diff p > ins").all_inner_texts()
    assert inserted == [*seed_parts.top, BREAKING_NOTE]
    assert page.locator(".diff del").count() == 0
    # Readable without colour: added text is underlined.
    line = page.locator(".diff ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert line == "underline"


# Every public page's kind, and each error page (tests/failing_urls.py reaches them);
# the story, its history and compare are checked in their fullest state, below.
CHECKED_PAGES = [
    reverse("articles:story_list"),
    reverse("articles:revision_detail", kwargs={"slug": SEED_SLUG, "number": 1}),
    reverse("articles:story_list") + "?q=Shoigu&place=SEOUL%2C+South+Korea",
    reverse("articles:story_list") + "?q=zeppelin&date_from=2025-13-45",
    reverse("articles:archive"),
    reverse("articles:archive_year", args=["2025"]),
    reverse("articles:archive_month", args=["2025", "06"]),
    reverse("articles:archive_day", args=["2025", "06", "17"]),
    "/stories/no-such-story/",
    "/suspicious/",
    "/forbidden/",
    "/boom/",
    "/unavailable/",
]


def test_public_and_error_pages_pass_axe_and_the_content_security_policy(
    watched, seeded_site, settings
):
    settings.ROOT_URLCONF = "tests.failing_urls"
    reports = []

    for path in CHECKED_PAGES:
        page = watched(seeded_site.url + path)
        reports.append(watched.axe(path))
        if page.locator(".site-header").count() != 1:
            reports.append(f"{path}: not in the site's look")

    assert not any(reports), "\n\n".join(filter(None, reports))
    assert watched.complaints == []


def test_reader_pages_back_through_older_stories_and_returns(page, seeded_site):
    for day in range(1, 26):
        publish(
            f"story-{day}",
            Dispatch(f"Council meets, day {day}", "Text.", wire_time=aware(2025, 7, day, 12)),
            expected_revision=0,
        )
    page.goto(seeded_site.url + "/")
    assert page.locator(".story-summary h2").first.inner_text() == "Council meets, day 25"

    page.get_by_role("link", name="Older stories").click()
    page.wait_for_url("**/?before=*")  # reading the list must wait for the new page

    headlines = page.locator(".story-summary h2").all_inner_texts()
    assert headlines == [f"Council meets, day {day}" for day in range(5, 0, -1)] + [
        "North Korea to send thousands of military construction workers and deminers to Russia"
    ]
    assert "and earlier" in page.locator(".page-position").inner_text()
    assert page.get_by_role("link", name="Older stories").count() == 0
    page.get_by_role("link", name="Newer stories").click()
    page.wait_for_url("**/?after=*")
    assert page.locator(".story-summary h2").first.inner_text() == "Council meets, day 25"
    assert page.get_by_role("link", name="Newer stories").count() == 0


def test_reader_follows_a_story_through_four_updates(page, watched, seeded_site):
    """The seed's breaking update, then three more (the last an editor's): the page says
    when each came and who sent it, and folds the earlier tops away."""
    tops = [
        "Shoigu said the first workers would arrive within weeks.",
        "North Korea confirmed the deployment in a state media report.",
        "South Korea's spy agency said about 1,000 deminers would go first.",
    ]
    for number, top in enumerate(tops, start=2):
        publish(
            SEED_SLUG,
            Dispatch(
                headline="North Korea to send thousands of military construction workers and deminers to Russia",
                body=top,
                kind=Kind.BREAKING_UPDATE,
                dateline_place="SEOUL, South Korea",
                agency="AP",
                byline="By CHARLES ODUM and KIM TONG-HYUNG, AP Sports Writer",
                editors_note=BREAKING_NOTE,
                wire_time=aware(2025, 6, 17, 4 + 2 * number, 5),
            ),
            expected_revision=number,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site.url + reverse("articles:story_detail", kwargs={"slug": SEED_SLUG}))

    times = page.locator(".story-times").inner_text()
    assert "First published Jun 17, 2025, 4:31 AM EDT" in times
    assert "Last updated Jun 17, 2025, 12:05 PM EDT" in times
    updates = page.get_by_role("navigation", name="Updates to this story").locator("li")
    assert updates.count() == 5
    assert updates.first.inner_text().startswith("Jun 17, 12:05 PM EDT Update, AP: South Korea")
    # The newest top first, its note dated and signed; the earlier tops folded away.
    assert page.locator(".story-body > .version > p").first.inner_text().endswith(tops[-1])
    assert (
        page.locator(".note-meta").first.inner_text() == "Update posted Jun 17, 12:05 PM EDT by AP"
    )
    earlier = page.locator(".earlier-tops")
    assert earlier.locator("summary").inner_text() == (
        "Earlier updates (3), Jun 17, 4:31 AM EDT to Jun 17, 10:05 AM EDT"
    )
    assert not page.get_by_text(tops[0]).last.is_visible()
    # Following an earlier update from the list opens it, without JavaScript's help.
    updates.nth(2).get_by_role("link").click()
    assert page.locator("#update-3").is_visible()
    # The byline as the wire writes it, never broken inside a name on a phone.
    assert page.locator(".byline").inner_text() == (
        "By CHARLES ODUM and KIM TONG-HYUNG, AP Sports Writer"
    )
    assert page.locator(".byline .nobreak").nth(1).evaluate("e => e.getClientRects().length") == 1
    assert page.locator(".dateline").first.evaluate("e => getComputedStyle(e).unicodeBidi") == (
        "isolate"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Revision history").first.click()
    entries = page.locator(".history-entry")
    assert entries.count() == 5
    assert entries.first.inner_text().split("\n\n")[:2] == [
        "Jun 17, 2025, 12:05 PM EDT",
        "Breaking update by AP",
    ]
    assert page.locator(".timeline-picture circle").count() == 5
    entries.first.get_by_role("link", name="See what changed").click()
    assert (
        "Version 4, breaking update, Jun 17, 2025, 10:05 AM EDT"
        in page.locator(".compare-sides").inner_text()
    )
    assert page.locator(".unchanged summary").inner_text() == "14 unchanged paragraphs"
    assert page.locator(".legend").inner_text() == "Underlined text was added."

    reports = []
    for path in [
        reverse("articles:story_detail", kwargs={"slug": SEED_SLUG}),
        reverse("articles:story_history", kwargs={"slug": SEED_SLUG}),
        reverse("articles:story_compare", kwargs={"slug": SEED_SLUG}) + "?from=1&to=5",
    ]:
        watched(seeded_site.url + path)
        reports.append(watched.axe(path))
    assert not any(reports), "\n\n".join(filter(None, reports))
    assert watched.complaints == []
