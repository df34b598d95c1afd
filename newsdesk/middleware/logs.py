"""Logs an operator can read: one line per request, one per error, each stamped in the
newsroom's zone with its offset, by Django and gunicorn alike (newsdesk/gunicorn_config.py).
"""

import logging
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import DisallowedHost

from newsdesk.environment import newsroom_time_zone_name

request_logger = logging.getLogger("newsdesk.requests")

# Characters that could forge or garble a log line: controls, line separators and the
# bidirectional overrides.
UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LONGEST_PATH = 500


def printable(text, limit=LONGEST_PATH):
    """`text` on one line: unsafe characters as \\xNN escapes, cut at `limit`."""
    text = UNSAFE.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
    return text if len(text) <= limit else text[:limit] + "…"


class LineFormatter(logging.Formatter):
    def __init__(self, *args, **kwargs):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.zone = ZoneInfo(newsroom_time_zone_name())

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")


class UnexpectedErrorsOnly(logging.Filter):
    """Keep django.request's records of unexpected server errors only.

    Client errors (4xx) are already in the request log, and database faults (503) are
    logged on one line by newsdesk.middleware.errors; what is left is a bug, with its traceback.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        return status is None or (status >= 500 and status != 503)


class RequestLogMiddleware:
    """`GET /stories/x/ 200 3.1ms`: method, path and query, status, time taken."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        elapsed = (time.monotonic() - started) * 1000
        status = response.status_code
        line = (
            f"{printable(request.method, 20)} {printable(request.get_full_path())} "
            f"{status} {elapsed:.1f}ms"
        )
        if status == 400:
            try:
                request.get_host()
            except DisallowedHost:
                host = printable(request.META.get("HTTP_HOST", ""), 100)
                line += f" (disallowed host {host})"
        level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
        request_logger.log(level, line)
        return response
