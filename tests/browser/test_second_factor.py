"""An editor signs in with the code their authenticator app shows, where one is required."""

import io

import pytest
from django.core.management import call_command

from tests.browser.checks import axe_report
from tests.helpers import enrolment_in, totp

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]


def test_editor_signs_in_with_a_code_from_their_authenticator(
    page, seeded_site, editors_group, settings
):
    settings.REQUIRE_SECOND_FACTOR = True  # as in production
    out = io.StringIO()
    call_command("create_editor", "eve", "--name", "Eve Park", stdout=out)
    password = out.getvalue().split("\n\n")[1].strip()
    secret = enrolment_in(out.getvalue()).secret

    page.goto(seeded_site.url + "/admin/")
    page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    assert "Enter the code from your authenticator app" in page.locator(".errornote").inner_text()
    assert not axe_report(page, "code asked")

    page.get_by_label("Password").fill(password)
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(seeded_site.url + "/admin/")
    assert page.get_by_role("link", name="Stories", exact=True).first.is_visible()
