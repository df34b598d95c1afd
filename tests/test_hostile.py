"""The hostile corpus (tests/hostile.py) through every entry point and every output: a
string is stored and every output shows it inert, or it is refused with a message a
person can act on; nothing fails otherwise. Each test runs the whole corpus and names
every string that fails. A new entry point or output is one line in the tables below.
"""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, EditConflict, publish
from articles.text import Kind
from articles.wire.importing import ImportRefused, import_wire_file
from articles.wire.plaintext import DEFAULT_MAX_BYTES
from tests.helpers import BREAKING_NOTE
from tests.hostile import BROKEN_UTF8, CONTROL, CORPUS, STRINGS, Failures, encoded, output_problems

pytestmark = pytest.mark.django_db

SLUG = "hostile-story"


# Entry points that write: each stores `payload` in each of `fields` (cut to what the
# field holds) and returns the story, or returns the refusal's message.

FITS = {"headline": 300, "place": 100, "dateline_place": 100, "agency": 40, "byline": 200}


def fitted(fields, payload, fits=FITS):
    return {field: payload[: fits.get(field, len(payload))] for field in fields}


# A story shown by every output holds the whole string in its body and up to this much
# of it in its other unbounded fields: three megabytes a page would cost the suite
# seconds and show nothing one does not, and each field holds a megabyte alone in
# test_each_field_stores_hostile_text_or_refuses_it_clearly.
SHOWN_FITS = FITS | {"editors_note": 10_000, "contributors": 10_000}


def via_importer(tmp_path, fields, payload, fits=FITS, slug=SLUG):
    parts = {
        "headline": "Storm hits coast",
        "time_line": "Jun 17, 2025 | 4:31 AM",
        "place": "MIAMI",
        "top": "The new top.",
        "earlier": "The earlier story.",
        "byline": "The Associated Press",
    }
    parts.update(fitted(fields, payload, fits))
    text = (
        f"{parts['headline']}\n\n{parts['time_line']}\n\n"
        f"{parts['place']} (AP) — {parts['top']}\n\n{BREAKING_NOTE}\n\n"
        f"MIAMI (AP) — {parts['earlier']}\n\n{parts['byline']}\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        return import_wire_file(path, slug=slug).story
    except ImportRefused as refused:
        return str(refused)


IMPORTER_FIELDS = ["headline", "time_line", "place", "top", "earlier", "byline"]


def via_publishing(tmp_path, fields, payload, fits=FITS, slug=SLUG):
    slug = payload if "slug" in fields else slug
    dispatch = Dispatch(
        headline="Storm hits coast",
        body="The first paragraph.\n\nThe second paragraph.",
        kind=Kind.CORRECTION,  # shows the note and the contributors
        dateline_place="MIAMI",
        agency="AP",
        byline="By JANE DOE",
        editors_note="Corrects the place.",
        contributors="Jane Roe contributed.",
    )
    dispatch = replace(dispatch, **fitted(set(fields) - {"slug"}, payload, fits))
    try:
        publish(slug, replace(dispatch, kind=Kind.ORIGINAL), expected_revision=0)
        publish(slug, dispatch, expected_revision=1)
    except ValidationError as refused:
        return "; ".join(refused.messages)
    except EditConflict as refused:
        return str(refused)
    return Story.objects.get(slug=slug)


PUBLISHING_FIELDS = [
    "headline",
    "body",
    "dateline_place",
    "agency",
    "byline",
    "editors_note",
    "contributors",
]

# Each write path with the fields it writes, all at once; FIELDS tries one at a time.
WRITE_PATHS = {
    # The time line and the dateline's place are structure, not free text: the parser
    # reads them, and a file where they are not a time and a place is refused (each is
    # tried on its own in FIELDS, where a clear refusal is the right outcome).
    "import_wire": (
        via_importer,
        [f for f in IMPORTER_FIELDS if f not in ("time_line", "place")],
    ),
    "publish": (via_publishing, PUBLISHING_FIELDS),
}
FIELDS = {
    f"{path}.{field}": (write, field)
    for path, (write, fields) in WRITE_PATHS.items()
    for field in fields
} | {
    "import_wire.time_line": (via_importer, "time_line"),
    "import_wire.place": (via_importer, "place"),
    "publish.slug": (via_publishing, "slug"),
}


def page(name, *args):
    """The address of a named page, in the admin or (without a prefix) the site."""
    return reverse(name if ":" in name else f"articles:{name}", args=args)


# Everything that shows a story: a URL for the story, and what kind of output it is.
STORY_OUTPUTS = {
    "story_detail": (lambda story: story.get_absolute_url(), "html"),
    "story_history": (lambda story: story.get_history_url(), "html"),
    "revision_detail": (lambda story: page("revision_detail", story.slug, 1), "html"),
    "admin_story": (lambda story: page("admin:articles_story_change", story.pk), "html"),
    "admin_revision": (
        lambda story: page("admin:articles_revision_change", story.revisions.get(number=2).pk),
        "html",
    ),
    "history_atom": (lambda story: page("story_history_atom", story.slug), "xml"),
    "api_story": (lambda story: page("api_story", story.slug), "json"),
    "api_revision": (lambda story: page("api_revision", story.slug, 1), "json"),
    "version_json": (lambda story: page("story_version", story.slug), "json"),
}
# Everything that lists stories: each shows at least LISTED of the newest at once, so it
# is read once for as many stories.
LIST_OUTPUTS = {
    "story_list": (lambda: "/", "html"),
    "admin_list": (lambda: page("admin:articles_story_changelist") + "?q=Storm", "html"),
    "rss": (lambda: page("latest_rss"), "xml"),
    "atom": (lambda: page("latest_atom"), "xml"),
    "sitemap": (lambda: "/sitemap.xml", "xml"),
    "news_sitemap": (lambda: "/news-sitemap.xml", "xml"),
    "api_list": (lambda: page("api_story_list"), "json"),
}
LISTED = 20

# Public URLs and the query parameters each reads; every one also gets parameters it
# does not read, and the hostile string as a parameter name.
QUERY_TARGETS = {
    "story_list": ("/", ["page"]),
    "story_detail": ("/stories/hostile-story/", []),
    "story_history": ("/stories/hostile-story/history/", []),
    "revision_detail": ("/stories/hostile-story/revisions/1/", []),
    "rss": ("/feeds/latest.rss", []),
    "atom": ("/feeds/latest.atom", []),
    "history_atom": ("/stories/hostile-story/history.atom", []),
    "version_json": ("/stories/hostile-story/version.json", []),
    "api_list": ("/api/stories/", ["page", "q"]),
    "api_story": ("/api/stories/hostile-story/", []),
    "api_revision": ("/api/stories/hostile-story/revisions/1/", []),
    "sitemap": ("/sitemap.xml", []),
    "sitemap_section": ("/sitemap-stories.xml", ["p"]),
    "news_sitemap": ("/news-sitemap.xml", []),
    "robots": ("/robots.txt", []),
    "healthz": ("/healthz", []),
    "admin_login": ("/admin/login/", ["next"]),
}
UNREAD_PARAMETERS = ["q", "sort", "format"]
# gunicorn refuses a request line over limit_request_line (4094 bytes by default, 8190
# at most) before Django sees it, so no address or query string longer than that ever
# reaches a view. The corpus's megabyte strings are cut to this many characters there:
# still twice past any request line gunicorn takes, without decoding megabytes per request.
REQUEST_LINE_CHARS = 16_384


def assert_clear_refusal(message):
    assert message and len(message) < 1000, message  # says why; does not echo a megabyte


def expected_refusal(write, fields, name):
    """Control characters are refused everywhere, and line separators in a wire file
    break its structure; a megabyte in each of several paragraphs makes a file over
    the importer's limit."""
    too_big = (
        write is via_importer
        and len(STRINGS[name].encode("utf-8", "surrogatepass")) * len(fields) > DEFAULT_MAX_BYTES
    )
    return name in CONTROL or name == "line_separators" or too_big


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create(username="ed", is_superuser=True, is_staff=True)
    )
    return client


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_hostile_text_is_stored_and_shown_inert_or_refused_clearly(editor_client, tmp_path, path):
    """Each string is a story of its own, shown by every output; a list is read once
    for as many stories as it shows at once."""
    write, fields = WRITE_PATHS[path]
    failures = Failures()
    every = list(STRINGS)

    for names in [every[start : start + LISTED] for start in range(0, len(every), LISTED)]:
        with failures.case(", ".join(names)):
            stored = {}
            for name in names:
                with failures.case(name, keep=True):
                    slug = f"hostile-{name.replace('_', '-')}"
                    outcome = write(tmp_path, fields, STRINGS[name], SHOWN_FITS, slug=slug)

                    if isinstance(outcome, str):
                        assert_clear_refusal(outcome)
                        assert not Story.objects.filter(slug=slug).exists()  # nothing half-written
                        assert expected_refusal(write, fields, name), f"refused: {outcome}"
                        continue
                    assert name not in CONTROL, "archived instead of refused"
                    stored[name] = outcome
            for output, (url, kind) in LIST_OUTPUTS.items():
                label = f"{output} listing {', '.join(stored)}"
                failures.add(label, output_problems(editor_client.get(url()), kind))
            for name, story in stored.items():
                for output, (url, kind) in STORY_OUTPUTS.items():
                    with failures.case(f"{name} on {output}"):
                        response = editor_client.get(url(story))
                        failures.add(f"{name} on {output}", output_problems(response, kind))

    failures.assert_none()


# The strings a field on its own may answer otherwise than every field at once: what is
# refused, and what SHOWN_FITS cuts. The rest each field stores in the test above; the
# fields tried only on their own get the whole corpus.
ONE_FIELD_STRINGS = {
    name: payload
    for name, payload in STRINGS.items()
    if name in CONTROL
    or name == "line_separators"
    or len(payload) > min(SHOWN_FITS[field] for field in SHOWN_FITS.keys() - FITS.keys())
}
ONLY_ON_THEIR_OWN = {"import_wire.time_line", "import_wire.place", "publish.slug"}


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_stores_hostile_text_or_refuses_it_clearly(tmp_path, field):
    write, field_name = FIELDS[field]
    failures = Failures()

    for name, payload in (STRINGS if field in ONLY_ON_THEIR_OWN else ONE_FIELD_STRINGS).items():
        with failures.case(name):
            outcome = write(tmp_path, [field_name], payload)

            if isinstance(outcome, str):
                assert_clear_refusal(outcome)
                assert not Story.objects.exists()
            else:
                assert name not in CONTROL, "archived instead of refused"

    failures.assert_none()


def test_control_characters_are_refused_naming_the_field():
    failures = Failures()

    for name, payload in CONTROL.items():
        with failures.case(name):
            with pytest.raises(ValidationError) as refused:
                publish(SLUG, Dispatch(headline="Storm", body=payload), expected_revision=0)

            (message,) = refused.value.message_dict["body"]
            assert message.startswith("Contains the control character U+")
            assert message.endswith(": only plain text can be archived.")

    failures.assert_none()


def test_a_wire_file_that_is_not_utf8_is_refused(tmp_path):
    failures = Failures()

    for name, broken in BROKEN_UTF8.items():
        with failures.case(name):
            path = tmp_path / "broken.txt"
            path.write_bytes(b"Storm hits coast\n\nMIAMI (AP) - " + broken + b"\n")

            with pytest.raises(ImportRefused, match="it is not UTF-8 text"):
                import_wire_file(path)
            assert not Story.objects.exists()

    failures.assert_none()


@pytest.mark.parametrize("target", QUERY_TARGETS)
def test_hostile_query_parameters_never_break_a_page(client, make_story, target):
    url, parameters = QUERY_TARGETS[target]
    make_story(slug="hostile-story", revisions=2)
    failures = Failures()

    for name, payload in CORPUS.items():
        with failures.case(name):
            value = encoded(payload[:REQUEST_LINE_CHARS])
            query = "&".join(
                [f"{parameter}={value}" for parameter in [*parameters, *UNREAD_PARAMETERS]]
                + [f"{value}=1"]
            )

            response = client.get(f"{url}?{query}")

            failures.add(name, output_problems(response))
            assert response.status_code in (200, 302, 400, 404), response.status_code

    failures.assert_none()


def test_hostile_addresses_are_not_found(client):
    failures = Failures()

    for name, payload in CORPUS.items():
        with failures.case(name):
            response = client.get(f"/stories/{encoded(payload[:REQUEST_LINE_CHARS])}/")

            assert response.status_code == 404
            failures.add(name, output_problems(response))

    failures.assert_none()
