"""The Content-Security-Policy and escaping as Chromium enforces them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Revision, Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

# Runs before any page script, outside the page's policy: records every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
INJECTED = (
    "<img src=x onerror=\"window.__pwned = 'img'\"><script>window.__pwned = 'script'</script>"
)


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console complaint about one collected."""
    complaints = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("dialog", lambda dialog: complaints.append(f"dialog: {dialog.message}"))

    def visit(url):
        page.goto(url)  # waits for the load event: every script and style has run
        complaints.extend(page.evaluate("window.__violations"))
        return page

    visit.complaints = complaints
    return visit


def sign_in(visit, base_url):
    User.objects.create_superuser("ed", password="a long passphrase")
    page = visit(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_public_pages_and_the_admin_run_without_a_policy_violation(watched, seeded_site):
    story = Story.objects.get(slug=SEED_SLUG)
    revision = Revision.objects.get(story=story, number=2)
    public = [
        "/",
        story.get_absolute_url(),
        story.get_history_url(),
        reverse("articles:revision_detail", args=[SEED_SLUG, 1]),
        "/stories/no-such-story/",
    ]
    for path in public:
        watched(seeded_site.url + path)

    page = sign_in(watched, seeded_site.url)
    admin_pages = [
        reverse("admin:index"),
        reverse("admin:articles_story_changelist") + "?q=Korea&kind__exact=breaking_update",
        reverse("admin:articles_story_change", args=[story.pk]),
        reverse("admin:articles_revision_changelist"),
        reverse("admin:articles_revision_change", args=[revision.pk]),
        reverse("admin:auth_user_changelist"),
    ]
    for path in admin_pages:
        page = watched(seeded_site.url + path)
        assert page.locator("#content").count() == 1, path

    # The admin's own scripts ran: the theme toggle and the sidebar are live.
    assert page.evaluate("typeof window.django") == "object"
    assert watched.complaints == []


def test_script_in_a_story_never_runs(
    watched, live_server, transactional_db, orm_beside_playwright
):
    dispatch = Dispatch(
        headline=f"Storm {INJECTED}",
        body=f"{INJECTED}\n\nSecond paragraph {INJECTED}",
        dateline_place=f"MIAMI {INJECTED}",
        agency="AP",
        byline=f"By {INJECTED}",
    )
    publish("storm", dispatch, expected_revision=0)
    publish(
        "storm",
        Dispatch(
            **{
                **dispatch.__dict__,
                "kind": Kind.BREAKING_UPDATE,
                "editors_note": f"{BREAKING_NOTE} {INJECTED}",
            }
        ),
        expected_revision=1,
    )
    story = Story.objects.get(slug="storm")

    for path in [
        "/",
        story.get_absolute_url(),
        story.get_history_url(),
        "/stories/storm/revisions/1/",
    ]:
        page = watched(live_server.url + path)

        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("img[src=x]").count() == 0
        assert INJECTED in page.locator("main").inner_text()  # shown as the text it is
    assert watched.complaints == []


ERROR_PAGES = ["/suspicious/", "/forbidden/", "/no/such/page/", "/boom/", "/unavailable/"]


def test_error_pages_pass_the_axe_accessibility_checks(page, seeded_site, settings):
    settings.ROOT_URLCONF = "tests.failing_urls"
    reports = []

    for path in ERROR_PAGES:
        page.goto(seeded_site.url + path)
        results = Axe().run(page)
        if results.violations_count:
            reports.append(f"{path}:\n{results.generate_report()}")
        if page.locator(".site-header").count() != 1:  # in the site's look
            reports.append(f"{path}: not in the site's look")

    assert not reports, "\n\n".join(reports)


def test_the_lockout_page_says_what_happened_and_passes_axe(page, seeded_site):
    User.objects.create_superuser("ed", password="a long passphrase")
    for _ in range(5):
        page.goto(seeded_site.url + reverse("admin:login"))
        page.get_by_label("Username").fill("ed")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Sign-in locked"
    assert Axe().run(page).violations_count == 0
