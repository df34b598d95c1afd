"""Public pages from Django's cache (local memory, or Redis with REDIS_URL), kept until
what they show changes: a story's pages until that story gets a revision, the date
archive until a story is added, lists until any story changes (invalidations.py). A hit
asks the database nothing. Pages for signed-in users, the admin and anything private
are not cached; while the invalidation channel is down, nothing is.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from newsdesk import release
from newsdesk.middleware.invalidations import DATE_ARCHIVE, LISTS, invalidations, story
from newsdesk.middleware.replicas import PRIMARY, pinned_to_primary, replica_aliases

logger = logging.getLogger(__name__)

# The date archive files stories by first publication, which no update moves: its index
# and years count them, its months and days list them (articles/site/archive.py says
# which), so only a new story or a change to one they show makes them stale.
DATE_ARCHIVE_PAGES = {"archive", "archive_year", "archive_month", "archive_day"}


def depends_on(request):
    """What the page just rendered for `request` shows: one story (its address names it),
    the date archive's stories, or stories by their last update (lists, search, feeds,
    sitemaps), which any change can reorder."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return (LISTS,)
    if "slug" in match.kwargs:
        return (story(match.kwargs["slug"]),)
    if match.url_name in DATE_ARCHIVE_PAGES:
        return (DATE_ARCHIVE, *map(story, getattr(request, "stories_shown", ())))
    return (LISTS,)


def replicas_behind():
    """Whether a replica this request may read from has yet to replay WAL the primary had
    already written: a page built from it may miss a change announced before it began,
    and the announcement, heard already, would not make it stale later. One query to the
    primary and one to each replica, on a miss only."""
    if pinned_to_primary() or not replica_aliases():
        return False
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            written = cursor.fetchone()[0]
        for alias in replica_aliases():
            with connections[alias].cursor() as cursor:
                # NULL: not a standby at all (a replica URL naming a primary).
                cursor.execute(
                    "SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [written]
                )
                if not cursor.fetchone()[0]:
                    return True
    except DatabaseError:
        return True  # the view meets the outage itself and answers for it
    return False


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = (reverse("admin:index"), reverse("healthz"))

    def __call__(self, request):
        if not self.applies_to(request) or not invalidations.listening():
            return self.get_response(request)
        # The release too: a shared Redis outlives a deploy.
        key = f"{release.current()} {request.build_absolute_uri()}"
        key = "page:" + hashlib.sha256(key.encode()).hexdigest()
        cached = self.cache_get(key)
        if cached is not None and invalidations.fresh(cached[1], cached[0]):
            # The view's own conditional GET (articles/syndication/conditional.py) is
            # skipped on a hit: answer If-None-Match / If-Modified-Since from the stored validators.
            response = self.rebuild(cached[2:])
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            response = get_conditional_response(
                request, etag=response.get("ETag"), last_modified=last_modified, response=response
            )
            response["X-Cache"] = "hit"  # for operators and the bench's hit ratio
            return response
        # Before the view reads anything: a change committed while it renders is
        # announced later than this, and so makes the page stale.
        rendered_at = time.time()
        from_behind = replicas_behind()
        response = self.get_response(request)
        if request.method == "GET" and not from_behind and self.storable(response):
            headers = list(response.items())
            entry = (
                rendered_at,
                depends_on(request),
                response.status_code,
                headers,
                response.content,
            )
            self.cache_set(key, entry)
        response["X-Cache"] = "miss"
        return response

    def applies_to(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.excluded)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not connection.in_atomic_block
        )

    @staticmethod
    def storable(response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = {
            directive.split("=", 1)[0].strip().lower()
            for directive in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        varies = {
            header.strip().lower()
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header.strip()
        }
        # Vary: Cookie is safe to ignore here: requests with a session cookie are never
        # served from this cache, and responses that set a cookie are never stored.
        return not cache_control & {"private", "no-store"} and varies <= {
            "accept-encoding",
            "cookie",
        }

    @staticmethod
    def rebuild(cached):
        status, headers, content = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def cache_get(key):
        try:
            return cache.get(key)
        except Exception as exc:  # a Redis that is away: serve uncached
            logger.warning("Page cache unavailable: %s", exc)
            return None

    @staticmethod
    def cache_set(key, value):
        try:
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
        except Exception as exc:
            logger.warning("Page cache unavailable: %s", exc)
