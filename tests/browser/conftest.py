import pytest

from tests.browser.checks import RECORD_VIOLATIONS, axe_report


@pytest.fixture
def watched(page):
    """visit(url): the page, with every CSP violation and console complaint about one
    collected in visit.complaints; visit.axe(name) checks the page as it stands."""
    complaints = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if not visit.auditing
            and ("Content Security Policy" in message.text or "Refused to" in message.text)
            else None
        ),
    )
    page.on("dialog", lambda dialog: complaints.append(f"dialog: {dialog.message}"))

    def visit(url=None):
        """Go to `url` (waiting for the load event: every script and style has run), or
        stay on the page after a click, and collect what it caused."""
        if url is not None:
            page.goto(url)
        complaints.extend(page.evaluate("window.__violations.splice(0)"))
        return page

    def axe(name, context=None):
        """axe_report() of the page; the inline styles axe itself sets while it measures
        are refused by the policy too, and are not the page's complaints."""
        visit()
        visit.auditing = True
        try:
            return axe_report(page, name, context)
        finally:
            page.evaluate("window.__violations.splice(0)")
            visit.auditing = False

    visit.complaints = complaints
    visit.auditing = False
    visit.axe = axe
    return visit
