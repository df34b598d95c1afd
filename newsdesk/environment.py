"""Values read from the process environment, for the settings and for gunicorn's logging,
which runs before (and without) Django's settings."""

import os


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
