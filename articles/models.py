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
