"""The hostile corpus (tests/hostile.py) through every entry point and every output.

An entry point either stores a string (then every output shows it inert: escaped, no
markup, script or URL of its own) or refuses it with a message a person can act on;
it never fails otherwise, and a page never answers 500.

To cover a new entry point, add one line to WRITE_PATHS (a function that stores a
string in a field, or returns the refusal) or to QUERY_TARGETS (a public URL and the
query parameters it reads); a new page that shows stories, one line to OUTPUTS.
"""

import json
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, EditConflict, publish
from articles.text import Kind
from articles.wire.importing import ImportRefused, import_wire_file
from articles.wire.plaintext import DEFAULT_MAX_BYTES
from tests.helpers import BREAKING_NOTE
from tests.hostile import BROKEN_UTF8, CONTROL, STRINGS

pytestmark = pytest.mark.django_db

SLUG = "hostile-story"


# Entry points that write: each stores `payload` in each of `fields` (cut to what the
# field holds) and returns the story, or returns the refusal's message.

FITS = {"headline": 300, "place": 100, "dateline_place": 100, "agency": 40, "byline": 200}


def fitted(fields, payload):
    return {field: payload[: FITS.get(field, len(payload))] for field in fields}


def via_importer(tmp_path, fields, payload):
    parts = {
        "headline": "Storm hits coast",
        "time_line": "Jun 17, 2025 | 4:31 AM",
        "place": "MIAMI",
        "top": "The new top.",
        "earlier": "The earlier story.",
        "byline": "The Associated Press",
    }
    parts.update(fitted(fields, payload))
    text = (
        f"{parts['headline']}\n\n{parts['time_line']}\n\n"
        f"{parts['place']} (AP) — {parts['top']}\n\n{BREAKING_NOTE}\n\n"
        f"MIAMI (AP) — {parts['earlier']}\n\n{parts['byline']}\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        return import_wire_file(path, slug=SLUG).story
    except ImportRefused as refused:
        return str(refused)


IMPORTER_FIELDS = ["headline", "time_line", "place", "top", "earlier", "byline"]


def via_publishing(tmp_path, fields, payload):
    slug = payload if "slug" in fields else SLUG
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
    dispatch = replace(dispatch, **fitted(set(fields) - {"slug"}, payload))
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

# Each write path with the fields it writes; WRITE_PATHS puts the string in all of them
# at once, FIELDS in one field at a time.
WRITE_PATHS = [
    # The time line and the dateline's place are structure, not free text: the parser
    # reads them, and a file where they are not a time and a place is refused (each is
    # tried on its own in FIELDS, where a clear refusal is the right outcome).
    pytest.param(
        via_importer,
        [f for f in IMPORTER_FIELDS if f not in ("time_line", "place")],
        id="import_wire",
    ),
    pytest.param(via_publishing, PUBLISHING_FIELDS, id="publish"),
]
FIELDS = [
    pytest.param(write, [field], id=f"{path.id}.{field}")
    for path in WRITE_PATHS
    for write, fields in [path.values]
    for field in fields
] + [
    pytest.param(via_importer, ["time_line"], id="import_wire.time_line"),
    pytest.param(via_importer, ["place"], id="import_wire.place"),
    pytest.param(via_publishing, ["slug"], id="publish.slug"),
]

# Everything that shows a story: a URL for the story, and how its output must be inert.
OUTPUTS = [
    pytest.param(lambda story: "/", "html", id="story_list"),
    pytest.param(lambda story: story.get_absolute_url(), "html", id="story_detail"),
    pytest.param(lambda story: story.get_history_url(), "html", id="story_history"),
    pytest.param(
        lambda story: reverse("articles:revision_detail", args=[story.slug, 1]),
        "html",
        id="revision_detail",
    ),
    pytest.param(
        lambda story: reverse("admin:articles_story_change", args=[story.pk]),
        "html",
        id="admin_story",
    ),
    pytest.param(
        lambda story: reverse(
            "admin:articles_revision_change", args=[story.revisions.get(number=2).pk]
        ),
        "html",
        id="admin_revision",
    ),
    pytest.param(
        lambda story: reverse("admin:articles_story_changelist") + "?q=Storm",
        "html",
        id="admin_list",
    ),
    pytest.param(lambda story: reverse("articles:latest_rss"), "xml", id="rss"),
    pytest.param(lambda story: reverse("articles:latest_atom"), "xml", id="atom"),
    pytest.param(
        lambda story: reverse("articles:story_history_atom", args=[story.slug]),
        "xml",
        id="history_atom",
    ),
    pytest.param(lambda story: "/sitemap.xml", "xml", id="sitemap"),
    pytest.param(lambda story: "/news-sitemap.xml", "xml", id="news_sitemap"),
    pytest.param(lambda story: reverse("articles:api_story_list"), "json", id="api_list"),
    pytest.param(
        lambda story: reverse("articles:api_story", args=[story.slug]), "json", id="api_story"
    ),
    pytest.param(
        lambda story: reverse("articles:api_revision", args=[story.slug, 1]),
        "json",
        id="api_revision",
    ),
    pytest.param(
        lambda story: reverse("articles:story_version", args=[story.slug]),
        "json",
        id="version_json",
    ),
]

# Public URLs and the query parameters each reads; every one also gets parameters it
# does not read, and the hostile string as a parameter name.
QUERY_TARGETS = [
    pytest.param("/", ["page"], id="story_list"),
    pytest.param("/stories/hostile-story/", [], id="story_detail"),
    pytest.param("/stories/hostile-story/history/", [], id="story_history"),
    pytest.param("/stories/hostile-story/revisions/1/", [], id="revision_detail"),
    pytest.param("/feeds/latest.rss", [], id="rss"),
    pytest.param("/feeds/latest.atom", [], id="atom"),
    pytest.param("/stories/hostile-story/history.atom", [], id="history_atom"),
    pytest.param("/stories/hostile-story/version.json", [], id="version_json"),
    pytest.param("/api/stories/", ["page", "q"], id="api_list"),
    pytest.param("/api/stories/hostile-story/", [], id="api_story"),
    pytest.param("/api/stories/hostile-story/revisions/1/", [], id="api_revision"),
    pytest.param("/sitemap.xml", [], id="sitemap"),
    pytest.param("/sitemap-stories.xml", ["p"], id="sitemap_section"),
    pytest.param("/news-sitemap.xml", [], id="news_sitemap"),
    pytest.param("/robots.txt", [], id="robots"),
    pytest.param("/healthz", [], id="healthz"),
    pytest.param("/admin/login/", ["next"], id="admin_login"),
]
UNREAD_PARAMETERS = ["q", "sort", "format"]


# What "inert" means for an HTML page.

DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "style", "math", "frame"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster"}


def same_site(url):
    """A path on this site, or an absolute address of it (canonical and feed links)."""
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(
        "http://testserver/"
    )


class InertChecker(HTMLParser):
    """Collects what in a page could run, load or navigate on an attacker's behalf."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        if tag == "link" and not same_site(attributes.get("href") or ""):
            self.problems.append(f"<link href={attributes.get('href')!r}>")
        if tag == "script":
            self.in_script = attributes
            src = attributes.get("src") or ""
            if not same_site(src) and attributes.get("type") != "application/ld+json":
                self.problems.append(f"<script {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value and not same_site(value):
                if value.strip().lower().startswith(("javascript:", "data:text", "//", "http")):
                    self.problems.append(f"{name}={value[:60]!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is None:
            return
        if self.in_script.get("type") == "application/ld+json":
            json.loads(data)  # structured data must stay one valid JSON value
        elif data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


def html_problems(markup):
    checker = InertChecker()
    checker.feed(markup)
    checker.close()
    return checker.problems


# Elements of feeds whose text readers render as HTML.
HTML_IN_XML = {"description", "summary", "content"}


def assert_inert(response, kind=None):
    """The response escapes or refuses: never a 500, nothing that runs or loads."""
    assert response.status_code < 500, response.status_code
    content_type = response.get("Content-Type", "")
    content = response.content.decode()
    assert settings.SECRET_KEY not in content
    kind = kind or next(
        (name for name in ("html", "xml", "json") if name in content_type), "text/plain"
    )
    assert kind in content_type, content_type  # nothing is sniffed as something else
    if kind == "html":
        assert html_problems(content) == []
    elif kind == "xml":
        for element in ElementTree.fromstring(response.content).iter():  # well-formed
            if element.tag.rpartition("}")[2] in HTML_IN_XML and element.text:
                assert html_problems(element.text) == [], element.tag
    elif kind == "json":
        document = json.loads(content)
        for key, value in walk(document):
            if key.endswith("_html"):
                assert html_problems(value) == [], key


def walk(value, key=""):
    """Every (key, string) in a JSON document."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from walk(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)
    elif isinstance(value, str):
        yield key, value


def assert_clear_refusal(message):
    assert message and len(message) < 1000, message  # says why; does not echo a megabyte


@pytest.fixture
def editor_client(client, django_user_model):
    # No password: hashing one costs more than the rest of each test.
    client.force_login(
        django_user_model.objects.create(username="ed", is_superuser=True, is_staff=True)
    )
    return client


@pytest.mark.parametrize("write, fields", WRITE_PATHS)
@pytest.mark.parametrize("name", STRINGS)
def test_hostile_text_is_stored_as_text_or_refused_clearly(
    editor_client, tmp_path, write, fields, name
):
    payload = STRINGS[name]

    outcome = write(tmp_path, fields, payload)

    if isinstance(outcome, str):
        assert_clear_refusal(outcome)
        assert not Story.objects.exists()  # nothing half-written
        # A megabyte in each of several paragraphs makes a file over the importer's limit.
        too_big = (
            write is via_importer
            and len(payload.encode("utf-8", "surrogatepass")) * len(fields) > DEFAULT_MAX_BYTES
        )
        assert name in CONTROL or name == "line_separators" or too_big, (
            f"{name} was refused: {outcome}"
        )
        return
    assert name not in CONTROL, f"{name} was archived instead of refused"
    for output in OUTPUTS:
        url, kind = output.values
        assert_inert(editor_client.get(url(outcome)), kind)


@pytest.mark.parametrize("write, fields", FIELDS)
@pytest.mark.parametrize("name", STRINGS)
def test_each_field_stores_hostile_text_or_refuses_it_clearly(tmp_path, write, fields, name):
    outcome = write(tmp_path, fields, STRINGS[name])

    if isinstance(outcome, str):
        assert_clear_refusal(outcome)
        assert not Story.objects.exists()
    else:
        assert name not in CONTROL, f"{name} was archived instead of refused"


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_are_refused_naming_the_field(name):
    with pytest.raises(ValidationError) as refused:
        publish(SLUG, Dispatch(headline="Storm", body=CONTROL[name]), expected_revision=0)

    (message,) = refused.value.message_dict["body"]
    assert message.startswith("body contains the control character U+")
    assert message.endswith(": only plain text can be archived")


@pytest.mark.parametrize("name", BROKEN_UTF8)
def test_a_wire_file_that_is_not_utf8_is_refused(tmp_path, name):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Storm hits coast\n\nMIAMI (AP) - " + BROKEN_UTF8[name] + b"\n")

    with pytest.raises(ImportRefused, match="it is not UTF-8 text"):
        import_wire_file(path)
    assert not Story.objects.exists()


def encoded(value):
    """A query-string component: UTF-8 for text (lone surrogates kept), bytes as they are."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote(value, safe="")


CORPUS = {**STRINGS, **BROKEN_UTF8}


@pytest.mark.parametrize("url, parameters", QUERY_TARGETS)
@pytest.mark.parametrize("name", CORPUS)
def test_hostile_query_parameters_never_break_a_page(client, make_story, url, parameters, name):
    make_story(slug="hostile-story", revisions=2)
    value = encoded(CORPUS[name])
    query = "&".join(
        [f"{parameter}={value}" for parameter in [*parameters, *UNREAD_PARAMETERS]] + [f"{value}=1"]
    )

    response = client.get(f"{url}?{query}")

    assert_inert(response)
    assert response.status_code in (200, 302, 400, 404), response.status_code


@pytest.mark.parametrize("name", CORPUS)
def test_hostile_addresses_are_not_found(client, name):
    response = client.get(f"/stories/{encoded(CORPUS[name])}/")

    assert response.status_code == 404
    assert_inert(response)
