"""/healthz for load balancers and monitors: is the database answering?"""

import logging

from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from newsdesk.middleware.errors import DATABASE_FAULTS, RETRY_AFTER_SECONDS

logger = logging.getLogger("newsdesk.errors")


def healthz(request):
    """200 when the database answers `SELECT 1`, else 503: no template, session or cache."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_FAULTS as exc:
        logger.error("Health check failed: %s", str(exc).strip().partition("\n")[0])
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response
