"""The archive: a Story holds its current state, each Revision one version as it was sent."""

import functools
import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5, Now, Upper
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify

from articles.querysets import RevisionManager, StoryManager, breaking_since
from articles.search import CONFIG
from articles.text import (
    MAX_AGENCY_LENGTH,
    MAX_BYLINE_LENGTH,
    MAX_HEADLINE_LENGTH,
    MAX_PLACE_LENGTH,
    PARAGRAPH_BREAK,
    Kind,
    format_dateline,
    validate_plain_text,
)

SLUG_LENGTH = 100
PLAIN_TEXT = [validate_plain_text]


def slug_for(headline):
    """The address a new story with `headline` takes: its slug, cut at a word to fit."""
    full = slugify(headline)
    slug = full[:SLUG_LENGTH].rstrip("-")
    if len(full) > SLUG_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    # A headline of letters slugify drops (Chinese, Arabic...) still gets an address.
    return slug or "story-" + hashlib.sha256(headline.encode()).hexdigest()[:12]


def story_address(name, slug):
    """reverse(name, kwargs={"slug": slug}), without matching the URL patterns for every
    story of a list: the address is worked out once per pattern, with a stand-in slug."""
    return _address_pattern(name, get_script_prefix(), get_urlconf()).replace(_SLUG, slug, 1)


_SLUG = "story-slug-stand-in"


@functools.lru_cache(maxsize=64)
def _address_pattern(name, script_prefix, urlconf):
    return reverse(name, kwargs={"slug": _SLUG}, urlconf=urlconf)


class Story(models.Model):
    """A wire story as readers know it, holding the state of its current revision.

    Written only by articles.publishing; the database checks at commit that every column
    following the revisions is what they give (articles_story_derived(), migration 0008),
    and keeps its slug and first publication time forever.
    """

    slug = models.SlugField(max_length=SLUG_LENGTH, unique=True, help_text="The story's address.")
    headline = models.CharField(
        max_length=MAX_HEADLINE_LENGTH, validators=PLAIN_TEXT, help_text="The current headline."
    )
    dateline_place = models.CharField(
        max_length=MAX_PLACE_LENGTH,
        blank=True,
        validators=PLAIN_TEXT,
        help_text="Where the current top was filed, as sent.",
    )
    agency = models.CharField(
        max_length=MAX_AGENCY_LENGTH,
        blank=True,
        validators=PLAIN_TEXT,
        help_text="The agency in the dateline.",
    )
    byline = models.CharField(max_length=MAX_BYLINE_LENGTH, blank=True, validators=PLAIN_TEXT)
    text = models.TextField(
        validators=PLAIN_TEXT,
        help_text="The published text as sent: paragraphs separated by a blank line, with "
        "breaking updates stacked over the earlier story.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.ORIGINAL,
        help_text="The kind of the current revision.",
    )
    revision_number = models.PositiveIntegerField(help_text="The current revision's number.")
    first_published_at = models.DateTimeField(
        help_text="The first revision's time: the wire's time line, else when it was archived."
    )
    updated_at = models.DateTimeField(
        help_text="The current revision's time: the wire's time line, else when it was archived."
    )
    archived_at = models.DateTimeField(
        db_index=True, help_text="When the current revision was archived."
    )
    wire_keyword = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="The wire's keyword this story's versions are threaded by, as a key "
        "(“giantlobsterdeath” for “BC-US--Giant Lobster Death”); empty for plain-text copy.",
    )
    not_before = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Embargoed: shown to nobody outside the admin before this time.",
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When the story was withdrawn (a kill); empty if not."
    )
    withdrawal_reason = models.TextField(
        blank=True,
        default="",
        db_default="",
        validators=PLAIN_TEXT,
        help_text="Why it was withdrawn, shown to readers in its place.",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("dateline_place", "byline", weight="B", config=CONFIG)
        + SearchVector("text", weight="C", config=CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="Headline, dateline and byline, and text, weighted for full-text search.",
    )

    objects = StoryManager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-updated_at", "-id"]
        get_latest_by = "updated_at"
        indexes = [
            # The list's order; what its facets count rides along, so that counting the
            # newest thousand stories by place and kind reads the index alone.
            models.Index(
                fields=["-updated_at", "-id"],
                include=["dateline_place", "kind"],
                name="articles_story_latest_idx",
            ),
            # The date archive files stories by their first publication.
            models.Index(
                F("first_published_at").desc(),
                F("id").desc(),
                name="articles_story_first_pub_idx",
            ),
            models.Index(MD5("text"), name="articles_story_text_md5_idx"),
            GinIndex(fields=["search_vector"], name="articles_story_search_idx"),
            # Trigrams of the upper-cased text serve `icontains` (UPPER(...) LIKE '%...%'):
            # the byline filter and the admin's headline search, without reading every row.
            GinIndex(
                OpClass(Upper("byline"), name="gin_trgm_ops"),
                name="articles_story_byline_trgm",
            ),
            GinIndex(
                OpClass(Upper("headline"), name="gin_trgm_ops"),
                name="articles_story_headline_trgm",
            ),
            models.Index(
                fields=["wire_keyword"],
                condition=~Q(wire_keyword=""),
                name="articles_story_keyword_idx",
            ),
            # What lists' validators read: the newest withdrawal, the newest lifted embargo.
            models.Index(
                fields=["withdrawn_at"],
                condition=Q(withdrawn_at__isnull=False),
                name="articles_story_withdrawn_idx",
            ),
            models.Index(
                fields=["not_before"],
                condition=Q(not_before__isnull=False),
                name="articles_story_embargo_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision_number__gte=1), name="articles_story_revision_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="articles_story_kind_valid"
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return story_address("articles:story_detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def get_history_url(self):
        return story_address("articles:story_history", self.slug)

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def is_embargoed(self):
        """Whether its embargo still holds, by this server's clock."""
        return self.not_before is not None and self.not_before > timezone.now()

    @property
    def is_public(self):
        """Whether readers may see it: StoryQuerySet.public()'s rule, for a story in hand."""
        return not self.is_withdrawn and not self.is_embargoed

    @property
    def is_breaking(self):
        """Whether readers see "Breaking": a breaking update, and a recent one."""
        return self.kind == Kind.BREAKING_UPDATE and self.updated_at >= breaking_since()

    @property
    def dateline(self):
        return format_dateline(self.dateline_place, self.agency)

    @property
    def lede(self):
        """The first paragraph of the published text, dateline included."""
        return self.text.partition(PARAGRAPH_BREAK)[0]

    def revision_stack(self, number=None):
        """The revisions whose text the story showed at revision `number` (default: now),
        newest first, down to the newest that is no breaking update. One query."""
        number = self.revision_number if number is None else number
        stack = Revision.objects.stack(self.pk, number)
        for revision in stack:
            revision.story = self  # as the related manager would: no query to link back
        return stack


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
