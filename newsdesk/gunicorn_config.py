"""gunicorn settings for Newsdesk: `gunicorn -c python:newsdesk.gunicorn_config newsdesk.wsgi`.

The request log comes from Django (newsdesk.logs), so gunicorn's own access log is
off; its master and workers log through the same one-line formatter, stamped in
the newsroom's time zone like every other line.
"""

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "newsdesk.middleware.logs.LineFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        # Django's request log (newsdesk.logs) has a line for every request already.
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# A worker stuck past this is killed and replaced; database waits are bounded well
# below it (connect_timeout, statement_timeout).
timeout = 30
# gunicorn 24+ opens a control socket in the user's home; one per machine would clash
# between instances, and nothing here uses it.
control_socket_disable = True
