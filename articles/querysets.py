"""What the archive is asked for: the stories of a list, a search, the breaking ones."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import MD5, Now
from django.utils import timezone

from articles import search
from articles.text import BREAKING_KINDS, Kind, stack_of, text_digest

NEWS_DAYS = 2  # how long a story stays news (the news sitemap's two days)


def breaking_since():
    """Breaking updates younger than this still read "Breaking"."""
    return timezone.now() - timedelta(hours=settings.BREAKING_HOURS)


def list_key(pk):
    """Story `pk`'s place in the list's order, its update time, as an SQL subquery.

    Written out: the ORM's Subquery would be compiled anew three times a page, for the
    same plan (PostgreSQL runs it once either way).
    """
    return RawSQL("SELECT updated_at FROM articles_story WHERE id = %s", [pk])


def public_rule():
    """What readers may see, the one rule (as a Q): not withdrawn, and past any embargo.

    Read at the database's clock, so an embargoed story appears when its time comes
    without anyone acting.
    """
    return Q(withdrawn_at__isnull=True) & (Q(not_before__isnull=True) | Q(not_before__lte=Now()))


class StoryQuerySet(models.QuerySet):
    def public(self):
        """The stories readers may see: every public page, feed, sitemap and API reads these."""
        return self.filter(public_rule())

    def withheld(self):
        """The stories kept from readers: withdrawn, or embargoed still."""
        return self.exclude(public_rule())

    def for_list(self):
        """What a list of stories renders, without the history behind each.

        Not the text, which may be long: articles.site.excerpts.for_rows() adds its start.
        """
        return self.only(
            "slug",
            "headline",
            "dateline_place",
            "agency",
            "kind",
            "revision_number",
            "first_published_at",
            "updated_at",
        )

    def older_than(self, pk):
        """The stories after story `pk` in the list's order (?before=pk), latest update first.

        A page found by key: PostgreSQL starts its walk down the (updated_at, id) index
        at that story, however deep in the archive it is, where an OFFSET would step
        over every story before it. Nothing when there is no story `pk`.
        """
        key = list_key(pk)
        return self.filter(Q(updated_at__lt=key) | Q(pk__lt=pk), updated_at__lte=key).order_by(
            "-updated_at", "-id"
        )

    def newer_than(self, pk):
        """The stories before story `pk` in the list's order (?after=pk), nearest first."""
        key = list_key(pk)
        return self.filter(Q(updated_at__gt=key) | Q(pk__gt=pk), updated_at__gte=key).order_by(
            "updated_at", "id"
        )

    def breaking(self):
        """Stories whose current revision is a breaking update still within the window."""
        return self.filter(kind__in=BREAKING_KINDS, updated_at__gte=breaking_since())

    def search(self, query):
        """Stories matching `query` (web search syntax), the most relevant first.

        The newest matches are ranked, a bounded number of them (articles.search).
        """
        return search.search(self, query)

    def in_the_news(self):
        """Stories updated in the last NEWS_DAYS days: news, to a news search engine."""
        return self.filter(updated_at__gte=timezone.now() - timedelta(days=NEWS_DAYS))


class StoryManager(models.Manager.from_queryset(StoryQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# The revisions from `number` down to the newest one that is no breaking update, which
# the index on (story_id, number) finds walking backwards.
STACK_SQL = """
    SELECT * FROM articles_revision
    WHERE story_id = %(story)s AND number <= %(number)s AND number >= (
        SELECT number FROM articles_revision
        WHERE story_id = %(story)s AND number <= %(number)s AND kind <> %(breaking)s
        ORDER BY number DESC LIMIT 1
    )
    ORDER BY number DESC
"""


class RevisionQuerySet(models.QuerySet):
    def stack(self, story_id, number):
        """Revision `number` of the story and, while each is a breaking update, the one
        below it, newest first (Story.revision_stack). Raw SQL: every story page runs
        it, and the ORM spends longer compiling it than PostgreSQL answering."""
        params = {"story": story_id, "number": number, "breaking": Kind.BREAKING_UPDATE}
        return stack_of(self.raw(STACK_SQL, params))

    def with_body(self, bodies):
        """Revisions whose body is one of `bodies` (an indexed lookup)."""
        bodies = set(bodies)
        return self.alias(body_md5=MD5("body")).filter(
            body_md5__in=[text_digest(body) for body in bodies], body__in=bodies
        )


class RevisionManager(models.Manager.from_queryset(RevisionQuerySet)):
    def get_by_natural_key(self, slug, number):
        return self.get(story__slug=slug, number=number)
