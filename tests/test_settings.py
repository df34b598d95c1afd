import os
import subprocess
import sys
from pathlib import Path

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


def test_debug_is_off_unless_asked():
    assert settings.DEBUG is False


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
