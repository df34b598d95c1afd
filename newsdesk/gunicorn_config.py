"""gunicorn settings: `gunicorn -c python:newsdesk.gunicorn_config newsdesk.wsgi`. Its master
and workers log through Newsdesk's one-line formatter; the request log is Django's."""

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
        # Django's request log (newsdesk.middleware.logs) has a line for every request already.
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# A worker stuck past this is killed and replaced; database waits are bounded well
# below it (connect_timeout, statement_timeout).
timeout = 30
# gunicorn 24+ opens a control socket in the user's home; one per machine would clash
# between instances, and nothing here uses it.
control_socket_disable = True
