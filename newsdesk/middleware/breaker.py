"""This process's memory that PostgreSQL just failed to answer, so requests stop waiting on it.

A request that meets a database which says nothing (a refused or timed-out connection, a
server frozen mid-query cut short by the request deadline) has waited for it already.
Under gunicorn's sync workers every request queued behind that worker would wait as long
again, one after the other. For DATABASE_RETRY_SECONDS after such a fault this process
answers 503 at once without touching the database (errors.DatabaseBreakerMiddleware,
/healthz); then the next request tries it again. An error the server sent itself (a
statement timeout, a lock or constraint error) means it is answering: nothing opens.
"""

import time

from django.conf import settings

clock = time.monotonic  # the tests move time on without sleeping

_away_until = 0.0
_reason = ""


def unanswered(exc):
    """Whether `exc` means the server said nothing: errors it sent carry a SQLSTATE
    (psycopg's, under Django's wrapper); a refused, timed-out or lost connection and the
    request deadline do not."""
    while exc is not None:
        if getattr(exc, "sqlstate", None):
            return False
        exc = exc.__cause__
    return True


def record(exc):
    """Note a database fault a request met; one the server did not answer opens the breaker."""
    global _away_until, _reason
    if settings.DATABASE_RETRY_SECONDS > 0 and unanswered(exc):
        _away_until = clock() + settings.DATABASE_RETRY_SECONDS
        _reason = f"{type(exc).__name__}: {str(exc).strip().partition(chr(10))[0]}"


def away():
    """Why the database counts as away for now, or "" once it is worth asking again."""
    if clock() < _away_until:
        return _reason
    return ""


def reset():
    global _away_until, _reason
    _away_until, _reason = 0.0, ""
