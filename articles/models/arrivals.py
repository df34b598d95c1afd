"""What arrives from the wire: each transmission as received, and the tokens that let a
push feed send them."""

import hashlib

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from articles.models.stories import Story


class Transmission(models.Model):
    """One wire file or push as it arrived, kept whatever became of it.

    Its digest makes an arrival idempotent (the watcher and the ingest endpoint import
    a transmission once, whatever restarts); a version that arrived after a newer one
    of its story is kept here, as history, without overturning the newer text.
    """

    class Outcome(models.TextChoices):
        PUBLISHED = "published", "Published as a revision"
        UNCHANGED = "unchanged", "Archived already"
        LATE = "late", "Kept as history: a newer version was archived first"
        WITHDRAWN = "withdrawn", "Withdrew its story"

    digest = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the bytes as received."
    )
    received_at = models.DateTimeField(default=timezone.now, db_default=Now())
    source = models.CharField(max_length=200, help_text="The file's name or the pushing client.")
    wire_format = models.CharField(max_length=20, help_text="plain text, ANPA-1312 or NITF.")
    wire_keyword = models.CharField(max_length=100, blank=True, default="")
    wire_version = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, null=True, blank=True, related_name="transmissions"
    )
    content = models.TextField(
        help_text="The transmission as received, decoded (bytes that are not UTF-8, and NUL, "
        "as \\xNN escapes)."
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        get_latest_by = "received_at"

    def __str__(self):
        return f"{self.source} ({self.get_outcome_display()})"


class IngestToken(models.Model):
    """A secret that lets a push feed POST to /api/ingest/ and do nothing else.

    Only its SHA-256 is stored; the token itself is shown once, when it is made.
    """

    name = models.CharField(max_length=100, unique=True, help_text="Who the token is for.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def digest_of(token):
        return hashlib.sha256(token.encode()).hexdigest()
