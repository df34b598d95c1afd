"""Shared test data and helpers; fixtures live in conftest.py."""

from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from django.utils import timezone

from articles.models import Revision, Story

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_PATH = FIXTURES / "seed-north-korea-workers-russia.txt"
SEED_SLUG = "north-korea-to-send-thousands-of-military-construction-workers-and-deminers-to-russia"
BREAKING_NOTE = "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below."
EDITOR_PASSWORD = "a long passphrase for tests"


def archive():
    """Every story and revision row, to show what was written and what was not."""
    return [list(model.objects.order_by("pk").values()) for model in (Story, Revision)]


def aware(*args):
    return timezone.make_aware(datetime(*args))


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
