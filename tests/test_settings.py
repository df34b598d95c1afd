import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY="x7#kQ2!vR9" * 6,
        ALLOWED_HOSTS="news.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def debug_setting(**env):
    """settings.DEBUG as the settings module reads it from `env`, in a fresh process.

    pytest-django turns DEBUG off for the tests themselves, so only a process of its
    own shows what the settings module decides.
    """
    environ = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    # A database address that is parsed, never connected to: no embedded server starts.
    environ.update(DATABASE_URL="postgres://nobody@localhost:1/nothing", **env)
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=BASE_DIR,
        env={**environ, "DJANGO_SETTINGS_MODULE": "newsdesk.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked():
    assert debug_setting() == "False"


@pytest.mark.parametrize(
    "value, debug",
    [("", "False"), ("0", "False"), ("no", "False"), ("1", "True"), ("true", "True")],
)
def test_debug_follows_the_debug_variable(value, debug):
    assert debug_setting(DEBUG=value) == debug


def test_every_test_runs_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_the_benchmark_reference_view_exists_only_in_bench_mode(client, db):
    assert client.get("/bench/trivial/").status_code == 404
    result = manage(
        "shell",
        "-c",
        "from django.urls import resolve; print(resolve('/bench/trivial/').func)",
        NEWSDESK_BENCH="1",
    )
    assert "trivial" in result.stdout, result.stderr
