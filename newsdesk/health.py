"""/healthz for load balancers and monitors: is the database answering?"""

import logging

from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from newsdesk.middleware import breaker
from newsdesk.middleware.errors import DATABASE_FAULTS, RETRY_AFTER_SECONDS, close_connections

logger = logging.getLogger("newsdesk.errors")


def healthz(request):
    """200 when the database answers `SELECT 1`, else 503: no template, session or cache.

    Right after a request found the database away (breaker.py), 503 without asking it:
    a monitor's checks must not hold a worker on a frozen server either.
    """
    reason = breaker.away()
    if reason:
        return unavailable(f"not asked again yet after {reason}")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_FAULTS as exc:
        close_connections()
        breaker.record(exc)
        return unavailable(str(exc).strip().partition("\n")[0])
    response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


def unavailable(reason):
    logger.error("Health check failed: %s", reason)
    response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
