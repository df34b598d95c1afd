"""Conditional GET and cache headers, from the newest revision.

A page changes only when a revision is archived or as time passes (a breaking update
ages out of "Breaking", a story out of the news): those make the validators, read in
one cheap query, so a request whose validators still hold gets 304 without the page
being built. Clients with a session cookie get private responses with their own.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, wraps

from django.conf import settings
from django.db import connections
from django.db.models import F, Func
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import condition

from articles.models import Story
from articles.syndication.withheld import withheld_response
from articles.text import BREAKING_KINDS
from newsdesk import release


@dataclass(frozen=True)
class Validators:
    last_modified: datetime
    state: str  # everything the response depends on, as text
    current: dict | None = None  # for a story: what was read of its current revision
    story: Story | None = None  # for a story's pages: the story, so they need not read it again
    withheld: bool = False  # the story is withdrawn or embargoed: no page of it is shown

    def story_called(self, slug):
        """The story these validators read, when it is story `slug`; else None."""
        return self.story if self.story and self.story.slug == slug else None

    def etag(self, request):
        session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        # A login or logout changes the session key, so a private copy is never reused
        # across them.
        key = f"{release.current()}|{self.state}"  # a deploy changes every page
        key = f"{key}|{session}" if session else key
        return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def breaking_window():
    return timedelta(hours=settings.BREAKING_HOURS)


# The archive's state as a list sees it: its newest revision, how many stories are ageing
# (`{ageing}`), its latest withdrawal and the latest embargo lifted. Written out: every
# list, feed and API list asks it, and the ORM took ten times PostgreSQL's time to
# compile it (three subqueries, annotated).
ARCHIVE_STATE_SQL = """
    SELECT archived_at, ({ageing}),
        (SELECT MAX(withdrawn_at) FROM articles_story WHERE withdrawn_at IS NOT NULL),
        (SELECT MAX(not_before) FROM articles_story WHERE not_before <= statement_timestamp())
    FROM articles_story ORDER BY archived_at DESC LIMIT 1
"""


def archive_validators_with(ageing):
    """Validators for anything that lists stories.

    The newest archived revision changes with every revision; `ageing()` is the set of
    stories the response marks or lists for a while (breaking ones, recent ones), which
    only shrinks as time passes until a new revision comes: its size tells whether it
    shrank since. One query: two index lookups.
    """

    def validators(request, *args, **kwargs):
        count = ageing().order_by().values(count=Func(F("pk"), function="COUNT"))
        count_sql, params = count.query.sql_with_params()
        with connections[count.db].cursor() as cursor:
            cursor.execute(ARCHIVE_STATE_SQL.format(ageing=count_sql), params)
            row = cursor.fetchone()
        if row is None:
            return None
        newest, ageing_count, withdrawn, lifted = row
        # A list changes when a story is withdrawn, or when an embargo lifts, too.
        changed = max(when for when in (newest, withdrawn, lifted) if when is not None)
        return Validators(
            changed, f"archive|{newest.isoformat()}|{ageing_count}|{withdrawn}|{lifted}"
        )

    return validators


archive_validators = archive_validators_with(lambda: Story.objects.breaking())


def story_validators(request, slug, number=None, **kwargs):
    """For one story's pages and documents: its current revision and breaking state.

    With `number`, for the story as it stood at that revision: no validators for a
    revision the story does not have, so that request ends in a 404, never a 304. The
    pages need the story anyway, so it is read whole here (but for its search vector,
    the search's business) and not again by the view.
    """
    return validators_of(story_called(slug), slug, number)


@cache
def story_sql():
    columns = [field.column for field in Story._meta.concrete_fields]
    columns.remove("search_vector")
    return f"SELECT {', '.join(columns)} FROM articles_story WHERE slug = %s"


def story_called(slug):
    """Story `slug` but for its search vector, or None. Written out: every page of a
    story reads it, and the ORM spent three times longer on the query than on reading
    the row."""
    found = list(Story.objects.raw(story_sql(), [slug]))
    return found[0] if found else None


def story_poll_validators(request, slug, **kwargs):
    """For what story pages poll every minute: the validators' own columns, not the text."""
    fields = ["slug", "archived_at", "revision_number", "kind", "updated_at"]
    fields += ["withdrawn_at", "withdrawal_reason", "not_before"]  # whether it is withheld
    return validators_of(Story.objects.only(*fields).filter(slug=slug).first(), slug)


def validators_of(story, slug, number=None):
    if story is None:
        return None
    archived_at, current, updated_at = story.archived_at, story.revision_number, story.updated_at
    if not story.is_public:
        return Validators(archived_at, f"withheld|{slug}", story=story, withheld=True)
    if number is not None and not 1 <= number <= current:
        return None
    last_modified = archived_at
    is_breaking = story.is_breaking
    if story.kind in BREAKING_KINDS and not is_breaking:
        # The page stopped reading "Breaking" when the update aged out.
        last_modified = max(last_modified, updated_at + breaking_window())
    return Validators(
        last_modified,
        f"story|{slug}|{current}|{archived_at.isoformat()}|{is_breaking}",
        {"revision": current, "updated_at": updated_at, "archived_at": archived_at},
        story,
    )


def cache_headers(request, response, *, max_age=None):
    """Who may keep a copy, and for how long."""
    patch_vary_headers(response, ["Cookie"])
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    elif max_age == 0:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PUBLIC_CACHE_SECONDS,
            stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
        )
    return response


def conditional(get_validators, *, max_age=None):
    """Decorate a view: validators from `get_validators`, a 304 when they still hold.

    `get_validators(request, *args, **kwargs)` runs once per request, and the view may
    read its result from `request.validators`; None means no validators, and the view
    answers in full. `max_age=0` asks every cache to revalidate each time (for what a
    page polls).
    """

    def validators(request, *args, **kwargs):
        if not hasattr(request, "validators"):
            request.validators = get_validators(request, *args, **kwargs)
        return request.validators

    def etag(request, *args, **kwargs):
        found = validators(request, *args, **kwargs)
        return found.etag(request) if found else None

    def last_modified(request, *args, **kwargs):
        found = validators(request, *args, **kwargs)
        return found.last_modified if found else None

    def decorator(view):
        conditional_view = condition(etag_func=etag, last_modified_func=last_modified)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            found = validators(request, *args, **kwargs)
            if found and found.withheld:  # never a 304, nor a page, of a withheld story
                return cache_headers(request, withheld_response(request, found.story))
            response = conditional_view(request, *args, **kwargs)
            if response.status_code not in (200, 304):
                # An error is no version of the resource: nothing to revalidate.
                del response["ETag"]
                del response["Last-Modified"]
            else:
                cache_headers(request, response, max_age=max_age)
                if request.validators:
                    # Feeds and sitemaps date themselves by their newest item's time as
                    # sent; what If-Modified-Since is checked against is the archive's.
                    response["Last-Modified"] = http_date(
                        request.validators.last_modified.timestamp()
                    )
            return response

        return wrapped

    return decorator


for_archive = conditional(archive_validators)
for_news = conditional(archive_validators_with(lambda: Story.objects.in_the_news()))
for_story = conditional(story_validators)
# What a page polls to learn of a new revision: every cache asks again each time.
for_story_poll = conditional(story_poll_validators, max_age=0)
