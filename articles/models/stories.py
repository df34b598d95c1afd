"""A story: one wire item as readers know it, holding its current state (one address,
the current headline, dateline, byline and text, and when it was published and updated)."""

import functools
import hashlib

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5, Upper
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify

from articles.querysets import StoryManager, breaking_since
from articles.search import CONFIG
from articles.text import (
    BREAKING_KINDS,
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
        return self.kind in BREAKING_KINDS and self.updated_at >= breaking_since()

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
        stack = self.revisions.model.objects.stack(self.pk, number)
        for revision in stack:
            revision.story = self  # as the related manager would: no query to link back
        return stack
