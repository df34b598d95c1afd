"""The Content-Security-Policy and escaping as Chromium enforces them."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.browser.checks import axe_report
from tests.helpers import BREAKING_NOTE

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]

INJECTED = (
    "<img src=x onerror=\"window.__pwned = 'img'\"><script>window.__pwned = 'script'</script>"
)


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


def test_the_lockout_page_says_what_happened_and_passes_axe(page, seeded_site, client):
    User.objects.create_superuser("ed", password="a long passphrase")
    for _ in range(4):  # from the browser's address too
        client.post(reverse("admin:login"), {"username": "ed", "password": "wrong"})

    page.goto(seeded_site.url + reverse("admin:login"))
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Sign-in locked"
    assert not axe_report(page, "lockout")
