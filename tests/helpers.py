"""Shared test data and helpers; fixtures live in conftest.py."""

from datetime import datetime
from pathlib import Path

from django.utils import timezone

from articles.models import Revision, Story

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_PATH = FIXTURES / "seed-north-korea-workers-russia.txt"
SEED_SLUG = "north-korea-to-send-thousands-of-military-construction-workers-and-deminers-to-russia"
BREAKING_NOTE = "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below."


def archive():
    """Every story and revision row, to show what was written and what was not."""
    return [list(model.objects.order_by("pk").values()) for model in (Story, Revision)]


def aware(*args):
    return timezone.make_aware(datetime(*args))
