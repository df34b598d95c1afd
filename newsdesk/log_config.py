"""The logging configuration: one line per request (newsdesk.requests) and per error,
every time stamp in TIME_ZONE with its offset; tracebacks only for errors nobody expected
(newsdesk/middleware/logs.py)."""


def configuration(level):
    """Django's LOGGING setting, the root logger at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": "newsdesk.middleware.logs.LineFormatter"}},
        "filters": {"unexpected_only": {"()": "newsdesk.middleware.logs.UnexpectedErrorsOnly"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "line"},
            "client_errors": {"class": "newsdesk.middleware.logs.ClientErrorHandler"},
            # A logger with no handler at all would fall back to Python's lastResort
            # handler: unformatted, with the traceback.
            "discard": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler would print some lines twice.
            "django": {"handlers": [], "level": "INFO"},
            # The request log already has a line for every 4xx, and newsdesk.errors one
            # for every database fault; keep Django's lines (with tracebacks) for the rest.
            "django.request": {"filters": ["unexpected_only"]},
            # runserver's own request lines duplicate the request log.
            "django.server": {"handlers": ["discard"], "propagate": False},
            # A disallowed Host, a body too big, a refused lookup: the reason on the
            # request's one line (newsdesk.middleware.logs.ClientErrorHandler), no traceback.
            "django.security": {"handlers": ["client_errors"], "propagate": False},
            "axes": {"level": "WARNING"},
        },
    }
