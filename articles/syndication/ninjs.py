"""Stories and revisions as IPTC ninjs 1.6 ("News in JSON") documents.

A story keeps one identity through its versions: "uri" is its page's address and
"version" the revision number. IPTC's schema allows no property of our own.
"""

from django.urls import reverse
from django.utils import timezone

from articles.syndication.structured_data import content_language

NINJS_STANDARD = {
    "name": "ninjs",
    "version": "1.6",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.6.json",
}


def when(moment):
    return timezone.localtime(moment).isoformat()


class Addresses:
    """Absolute addresses of a story's pages and documents, for one request."""

    def __init__(self, request, slug):
        self.absolute = request.build_absolute_uri
        self.slug = slug

    def page(self, number=None):
        if number is None:
            return self.absolute(reverse("articles:story_detail", kwargs={"slug": self.slug}))
        return self.absolute(
            reverse("articles:revision_detail", kwargs={"slug": self.slug, "number": number})
        )

    def document(self, number=None):
        if number is None:
            return self.absolute(reverse("articles:api_story", kwargs={"slug": self.slug}))
        return self.absolute(
            reverse("articles:api_revision", kwargs={"slug": self.slug, "number": number})
        )

    def renditions(self, number=None):
        return {
            "html": {"href": self.page(number), "mimetype": "text/html"},
            "ninjs": {"href": self.document(number), "mimetype": "application/json"},
        }


def item(addresses, *, version, headline, byline, place, agency, created, first_created):
    """The ninjs properties every story and revision document shares."""
    document = {
        "uri": addresses.page(),
        "type": "text",
        "version": str(version),
        "versioncreated": when(created),
        "firstcreated": when(first_created),
        "pubstatus": "usable",
        "language": content_language(),
        "headline": headline,
    }
    if byline:
        document["byline"] = byline
    if place:
        document["located"] = place
    if agency:
        document["infosource"] = [{"name": agency}]
    return document


def revision_item(addresses, story, revision):
    return item(
        addresses,
        version=revision.number,
        headline=revision.headline,
        byline=revision.byline,
        place=revision.dateline_place,
        agency=revision.agency,
        created=revision.dated_at,
        first_created=story.first_published_at,
    )


def story_summary(request, story):
    """A story in a list: enough to choose it; its "ninjs" rendition is the whole story."""
    addresses = Addresses(request, story.slug)
    return {
        **item(
            addresses,
            version=story.revision_number,
            headline=story.headline,
            byline=story.byline,
            place=story.dateline_place,
            agency=story.agency,
            created=story.updated_at,
            first_created=story.first_published_at,
        ),
        "representationtype": "incomplete",
        "description_text": story.lede,
        "renditions": addresses.renditions(),
    }


def list_document(request, summaries, headline):
    """A list of stories: ninjs has no list type, so a "composite" item whose
    associations ("story_01", ...) are the stories' summaries in order."""
    return {
        "$standard": NINJS_STANDARD,
        "uri": request.build_absolute_uri(),
        "type": "composite",
        "headline": headline,
        "language": content_language(),
        "associations": {
            f"story_{index:02d}": summary for index, summary in enumerate(summaries, start=1)
        },
    }


def revision_document(request, story, revision, text, *, current):
    """The story as it stood at `revision`, whose published text is `text`."""
    addresses = Addresses(request, story.slug)
    # The editor's note is for readers, so it stays where they read it, in body_text:
    # ninjs's `ednote` is for the receiving newsroom's staff only, never published.
    return {
        "$standard": NINJS_STANDARD,
        **revision_item(addresses, story, revision),
        "representationtype": "complete",
        "body_text": text,
        "renditions": addresses.renditions(None if current else revision.number),
    }


def revision_associations(request, story, revisions):
    """Revisions as associations ("revision_1", ...), oldest first, each a summary."""
    addresses = Addresses(request, story.slug)
    return {
        f"revision_{revision.number}": {
            **revision_item(addresses, story, revision),
            "representationtype": "incomplete",
            "renditions": addresses.renditions(revision.number),
        }
        for revision in sorted(revisions, key=lambda revision: revision.number)
    }


def version_links(addresses, number, latest):
    """RFC 5829 version relations of revision `number`, and its page."""
    links = [("latest-version", addresses.document())]
    if number > 1:
        links.append(("predecessor-version", addresses.document(number - 1)))
    if number < latest:
        links.append(("successor-version", addresses.document(number + 1)))
    links.append(("alternate", addresses.page(None if number == latest else number)))
    return links
