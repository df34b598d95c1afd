"""What a browser test checks of any page: its accessibility (axe-core, bundled by
axe-playwright-python) and the Content-Security-Policy violations it caused."""

from axe_playwright_python.sync_playwright import Axe

# Runs before any page script, outside the page's policy: records every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def axe_report(page, name, context=None):
    """axe's report of the page as it stands, empty when it found nothing."""
    results = Axe().run(page, context=context)
    return f"{name}:\n{results.generate_report()}" if results.violations_count else ""
