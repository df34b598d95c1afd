from django.db import models
from django.db.models import F, Q
from django.urls import reverse

PARAGRAPH_BREAK = "\n\n"


class Kind(models.TextChoices):
    ORIGINAL = "original", "Original"
    BREAKING_UPDATE = "breaking_update", "Breaking update"
    UPDATE = "update", "Update"


class StoryQuerySet(models.QuerySet):
    def for_list(self):
        """What a list of stories renders, without the history behind each."""
        return self.only(
            "slug",
            "headline",
            "dateline_place",
            "agency",
            "text",
            "is_breaking",
            "revision_number",
            "updated_at",
        )


class StoryManager(models.Manager.from_queryset(StoryQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Story(models.Model):
    """A wire story as readers know it, holding the state of its current revision.

    Written only by articles.publishing, which keeps it in step with its revisions.
    """

    slug = models.SlugField(max_length=100, unique=True, help_text="The story's address.")
    headline = models.CharField(max_length=300, help_text="The current headline.")
    dateline_place = models.CharField(
        max_length=100, blank=True, help_text="Where the current top was filed, as sent."
    )
    agency = models.CharField(max_length=40, blank=True, help_text="The agency in the dateline.")
    byline = models.CharField(max_length=200, blank=True)
    text = models.TextField(
        help_text="The published text as sent: paragraphs separated by a blank line, with "
        "breaking updates stacked over the earlier story."
    )
    is_breaking = models.BooleanField(
        default=False, help_text="Whether the current revision is a breaking update."
    )
    revision_number = models.PositiveIntegerField(help_text="The current revision's number.")
    first_published_at = models.DateTimeField(
        null=True, blank=True, help_text="The first revision's time line; empty when not sent."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="The current revision's time line; empty when not sent."
    )

    objects = StoryManager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = [F("updated_at").desc(nulls_last=True), "-id"]
        get_latest_by = "updated_at"
        indexes = [
            models.Index(
                F("updated_at").desc(nulls_last=True),
                F("id").desc(),
                name="articles_story_latest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision_number__gte=1), name="articles_story_revision_number_positive"
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:story_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def get_history_url(self):
        return reverse("articles:story_history", kwargs={"slug": self.slug})

    @property
    def lede(self):
        """The first paragraph of the published text, dateline included."""
        return self.text.partition(PARAGRAPH_BREAK)[0]

    def revision_stack(self, number=None):
        """The revisions whose text the story showed at revision `number` (default: now).

        Newest first: the revision itself and, while each is a breaking update posted
        over the earlier story, the revision below it. One query.
        """
        number = self.revision_number if number is None else number
        stack = []
        for revision in self.revisions.filter(number__lte=number).order_by("-number"):
            if stack and not stack[-1].is_breaking_update:
                break
            stack.append(revision)
        return stack


class RevisionManager(models.Manager):
    def get_by_natural_key(self, slug, number):
        return self.get(story__slug=slug, number=number)


class Revision(models.Model):
    """One version of a story as it was sent. Immutable: the database refuses changes."""

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the first version, then 2, 3, ...")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    headline = models.CharField(max_length=300)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="The wire's time line; empty when the wire gave none."
    )
    dateline_place = models.CharField(
        max_length=100, blank=True, help_text="E.g. SEOUL, South Korea"
    )
    agency = models.CharField(max_length=40, blank=True, help_text="E.g. AP")
    byline = models.CharField(max_length=200, blank=True, help_text="E.g. The Associated Press")
    body = models.TextField(
        help_text="This version's own paragraphs, plain text separated by a blank line, "
        "without the dateline."
    )
    editors_note = models.TextField(
        blank=True,
        help_text="For a breaking update, the note above the earlier story, e.g. "
        "“THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.”",
    )

    objects = RevisionManager()

    class Meta:
        ordering = ["story", "-number"]
        get_latest_by = "number"
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
        ]

    def __str__(self):
        return f"{self.story.headline} (revision {self.number})"

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
    def dateline(self):
        """The dateline as the wire prints it, e.g. "SEOUL, South Korea (AP) —"."""
        if not self.dateline_place:
            return ""
        agency = f" ({self.agency})" if self.agency else ""
        return f"{self.dateline_place}{agency} —"

    @property
    def paragraphs(self):
        return self.body.split(PARAGRAPH_BREAK)

    @property
    def text(self):
        """This version's own text as sent, the dateline opening its first paragraph."""
        return f"{self.dateline} {self.body}" if self.dateline else self.body
