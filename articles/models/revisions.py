"""A revision: one version of a story as it was sent, immutable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Now
from django.urls import reverse
from django.utils import timezone

from articles.models.stories import PLAIN_TEXT, Story
from articles.querysets import RevisionManager
from articles.text import (
    MAX_AGENCY_LENGTH,
    MAX_BYLINE_LENGTH,
    MAX_HEADLINE_LENGTH,
    MAX_PLACE_LENGTH,
    PARAGRAPH_BREAK,
    Kind,
    format_dateline,
)


class Revision(models.Model):
    """One version of a story as it was sent. Immutable: the database refuses changes."""

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the first version, then 2, 3, ...")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    headline = models.CharField(max_length=MAX_HEADLINE_LENGTH, validators=PLAIN_TEXT)
    wire_time = models.DateTimeField(
        null=True, blank=True, help_text="The wire's time line; empty when the wire gave none."
    )
    archived_at = models.DateTimeField(
        default=timezone.now,
        db_default=Now(),
        db_index=True,
        help_text="When this revision was archived, by the server's clock.",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posted_revisions",
        help_text="The editor who posted it; empty for wire imports and fixtures.",
    )
    dateline_place = models.CharField(
        max_length=MAX_PLACE_LENGTH,
        blank=True,
        validators=PLAIN_TEXT,
        help_text="E.g. SEOUL, South Korea",
    )
    agency = models.CharField(
        max_length=MAX_AGENCY_LENGTH, blank=True, validators=PLAIN_TEXT, help_text="E.g. AP"
    )
    byline = models.CharField(
        max_length=MAX_BYLINE_LENGTH,
        blank=True,
        validators=PLAIN_TEXT,
        help_text="E.g. The Associated Press",
    )
    body = models.TextField(
        validators=PLAIN_TEXT,
        help_text="This version's own paragraphs, plain text separated by a blank line, "
        "without the dateline.",
    )
    editors_note = models.TextField(
        blank=True,
        validators=PLAIN_TEXT,
        help_text="For a breaking update, the note above the earlier story, e.g. "
        "“THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.”; for a "
        "correction, what was corrected.",
    )
    wire_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The wire's version: 0 for the first transmission, N for the Nth "
        "Ld-Writethru; empty for plain-text copy and editors' revisions.",
    )
    contributors = models.TextField(
        blank=True,
        validators=PLAIN_TEXT,
        default="",
        db_default="",
        help_text="Contributor lines as sent, one per line, e.g. “Associated Press writer "
        "Jane Doe in Tokyo contributed to this report.”",
    )

    objects = RevisionManager()

    class Meta:
        ordering = ["story_id", "-number"]
        get_latest_by = "number"
        indexes = [models.Index(MD5("body"), name="articles_revision_md5_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "number"], name="articles_revision_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="articles_revision_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="articles_revision_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(headline="") & ~Q(body=""), name="articles_revision_has_text"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.BREAKING_UPDATE) | (Q(number__gt=1) & ~Q(editors_note="")),
                name="articles_revision_breaking_update_over_earlier_story",
                violation_error_message="A breaking update needs an earlier story and an "
                "editor's note to introduce it.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.CORRECTION) | ~Q(editors_note=""),
                name="articles_revision_correction_says_what",
                violation_error_message="A correction needs an editor's note saying what "
                "was corrected.",
            ),
        ]

    def __str__(self):
        return f"{self.headline} (revision {self.number})"

    def get_absolute_url(self):
        return reverse(
            "articles:revision_detail", kwargs={"slug": self.story.slug, "number": self.number}
        )

    def natural_key(self):
        return self.story.natural_key() + (self.number,)

    natural_key.dependencies = ["articles.story"]

    @property
    def is_breaking_update(self):
        return self.kind == Kind.BREAKING_UPDATE

    @property
    def dated_at(self):
        """The time this version goes by: the wire's time line, else when it was archived."""
        return self.wire_time or self.archived_at

    @property
    def dateline(self):
        """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
        return format_dateline(self.dateline_place, self.agency)

    @property
    def paragraphs(self):
        return self.body.split(PARAGRAPH_BREAK)

    @property
    def contributor_lines(self):
        return self.contributors.splitlines()

    @property
    def text(self):
        """This version's own text as sent, the dateline opening its first paragraph."""
        return f"{self.dateline} {self.body}" if self.dateline else self.body
