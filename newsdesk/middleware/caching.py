"""Public pages from the cache, never staler than the archive: the key holds the page's
address and pg_current_snapshot() of each database it reads from, which moves at every
commit and only then (revision ids or times would not do: they are handed out before
the commit). Pages for signed-in users, the admin and anything private are not cached.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from newsdesk import release
from newsdesk.middleware.replicas import PRIMARY, pinned_to_primary, replica_aliases

logger = logging.getLogger(__name__)


def read_aliases():
    """The databases this request's pages read from (newsdesk/middleware/replicas.py)."""
    replicas = replica_aliases()
    return replicas if replicas and not pinned_to_primary() else [PRIMARY]


def database_snapshot():
    """xmin:xmax:running transactions, e.g. "5482:5484:5482", of each database read from;
    it moves at every commit."""
    snapshots = []
    for alias in read_aliases():
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text")
            snapshots.append(cursor.fetchone()[0])
    return " ".join(snapshots)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = (reverse("admin:index"), reverse("healthz"))

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        snapshot = database_snapshot()
        uri = request.build_absolute_uri()
        # The release too: a shared Redis outlives a deploy.
        key = f"{release.current()} {snapshot} {uri}"
        key = "page:" + hashlib.sha256(key.encode()).hexdigest()
        cached = self.cache_get(key)
        if cached is not None:
            # The view's own conditional GET (articles/syndication/conditional.py) is
            # skipped on a hit: answer If-None-Match / If-Modified-Since from the stored validators.
            response = self.rebuild(cached)
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=last_modified, response=response
            )
        response = self.get_response(request)
        if request.method == "GET" and self.storable(response):
            self.cache_set(key, (response.status_code, list(response.items()), response.content))
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
