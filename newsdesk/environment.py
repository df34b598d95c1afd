"""Values read from the process environment, for the settings and for gunicorn's logging,
which runs before (and without) Django's settings."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def newsroom_time_zone_name() -> str:
    """NEWSROOM_TIME_ZONE: wire time lines are read in it, pages and logs show times in it."""
    return os.environ.get("NEWSROOM_TIME_ZONE", "America/New_York")


def deployment() -> str:
    """NEWSDESK_ENV: "local" (the default) or "production". Production never starts the
    embedded database, and refuses to start without the settings a public site needs,
    naming all that is missing at once, or with DEBUG on."""
    name = os.environ.get("NEWSDESK_ENV", "").strip().lower() or "local"
    if name not in {"local", "production"}:
        raise ImproperlyConfigured(
            f"NEWSDESK_ENV is {name!r}: set it to 'production' or 'local' (the default)."
        )
    if name == "production":
        needed = ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS")
        missing = [variable for variable in needed if not os.environ.get(variable, "").strip()]
        if missing:
            raise ImproperlyConfigured(
                f"NEWSDESK_ENV=production needs {', '.join(missing)} in the environment; "
                f"{'it is' if len(missing) == 1 else 'they are'} missing (see README, Production)."
            )
        if env_flag("DEBUG"):
            raise ImproperlyConfigured(
                "NEWSDESK_ENV=production refuses DEBUG=1: tracebacks would reach the public."
            )
    return name
