"""Error pages that need no database, and 503 instead of 500 while PostgreSQL is away.

Error templates render without the request (no context processor can reach the database)
and fall back to a one-line page. A database fault from a view or a middleware answers
503 with Retry-After; the next request after the database is back gets a new connection.
"""

import logging
import signal
import sys
import threading

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from newsdesk.middleware import breaker

logger = logging.getLogger("newsdesk.errors")

RETRY_AFTER_SECONDS = 30
DATABASE_FAULTS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    413: "Request too large",
    500: "Server error",
    503: "Service unavailable",
}


# The API's errors are problem documents (RFC 9457), as its own 400s and 404s are,
# whatever answers them: a 503 while the database is away, a 404 from the URLs.
API_PATH = "/api/"
DETAILS = {
    400: "The request could not be understood.",
    403: "The request is not allowed.",
    404: "There is nothing at this address.",
    413: "The request sent more than this API accepts; none of it was read.",
    500: "Something went wrong on the server.",
    503: f"The archive is unavailable for now; try again in {RETRY_AFTER_SECONDS} seconds.",
}


def problem(status):
    document = {"type": "about:blank", "title": TITLES[status], "status": status}
    document["detail"] = DETAILS[status]
    response = JsonResponse(document, status=status, content_type="application/problem+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def render_error(status, request=None, **context):
    if request is not None and request.path.startswith(API_PATH):
        return problem(status)
    try:
        content = loader.render_to_string(f"{status}.html", context)
    except Exception:
        logger.exception("The %s page could not be rendered", status)
        content = (
            f'<!DOCTYPE html><html lang="en"><meta charset="utf-8">'
            f"<title>{TITLES[status]} — Newsdesk</title><h1>{TITLES[status]}</h1></html>"
        )
    return HttpResponse(content, status=status)


def is_database_fault(exc):
    return isinstance(exc, DATABASE_FAULTS)


class DeadlinePassed(OperationalError):
    """The request ran past REQUEST_DEADLINE, most likely waiting on the database."""


def close_connections():
    # A connection cut off mid-query, or one the server dropped, cannot be trusted
    # with the next request; a new one costs little after an outage.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def database_unavailable(request, exc):
    close_connections()
    breaker.record(exc)
    first_line = str(exc).strip().partition("\n")[0]
    logger.error(
        "Database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        first_line,
    )
    return unavailable(request)


def unavailable(request):
    response = render_error(503, request)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseBreakerMiddleware:
    """While this process counts the database as away (breaker.py), answer 503 at once.

    Inside the page cache, so a page it holds is still served; outside everything that
    reads the database (the session, the user, the views). /healthz answers for itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.healthz = reverse("healthz")

    def __call__(self, request):
        reason = breaker.away()
        if not reason or request.path == self.healthz:
            return self.get_response(request)
        logger.error(
            "Database unavailable, answered 503 to %s %s at once: not asked again yet after %s",
            request.method,
            request.path,
            reason,
        )
        return unavailable(request)


class DatabaseFaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_fault(exception):
            return database_unavailable(request, exception)
        return None


class RequestDeadlineMiddleware:
    """A database that stops answering in mid-query (a frozen server, a lost network)
    would hold the worker until gunicorn kills it, and the reader would get no answer
    at all. Past REQUEST_DEADLINE seconds the request is cut short with a 503 instead.

    The timeouts of the database come first (connect_timeout, statement_timeout); this
    is the bound for what they cannot see. It uses SIGALRM, so it runs only in a
    process's main thread: gunicorn's sync workers, not runserver's threads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.REQUEST_DEADLINE
        if not seconds or threading.current_thread() is not threading.main_thread():
            return self.get_response(request)
        previous = signal.signal(signal.SIGALRM, self.expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return self.get_response(request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    @staticmethod
    def expire(signum, frame):
        raise DeadlinePassed(
            f"no answer within the request deadline ({settings.REQUEST_DEADLINE} s)"
        )


# handler400, handler403, handler404, handler500 (see newsdesk/urls.py).


def bad_request(request, exception):
    return render_error(400, request)


def permission_denied(request, exception):
    return render_error(403, request)


def page_not_found(request, exception):
    return render_error(404, request)


def server_error(request):
    exc = sys.exc_info()[1]
    if is_database_fault(exc):
        return database_unavailable(request, exc)
    return render_error(500, request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or cookies off."""
    logger.warning("CSRF check failed for %s %s: %s", request.method, request.path, reason)
    return render_error(403, csrf_failure=True)
