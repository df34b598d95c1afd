"""Newsdesk settings, read from the environment with safe defaults for local use.

See README.md, "Configuration", for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

from newsdesk import embedded_postgres

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = embedded_postgres.VAR_DIR  # NEWSDESK_VAR_DIR, default var/: the local database and key


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once into var/, so sessions survive restarts of a local server."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsdesk.replicas.PrimaryPinningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": embedded_postgres.database_settings(embedded_postgres.PGDATA)}
DATABASES["default"].update(
    {
        # A new connection per request costs 4-5x in throughput (see shared/NOTES.md).
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
)
# Fail fast when the database is away, well before gunicorn's 30 s worker timeout.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Read replicas (see newsdesk/replicas.py): public reads go to one of them. Tests run
# them as mirrors of the test database.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica_{number}"] = {
        **DATABASES["default"],
        **dj_database_url.parse(url),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["newsdesk.replicas.ReplicaRouter"]
# How long a client that wrote keeps reading from the primary, past any replica lag.
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Wire time lines carry no zone: they are read, stored and shown in the newsroom's zone.
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "America/New_York")
# `make bench` serves a trivial reference view, and only then (NEWSDESK_BENCH=1).
BENCH_MODE = env_flag("NEWSDESK_BENCH")
# How long a breaking update reads "Breaking" before the page says "Updated" instead.
BREAKING_HOURS = float(os.environ.get("BREAKING_HOURS", "24"))
# The name feeds, sitemaps and structured data give the publication.
PUBLICATION_NAME = os.environ.get("PUBLICATION_NAME", "Newsdesk")
# How long shared caches may keep a public page, and serve it stale while they refresh.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("STALE_WHILE_REVALIDATE_SECONDS", "600"))
# How often a story page asks whether the story has a newer revision.
LIVE_UPDATE_SECONDS = int(os.environ.get("LIVE_UPDATE_SECONDS", "30"))
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security headers that cost nothing over plain HTTP; the HTTPS-only ones follow HTTPS=1.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_flag("HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain to HTTPS for good: the operator's call,
        # not a default, so its reminder is silenced until they opt in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
