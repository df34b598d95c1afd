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
# In a sentence (a reason), spaces are kept.
UNSAFE_IN_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LONGEST_PATH = 500
REASON_LENGTH = 200


def printable(text, limit=LONGEST_PATH, unsafe=UNSAFE):
    """`text` on one line: unsafe characters as \\xNN escapes, cut at `limit`."""
    text = unsafe.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
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


class ClientErrorHandler(logging.Handler):
    """Django's security events (django.security.*: DisallowedHost, RequestDataTooBig,
    TooManyFieldsSent, SuspiciousFileOperation…) are a client's error, not ours: each
    becomes the reason on its request's one log line, without a traceback. An event
    with no request is a line of its own."""

    def emit(self, record):
        event = record.name.rpartition(".")[2]
        message = record.getMessage().strip().partition("\n")[0]
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            request.client_error = (event, message)
        else:
            request_logger.warning(
                "%s: %s", event, printable(message, REASON_LENGTH, UNSAFE_IN_TEXT)
            )


def reason(request):
    """Why the client's request was refused, for its log line, or ""."""
    refused_lookup = getattr(request, "refused_lookup", None)
    if refused_lookup:
        return f"refused lookup: {printable(refused_lookup, REASON_LENGTH, UNSAFE_IN_TEXT)}"
    event, message = getattr(request, "client_error", ("", ""))
    if event == "DisallowedHost" or (not event and host_disallowed(request)):
        return f"disallowed host {printable(request.META.get('HTTP_HOST', ''), 100)}"
    return f"{event}: {printable(message, REASON_LENGTH, UNSAFE_IN_TEXT)}" if event else ""


def host_disallowed(request):
    try:
        request.get_host()
    except DisallowedHost:
        return True
    return False


class RequestLogMiddleware:
    """`GET /stories/x/ 200 3.1ms`: method, path and query, status, time taken, and for
    a refused request, why."""

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
        why = reason(request) if status in (400, 413) else ""
        if why:
            line += f" ({why})"
        level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
        request_logger.log(level, line)
        return response
