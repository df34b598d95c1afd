"""A read-only JSON API of ninjs documents (articles.syndication.ninjs).

/api/stories/ lists what the list page lists, for the same filters; /api/stories/<slug>/
is the story as it stands; /api/stories/<slug>/revisions/<n>/ as it stood at revision n.
Errors are RFC 9457 problem documents.
"""

from functools import wraps

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, JsonResponse
from django.urls import reverse

from articles.models import Story
from articles.site import fragments
from articles.site.history import history_page
from articles.site.listing import Listing, PageNumberRefused
from articles.syndication import ninjs, problems
from articles.syndication.conditional import story_poll_validators
from articles.text import published_text

SUMMARY_FIELDS = (
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
# Link and ETag are not headers a browser shows another site's script unless told to.
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Link"}


class ApiError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def problem(status, detail):
    return problems.problem(status, detail, headers=CORS_HEADERS)


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


def summary_rows(stories, search_text):
    """What a story's summary reads (its lede from the text; no search snippet)."""
    return stories.only(*SUMMARY_FIELDS)


def listed_page(listing):
    """The listing's page; a parameter it cannot use is a 400, a page past the end a 404."""
    for name, messages in listing.errors.items():
        raise ApiError(400, f"{name}: {' '.join(messages)}")
    try:
        return listing.page
    except PageNumberRefused:
        raise ApiError(
            400,
            "page must be a page number of a search; the latest stories are paged by "
            "the addresses in the Link header (before=, after=).",
        ) from None
    except BadRequest as error:
        raise ApiError(400, str(error)) from None
    except Http404 as error:
        raise ApiError(404, str(error)) from None


@api_view
def story_list(request):
    """The stories the list page shows for the same query string, in the same order."""
    listing = Listing(request.GET, rows=summary_rows)
    page = listed_page(listing)
    headline = "Search results" if listing.search_text else "Latest stories"
    summaries = summaries_of(request, page.object_list)
    document = ninjs.list_document(request, summaries, headline)
    if listing.search_text:
        links = numbered_links(request, page)
    else:
        links = keyed_links(request, page)
    return ninjs_response(document, links)


def summaries_of(request, stories):
    """Each story's summary, made once per revision and site address and kept (a summary
    holds absolute addresses): a list names the same stories page after page."""
    site = request.build_absolute_uri("/")

    def key_of(story):
        return f"ninjs summary|{site}|{fragments.revision_key(story)}"

    return fragments.made_once(stories, key_of, lambda story: ninjs.story_summary(request, story))


def keyed_links(request, page):
    links = []
    if page.has_newer:
        links.append(("prev", page_address(request, after=page.newer_key)))
    if page.has_older:
        links.append(("next", page_address(request, before=page.older_key)))
    return links


def numbered_links(request, page):
    links = []
    if page.has_previous():
        links.append(("prev", page_address(request, page=page.previous_page_number())))
    if page.has_next():
        links.append(("next", page_address(request, page=page.next_page_number())))
    return links


def page_address(request, **page):
    params = request.GET.copy()
    for name in ("page", "before", "after"):
        params.pop(name, None)
    for name, value in page.items():
        params[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def story_of(request, slug):
    """The story its validators read (articles.syndication.conditional), else from the database."""
    validators = getattr(request, "validators", None)
    story = validators and validators.story_called(slug)
    return story or Story.objects.only("slug", "revision_number", "first_published_at").get(
        slug=slug
    )


def revisions_page(request, story):
    """The page of the story's revisions ?page= asks for, newest first, as the history page."""
    try:
        return history_page(story, request.GET.get("page", "1"))
    except PageNotAnInteger:
        raise ApiError(400, "page must be a page number.") from None
    except EmptyPage as error:
        raise ApiError(404, f"The story has no such page of revisions: {error}") from None


@api_view
def story_detail(request, slug):
    """The story as it stands, associating one page of its revisions (Link: next, prev)."""
    story = story_of(request, slug)
    stack = story.revision_stack()
    if not stack:
        raise Story.DoesNotExist  # the database refuses such a story; never 500 on one
    page = revisions_page(request, story)
    document = ninjs.revision_document(
        request, story, stack[0], published_text(stack), current=True
    )
    document["associations"] = ninjs.revision_associations(request, story, page.object_list)
    addresses = ninjs.Addresses(request, slug)
    links = ninjs.version_links(addresses, story.revision_number, story.revision_number)
    return ninjs_response(document, links + numbered_links(request, page))


@api_view
def revision_detail(request, slug, number):
    story = story_of(request, slug)
    stack = story.revision_stack(number)
    if not stack or stack[0].number != number:
        raise ApiError(404, f"The story “{slug}” has no revision {number}.")
    document = ninjs.revision_document(
        request,
        story,
        stack[0],
        published_text(stack),
        current=number == story.revision_number,
    )
    addresses = ninjs.Addresses(request, slug)
    return ninjs_response(document, ninjs.version_links(addresses, number, story.revision_number))


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
            "updated_at": ninjs.when(current["updated_at"]),
            "archived_at": ninjs.when(current["archived_at"]),
            "url": reverse("articles:story_detail", kwargs={"slug": slug}),
        },
        headers=CORS_HEADERS,
    )
