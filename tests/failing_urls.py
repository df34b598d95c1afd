"""The site's URLs plus views that fail on purpose, to reach each error page.

Tests set ROOT_URLCONF = "tests.failing_urls".
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection, transaction
from django.urls import include, path

from newsdesk.middleware import errors


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


def unavailable(request):
    raise OperationalError("the database is away")


def slow(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("unavailable/", unavailable),
    path("slow/", slow),
    path("", include("newsdesk.urls")),
]
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
