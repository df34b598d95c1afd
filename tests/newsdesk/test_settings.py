"""Local and production settings as the settings module reads the environment."""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from unittest import mock

import psycopg
import pytest
from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import clear_url_caches

import newsdesk.settings
from tests.processes import BASE_DIR, PRODUCTION, database_url_for_tests, manage


def settings_under(**env):
    """The settings module run afresh in this process, under `env` over this process's
    environment ("" unsets a variable). Importing the settings starts nothing, so only
    what needs a process of its own (the checks, the audit of what is read) starts one."""
    environ = {name: value for name, value in {**os.environ, **env}.items() if value != ""}
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environ, clear=True):
        spec.loader.exec_module(module)
    return module


SETTINGS_FILE = BASE_DIR / "newsdesk" / "settings.py"


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", NEWSDESK_VAR_DIR=str(tmp_path), **PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_each_of_its_variables(tmp_path):
    for missing in ["DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"]:
        with pytest.raises(ImproperlyConfigured) as refused:
            settings_under(NEWSDESK_VAR_DIR=str(tmp_path), **{**PRODUCTION, missing: ""})

        assert str(refused.value) == (
            f"NEWSDESK_ENV=production needs {missing} in the environment; "
            f"it is missing (see README, Production)."
        )


def test_a_refused_start_is_one_clear_line_from_manage_py(tmp_path):
    result = manage("check", NEWSDESK_VAR_DIR=str(tmp_path), **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: NEWSDESK_ENV=production needs "
        "SECRET_KEY in the environment; it is missing (see README, Production)."
    )


def test_production_names_everything_missing_at_once(tmp_path):
    with pytest.raises(
        ImproperlyConfigured,
        match=(
            "needs DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS in the environment; they are missing"
        ),
    ):
        settings_under(
            NEWSDESK_VAR_DIR=str(tmp_path),
            NEWSDESK_ENV="production",
            DATABASE_URL="",
            SECRET_KEY="",
            ALLOWED_HOSTS="",
        )


def test_production_refuses_debug(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_ENV=production refuses DEBUG=1"):
        settings_under(NEWSDESK_VAR_DIR=str(tmp_path), DEBUG="1", **PRODUCTION)


def test_a_mistyped_mode_is_refused_rather_than_run_as_local(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_ENV is 'prod'"):
        settings_under(NEWSDESK_VAR_DIR=str(tmp_path), **{**PRODUCTION, "NEWSDESK_ENV": "prod"})


def test_production_never_starts_the_embedded_database_nor_makes_a_key(tmp_path):
    production = settings_under(NEWSDESK_VAR_DIR=str(tmp_path), **PRODUCTION)

    assert production.DATABASES["default"]["HOST"] == "127.0.0.1"
    assert list(tmp_path.iterdir()) == []


def test_production_turns_https_on_unless_told_otherwise():
    on = settings_under(**PRODUCTION)
    off = settings_under(HTTPS="0", **PRODUCTION)

    assert (on.SECURE_SSL_REDIRECT, on.SESSION_COOKIE_SECURE, on.SECURE_HSTS_SECONDS) == (
        True,
        True,
        31536000,
    )
    assert getattr(off, "SECURE_SSL_REDIRECT", global_settings.SECURE_SSL_REDIRECT) is False


@pytest.mark.django_db
def test_web_processes_bound_every_statement_and_commands_do_not():
    def statement_timeout(**env):
        database = settings_under(DATABASE_URL=database_url_for_tests(), **env).DATABASES
        db = database["default"]
        with psycopg.connect(
            dbname=db["NAME"],
            user=db["USER"],
            host=db["HOST"],
            port=db["PORT"] or None,
            options=db["OPTIONS"].get("options", ""),
        ) as connection:
            return connection.execute("SHOW statement_timeout").fetchone()[0]

    assert statement_timeout(NEWSDESK_SERVES_REQUESTS="1") == "5s"
    assert statement_timeout(NEWSDESK_SERVES_REQUESTS="") == "0"


def test_redis_url_selects_the_shared_cache():
    local = settings_under(REDIS_URL="")
    shared = settings_under(REDIS_URL="redis://127.0.0.1:6379/0")

    assert local.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shared.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


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
print(walked, [path for path in read if path.startswith({base!r})], "pgserver" in sys.modules)
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
    assert result.stdout.split("\n")[0] == "[] [] False"  # no walk, no file read, no pgserver
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def test_debug_follows_the_debug_variable_and_is_off_unless_asked():
    # pytest-django turns DEBUG off for the tests themselves: only the settings module,
    # read afresh, shows what it decides.
    for value, debug in [("", False), ("0", False), ("no", False), ("1", True), ("true", True)]:
        assert settings_under(DEBUG=value).DEBUG is debug, value


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


def test_the_benchmark_reference_view_exists_only_in_bench_mode(client, db, settings):
    assert client.get("/bench/trivial/").status_code == 404

    settings.BENCH_MODE = settings_under(NEWSDESK_BENCH="1").BENCH_MODE
    with mock.patch.dict(sys.modules):
        sys.modules.pop("newsdesk.urls", None)  # the URLconf reads BENCH_MODE once
        clear_url_caches()
        try:
            assert client.get("/bench/trivial/").status_code == 200
        finally:
            clear_url_caches()


def test_passwords_are_hashed_with_a_slow_hasher_outside_the_tests():
    # tests/conftest.py swaps in a fast hasher for the suite; the settings themselves must not.
    hashers = getattr(newsdesk.settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0].rpartition(".")[2] in {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "ScryptPasswordHasher",
    }
