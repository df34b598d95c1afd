"""A read-only JSON API whose documents are IPTC ninjs 1.6 ("News in JSON").

- /api/stories/ lists stories, newest update first, 20 a page, paged by key as the list
  page is (the Link header's next and prev carry ?before=ID and ?after=ID), and searched
  with ?q= (newest match first). ninjs has no list type, so the list is itself a ninjs
  item of type "composite" whose associations ("story_01", "story_02", ...) are the
  stories in order, each an incomplete summary whose "ninjs" rendition is its document.
- /api/stories/<slug>/ is the story as it stands; /api/stories/<slug>/revisions/<n>/ the
  story as it stood at revision n.

A story keeps one identity through its versions: "uri" is its page's address (the same
GUID its feed items carry) and "version" the revision number; the story's document
associates every revision ("revision_1", ...), each with its own addresses in
"renditions". Link headers say the same to HTTP clients (RFC 5829 version relations,
RFC 8288 next/prev). IPTC's schema allows no property of our own, so nothing else is
emitted. Errors are RFC 9457 problem documents: 400 for a parameter we cannot use, 404
for an unknown story, revision or page.

Beside it, /stories/<slug>/version.json is no ninjs document but the smallest answer to
"has this story moved on?", which story pages poll (static/js/live-update.js).
"""

from functools import wraps
from http import HTTPStatus

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Story
from articles.site.paging import StoryPage
from articles.syndication.conditional import story_poll_validators
from articles.syndication.structured_data import content_language
from articles.text import published_text, stack_of

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500
NINJS_STANDARD = {
    "name": "ninjs",
    "version": "1.6",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.6.json",
}
# Link and ETag are not headers a browser shows another site's script unless told to.
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Link"}


class ApiError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def problem(status, detail):
    return JsonResponse(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type="application/problem+json",
        headers=CORS_HEADERS,
    )


def api_view(view):
    """GET and HEAD only; an ApiError or an unknown story becomes a JSON problem."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = problem(405, "This API is read-only: use GET.")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except Story.DoesNotExist:
            return problem(404, f"There is no story with the address “{kwargs.get('slug')}”.")
        except ApiError as error:
            return problem(error.status, error.detail)

    return wrapped


def ninjs_response(document, links=()):
    headers = dict(CORS_HEADERS)
    if links:
        headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links)
    return JsonResponse(document, headers=headers, json_dumps_params={"ensure_ascii": False})


def when(moment):
    return timezone.localtime(moment).isoformat()


def filtered_stories(params):
    """The stories the list page shows for these query parameters, newest update first.

    q is read as a search box reads it (words, "a phrase", or, -word) and matched
    against the stored search vector. Raises ApiError for a value that cannot be used.
    """
    stories = Story.objects.only(
        "slug",
        "headline",
        "dateline_place",
        "agency",
        "byline",
        "text",
        "revision_number",
        "first_published_at",
        "updated_at",
    )
    query = params.get("q", "").strip()
    if "\x00" in query or len(query) > MAX_QUERY_LENGTH:
        raise ApiError(400, f"q must be text of at most {MAX_QUERY_LENGTH} characters.")
    if query:
        stories = stories.filter(
            search_vector=SearchQuery(query, search_type="websearch", config="english")
        )
    return stories


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


def revision_document(request, story, revision, text, *, current):
    """The story as it stood at `revision`, whose published text is `text`."""
    addresses = Addresses(request, story.slug)
    document = {
        "$standard": NINJS_STANDARD,
        **item(
            addresses,
            version=revision.number,
            headline=revision.headline,
            byline=revision.byline,
            place=revision.dateline_place,
            agency=revision.agency,
            created=revision.dated_at,
            first_created=story.first_published_at,
        ),
        "representationtype": "complete",
        "body_text": text,
        "renditions": addresses.renditions(None if current else revision.number),
    }
    if revision.editors_note:
        document["ednote"] = revision.editors_note
    return document


def version_links(addresses, number, latest):
    links = [("latest-version", addresses.document())]
    if number > 1:
        links.append(("predecessor-version", addresses.document(number - 1)))
    if number < latest:
        links.append(("successor-version", addresses.document(number + 1)))
    links.append(("alternate", addresses.page(None if number == latest else number)))
    return links


@api_view
def story_list(request):
    params = request.GET
    if params.get("page", "1") != "1":
        raise ApiError(
            400, "The list is paged by the addresses in its Link header (before=, after=)."
        )
    try:
        page = StoryPage.of(filtered_stories(params), params, PAGE_SIZE)
    except BadRequest as error:
        raise ApiError(400, str(error)) from None
    except Http404 as error:
        raise ApiError(404, str(error)) from None
    document = {
        "$standard": NINJS_STANDARD,
        "uri": request.build_absolute_uri(),
        "type": "composite",
        "headline": "Latest stories",
        "language": content_language(),
        "associations": {
            f"story_{index:02d}": story_summary(request, story)
            for index, story in enumerate(page.object_list, start=1)
        },
    }
    links = []
    if page.has_newer:
        links.append(("prev", page_address(request, "after", page.newer_key)))
    if page.has_older:
        links.append(("next", page_address(request, "before", page.older_key)))
    return ninjs_response(document, links)


def page_address(request, direction, key):
    params = request.GET.copy()
    for name in ("page", "before", "after"):
        params.pop(name, None)
    params[direction] = str(key)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api_view
def story_detail(request, slug):
    story = Story.objects.only("slug", "revision_number", "first_published_at").get(slug=slug)
    revisions = list(story.revisions.order_by("-number"))
    if not revisions:
        raise Story.DoesNotExist  # the database refuses such a story; never 500 on one
    addresses = Addresses(request, slug)
    document = revision_document(
        request, story, revisions[0], published_text(stack_of(revisions)), current=True
    )
    document["associations"] = {
        f"revision_{revision.number}": {
            **item(
                addresses,
                version=revision.number,
                headline=revision.headline,
                byline=revision.byline,
                place=revision.dateline_place,
                agency=revision.agency,
                created=revision.dated_at,
                first_created=story.first_published_at,
            ),
            "representationtype": "incomplete",
            "renditions": addresses.renditions(revision.number),
        }
        for revision in reversed(revisions)
    }
    return ninjs_response(
        document, version_links(addresses, story.revision_number, story.revision_number)
    )


@api_view
def revision_detail(request, slug, number):
    story = Story.objects.only("slug", "revision_number", "first_published_at").get(slug=slug)
    stack = story.revision_stack(number)
    if not stack or stack[0].number != number:
        raise ApiError(404, f"The story “{slug}” has no revision {number}.")
    revision = stack[0]
    document = revision_document(
        request,
        story,
        revision,
        published_text(stack),
        current=number == story.revision_number,
    )
    return ninjs_response(
        document, version_links(Addresses(request, slug), number, story.revision_number)
    )


@api_view
def story_version(request, slug):
    """The story's current revision number and times, from its validators alone."""
    if not hasattr(request, "validators"):  # served without conditional.for_story_poll
        request.validators = story_poll_validators(request, slug)
    validators = request.validators
    if validators is None:
        raise Story.DoesNotExist
    current = validators.current
    return JsonResponse(
        {
            "revision": current["revision"],
            "updated_at": when(current["updated_at"]),
            "archived_at": when(current["archived_at"]),
            "url": reverse("articles:story_detail", kwargs={"slug": slug}),
        },
        headers=CORS_HEADERS,
    )
