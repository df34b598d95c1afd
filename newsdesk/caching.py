"""Public pages from the cache, never staler than the archive.

Every page is cached under a key that includes the archive's version: the id of the
newest revision. Publishing inserts a revision, and the database refuses to change or
delete one, so each new revision changes the version and with it every key: the very
next request renders afresh. Reading the version costs one index-only query
(max(id) of the revision table) instead of the page's own queries and template.

One race needs care. Revision ids are handed out when a revision is inserted, not
when its transaction commits, so a publish that took id 7 could commit after one
that took id 8, and a page rendered between the two commits would be cached under
version 8 without revision 7. So a page is stored only when the snapshot that read
the version shows no write transaction still running (PostgreSQL's
pg_current_snapshot(): its xmin equals its xmax). Any revision committed after that
is inserted after it, gets a higher id and so a new version. A page that cannot be
stored is still served, just rendered.

Not cached: anything but GET and HEAD, requests carrying a session cookie (signed-in
editors always see fresh pages) or credentials, the admin and /healthz, responses
other than 200, responses that set a cookie, vary on anything but Accept-Encoding, or
say private or no-store, and everything inside a transaction (a test's, or
ATOMIC_REQUESTS'), whose data others cannot see yet.

The cache is Django's: each process's memory by default, Redis with REDIS_URL. When
the cache itself fails, pages are served uncached.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import cc_delim_re

from articles.models import Revision

logger = logging.getLogger(__name__)

VERSION_SQL = f"""
SELECT (SELECT max(id) FROM {Revision._meta.db_table}),
       pg_snapshot_xmin(snapshot) = pg_snapshot_xmax(snapshot)
FROM pg_current_snapshot() AS snapshot
"""


def archive_version():
    """(the newest revision's id, whether no write was in flight when it was read)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        newest, settled = cursor.fetchone()
    return newest or 0, settled


class ArchiveCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = (reverse("admin:index"), reverse("healthz"))

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        version, settled = archive_version()
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"page:{version}:{address}"
        cached = self.cache_get(key)
        if cached is not None:
            return self.rebuild(cached)
        response = self.get_response(request)
        if request.method == "GET" and settled and self.storable(response):
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
        return not cache_control & {"private", "no-store"} and varies <= {"accept-encoding"}

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
