"""A corpus of hostile input, what "inert" means for each kind of output, and a way to
run the corpus in one test that names every string that fails. tests/test_hostile.py
tries each string through every entry point and output: add one here and it is tried.
"""

import json
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection, transaction

MEGABYTE = 1024 * 1024

TEXT = {
    "script": "<script>window.__pwned = 'script'</script>",
    "img_onerror": "<img src=x onerror=\"window.__pwned = 'img'\">",
    "svg_onload": "<svg/onload=window.__pwned=1>",
    "attribute_breakout": '" autofocus onfocus="window.__pwned=1" x="',
    "single_quote_breakout": "' onmouseover='window.__pwned=1' '",
    "javascript_url": "javascript:window.__pwned=1//",
    "data_url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "closing_tags": "</title></textarea></p></script><script>window.__pwned=1</script>",
    "comment_breakout": "--><script>window.__pwned=1</script><!--",
    "entities": "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#60;b&#62;",
    "template_syntax": "{{ settings.SECRET_KEY }} {% debug %} {# hidden #} ${7*7} <%= 7*7 %>",
    "json_breakout": '"}</script><script>window.__pwned=1</script>{"',
    "style_injection": "<style>body{display:none}</style><link rel=stylesheet href=//evil.example>",
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "base_href": '<base href="//evil.example/">',
    "iframe": '<iframe src="//evil.example"></iframe>',
    "xml_entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "cdata_breakout": "]]><script>window.__pwned=1</script>",
    "sql": "'; TRUNCATE articles_revision CASCADE; --",
    "format_strings": "%s %(name)s {0} {name} %n",
    "rtl_override": "\u202eeulav lanoitidart\u202c txet",
    "zero_width": "zero\u200bwidth\u200djoiner\ufeff",
    "line_separators": "one\u2028two\u2029three",
    "emoji": "\U0001f5de\ufe0f \U0001f469\U0001f3fd\u200d\U0001f4bb",
    "combining": "Z\u0351\u0364\u036b\u0341a\u0344\u0306\u0345l\u0357\u034ag\u0357o",
    "megabyte": "Long " * (MEGABYTE // 5),
    "megabyte_markup": "<b>" * (MEGABYTE // 3),
}

# Not text at all: refused wherever text is archived.
CONTROL = {
    "nul": "before\x00after",
    "bell": "ring\x07ring",
    "ansi_escape": "\x1b[2J\x1b[31mred",
    "backspace": "over\x08write",
    "delete": "del\x7fete",
    "lone_surrogate": "half\ud800pair",
}

STRINGS = {**TEXT, **CONTROL}

# Bytes that are not UTF-8: a wire file, a query string.
BROKEN_UTF8 = {
    "invalid_start": b"\xff\xfe caf\xe9",
    "truncated": b"caf\xc3",
    "encoded_surrogate": b"\xed\xa0\x80",
    "overlong_slash": b"\xc0\xaf\xc0\xafetc",
}

CORPUS = {**STRINGS, **BROKEN_UTF8}


def encoded(value):
    """A query-string component: UTF-8 for text (lone surrogates kept), bytes as they are."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return quote(value, safe="")


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
            try:
                json.loads(data)  # structured data must stay one valid JSON value
            except ValueError as broken:
                self.problems.append(f"structured data is not JSON: {broken}")
        elif data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


# These entities decode to characters no check above looks for, and a megabyte of them
# is slow to decode one by one: each becomes a neutral character before parsing. That
# changes no tag, attribute name, URL prefix, or whether structured data is JSON.
NEUTRAL_ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;"]


def html_problems(markup):
    for entity in NEUTRAL_ENTITIES:
        markup = markup.replace(entity, "_")
    checker = InertChecker()
    checker.feed(markup)
    checker.close()
    return checker.problems


# Elements of feeds whose text readers render as HTML.
HTML_IN_XML = {"description", "summary", "content"}


def output_problems(response, kind=None):
    """What in a response is not inert: a 500, a secret, a type to sniff, anything that
    runs or loads; for feeds and JSON, also a document that does not parse."""
    if response.status_code >= 500:
        return [f"answered {response.status_code}"]
    content_type = response.get("Content-Type", "")
    content = response.content.decode()
    problems = ["shows the SECRET_KEY"] if settings.SECRET_KEY in content else []
    kind = kind or next(
        (name for name in ("html", "xml", "json") if name in content_type), "text/plain"
    )
    if kind not in content_type:  # nothing is sniffed as something else
        return [*problems, f"{kind} served as {content_type!r}"]
    if kind == "html":
        problems += html_problems(content)
    elif kind == "xml":
        for element in ElementTree.fromstring(response.content).iter():  # well-formed
            if element.tag.rpartition("}")[2] in HTML_IN_XML and element.text:
                problems += [f"<{element.tag}>: {p}" for p in html_problems(element.text)]
    elif kind == "json":
        for key, value in walk(json.loads(content)):
            if key.endswith("_html"):
                problems += [f"{key}: {p}" for p in html_problems(value)]
    return problems


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


class Failures:
    """The cases of one test that failed, each named, asserted once at the end."""

    def __init__(self):
        self.found = []

    @contextmanager
    def case(self, label, keep=False):
        """Run one case in a savepoint, rolled back unless kept, noting how it failed.

        The database's deferred checks run at its end, as they would at commit.
        """
        try:
            with transaction.atomic():
                yield
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                transaction.set_rollback(not keep)
        except (Exception, pytest.fail.Exception) as failure:  # each is reported at the end
            self.found.append(f"{label}: {type(failure).__name__}: {str(failure)[:300]}")

    def add(self, label, problems):
        self.found += [f"{label}: {problem[:300]}" for problem in problems]

    def assert_none(self):
        assert not self.found, f"{len(self.found)} failed:\n" + "\n".join(self.found)
