"""RSS and Atom feeds: the latest stories, and the newest revisions of one story.

A story is one item whose GUID is its address, published at its first revision and
updated at its newest; its description is the published text, escaped, in paragraphs.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import linebreaks

from articles.models import Story
from articles.site import fragments
from articles.syndication.structured_data import byline_author
from articles.text import published_text, stack_of

FEED_SIZE = 20
HISTORY_FEED_SIZE = 50


class UpdatedRssFeed(Rss201rev2Feed):
    """RSS 2.0 has only pubDate: the newest revision's time goes in atom:updated."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


class LatestStoriesFeed(Feed):
    feed_type = UpdatedRssFeed
    link = reverse_lazy("articles:story_list")
    feed_url = reverse_lazy("articles:latest_rss")
    description = subtitle = "The latest stories, the most recently updated first."

    def title(self):
        return f"{settings.PUBLICATION_NAME}: latest stories"

    def author_name(self):
        return settings.PUBLICATION_NAME

    def items(self):
        stories = list(
            Story.objects.public().only(
                "slug",
                "headline",
                "byline",
                "text",
                "revision_number",
                "first_published_at",
                "updated_at",
            )[:FEED_SIZE]
        )
        # The whole text in paragraphs is most of a feed's making, and a feed names the
        # same stories request after request: made once per revision.
        descriptions = fragments.made_once(
            stories,
            lambda story: f"feed description|{fragments.revision_key(story)}",
            lambda story: str(linebreaks(story.text, autoescape=True)),
        )
        for story, description in zip(stories, descriptions, strict=True):
            story.description = description
        return stories

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        return story.description  # feed readers render it as HTML

    def item_author_name(self, story):
        return byline_author(story.byline) or None

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.updated_at


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed
    feed_url = reverse_lazy("articles:latest_atom")


class StoryHistoryFeed(Feed):
    """The newest HISTORY_FEED_SIZE revisions of one story, newest first, each with the
    text it published (a feed reader wants what is new, not 3,000 revisions)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(
            Story.objects.only("slug", "headline", "revision_number"), slug=slug
        )

    def title(self, story):
        return f"Revisions of “{story.headline}”"

    def subtitle(self, story):
        return f"Every version of this story as {settings.PUBLICATION_NAME} archived it."

    def link(self, story):
        return story.get_absolute_url()

    def feed_url(self, story):
        return reverse("articles:story_history_atom", kwargs={"slug": story.slug})

    def author_name(self):
        return settings.PUBLICATION_NAME

    def items(self, story):
        oldest = story.revision_number - HISTORY_FEED_SIZE
        newest = list(story.revisions.filter(number__gt=oldest).order_by("-number"))
        # The earliest of them may stand over revisions older than the feed goes.
        below = story.revision_stack(oldest) if oldest > 0 else []
        revisions = newest + below
        for index, revision in enumerate(newest):
            revision.story = story  # for get_absolute_url, without a query per item
            revision.published_text = published_text(stack_of(revisions[index:]))
        return newest

    def item_title(self, revision):
        return f"Revision {revision.number}: {revision.headline}"

    def item_description(self, revision):
        return linebreaks(revision.published_text, autoescape=True)

    def item_author_name(self, revision):
        return byline_author(revision.byline) or None

    def item_pubdate(self, revision):
        return revision.dated_at

    def item_updateddate(self, revision):
        return revision.dated_at  # a revision never changes once archived
