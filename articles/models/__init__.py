"""The archive: a Story holds its current state, each Revision one version as it was
sent, each Transmission one arrival from the wire."""

from articles.models.arrivals import IngestToken, Transmission
from articles.models.revisions import Revision
from articles.models.stories import PLAIN_TEXT, SLUG_LENGTH, Story, slug_for, story_address

__all__ = [
    "PLAIN_TEXT",
    "SLUG_LENGTH",
    "IngestToken",
    "Revision",
    "Story",
    "Transmission",
    "slug_for",
    "story_address",
]
