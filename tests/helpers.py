"""Shared test data and helpers; fixtures live in conftest.py."""

import base64
import hmac
import struct
import time
from contextlib import contextmanager
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Revision, Story

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_PATH = FIXTURES / "seed-north-korea-workers-russia.txt"
SEED_SLUG = "north-korea-to-send-thousands-of-military-construction-workers-and-deminers-to-russia"
BREAKING_NOTE = "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below."
EDITOR_PASSWORD = "a long passphrase for tests"


@contextmanager
def shared_by_the_module(django_db_blocker):
    """For a module-scoped fixture, as Django's setUpTestData: what the block makes (with
    django_db_blocker.unblock()) is made once, each test's transaction nests inside this
    one, and all of it is rolled back after the module's last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def archive():
    """Every story and revision row, to show what was written and what was not."""
    return [list(model.objects.order_by("pk").values()) for model in (Story, Revision)]


def aware(*args):
    return timezone.make_aware(datetime(*args))


def bulk_archive(count, rare_word):
    """`count` stories and their revisions by SQL, one of them with `rare_word`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO articles_story (slug, headline, dateline_place, agency, byline, text,
                kind, revision_number, first_published_at, updated_at, archived_at)
            SELECT 'bulk-' || n, 'Council meets on budget ' || n, 'MIAMI', 'AP', 'By JANE DOE',
                'MIAMI (AP) — The council said on day ' || n || ' that the budget '
                || CASE WHEN n = 7 THEN %s ELSE 'would pass' END || '.',
                'original', 1, t, t, t
            FROM generate_series(1, %s) AS n,
                LATERAL (SELECT now() - n * interval '1 minute' AS t) AS at
            """,
            [rare_word, count],
        )
        cursor.execute(
            """
            INSERT INTO articles_revision (story_id, number, kind, headline, archived_at,
                dateline_place, agency, byline, body, editors_note, contributors)
            SELECT id, 1, kind, headline, archived_at, dateline_place, agency, byline,
                substring(text from position('— ' in text) + 2), '', ''
            FROM articles_story WHERE slug LIKE 'bulk-%%'
            """
        )
        # ANALYZE counts the rows this transaction inserted, so the planner sees them.
        cursor.execute("ANALYZE articles_story")
        cursor.execute("ANALYZE articles_revision")


class _TextsIn(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self, container_class, tag):
        super().__init__(convert_charrefs=True)
        self.container_class, self.tag = container_class, tag
        self.depth = 0  # how deep inside a container we are; 0 is outside
        self.texts, self.current, self.current_depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.container_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
        if self.depth and self.current is None and (self.tag or tag) == tag:
            self.current, self.current_depth = [], self.depth

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        if self.current is not None and self.depth == self.current_depth:
            self.texts.append("".join(self.current))
            self.current = None
        self.depth -= 1

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def texts_in(content, container_class, tag=None):
    """The text of each `tag` element inside elements of class `container_class` (of
    those elements themselves without `tag`), as a browser shows it: markup dropped,
    entities decoded. Read with an HTML parser, not patterns on markup."""
    parser = _TextsIn(container_class, tag)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    parser.close()
    return parser.texts


def totp(secret, at=None, step=30, digits=6):
    """The code an authenticator app shows for a base32 `secret` (RFC 6238, SHA-1),
    computed here from the RFC rather than by the library under test."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def enrolment_in(output):
    """The secret, otpauth URI and recovery codes in create_editor's or
    enrol_second_factor's output, read as a person would: the indented lines after each
    heading."""
    blocks = output.split("Second factor:", 1)[1].split("\n\n")
    secret, uri = blocks[1].strip(), blocks[2].strip()
    codes = blocks[4].split()
    return SimpleNamespace(secret=secret, uri=uri, recovery_codes=codes)
