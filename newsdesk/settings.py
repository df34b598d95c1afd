"""Newsdesk settings, from the environment with defaults for local use (README, Configuration)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.management.utils import get_random_secret_key

from newsdesk import embedded_postgres, log_config
from newsdesk.environment import deployment, env_flag, env_list, newsroom_time_zone_name

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = embedded_postgres.VAR_DIR  # NEWSDESK_VAR_DIR, default var/: the local database and key


def local_secret_key() -> str:
    """A key generated once into var/, so sessions survive restarts of a local server.

    Written here rather than by an entry point: every local process must read the same
    key, however it was started (pytest-django loads settings before any conftest hook).
    """
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


# Local (the default) or production, which refuses to start without what a public
# site needs.
PRODUCTION = deployment() == "production"

SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
# The build serving; when unset, newsdesk.release digests the source at its first use.
RELEASE = os.environ.get("RELEASE", "").strip()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "newsdesk.apps.AdminConfig",  # the admin, signing in with a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "articles",
]

MIDDLEWARE = [
    # Outermost: one log line per request, whatever happens further in.
    "newsdesk.middleware.logs.RequestLogMiddleware",
    # Refuses a body larger than any form here before reading it.
    "newsdesk.middleware.limits.RequestBodyLimitMiddleware",
    "newsdesk.middleware.errors.RequestDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsdesk.middleware.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the cache below hands out, never a response carrying a secret.
    "newsdesk.middleware.compression.CompressionMiddleware",
    "newsdesk.middleware.replicas.PrimaryPinningMiddleware",
    # Inside the pinning (it reads where pages read from), outside the session
    # middleware (it sees the cookies that adds).
    "newsdesk.middleware.caching.PageCacheMiddleware",
    # Inside the cache too (a cached page is still served), before anything that reads
    # the database: 503 at once right after a request found it away.
    "newsdesk.middleware.errors.DatabaseBreakerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # which device, if any, verified the session
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Admin lists answer lookups the database refuses with a 400 (NUL, a bad regex…).
    "newsdesk.middleware.lookups.RefusedLookupMiddleware",
    "newsdesk.middleware.errors.DatabaseFaultMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
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

# Two roles (newsdesk/database_roles.py): the application connects as one that owns no
# table; `migrate`, `flush`, `backup` and `restore` switch to the owner's credentials.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    DATABASE_OWNER = None
    if os.environ.get("DATABASE_OWNER_URL"):
        owner = dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
        DATABASE_OWNER = {"USER": owner["USER"], "PASSWORD": owner.get("PASSWORD", "")}
else:
    # Described, not started: manage.py, newsdesk.wsgi/asgi and the test session start it.
    DATABASES = {"default": embedded_postgres.database()}
    DATABASE_OWNER = {"USER": embedded_postgres.OWNER_ROLE}
DATABASE_APP_USER = DATABASES["default"]["USER"]
DATABASES["default"].update(
    {
        # Connections are reused across requests; one the database dropped is noticed
        # and replaced at the next request.
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
)
# Fail fast when the database is away, well before gunicorn's 30 s worker timeout:
# pages answer 503 (newsdesk/middleware/errors.py) instead of holding a worker.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
)
# Bound every statement a web request runs. newsdesk/wsgi.py marks the processes that
# serve requests; commands such as `migrate` over a large archive stay unbounded.
STATEMENT_TIMEOUT = float(os.environ.get("STATEMENT_TIMEOUT", "5"))
if env_flag("NEWSDESK_SERVES_REQUESTS") and STATEMENT_TIMEOUT > 0:
    options = DATABASES["default"]["OPTIONS"]
    if "statement_timeout" not in options.get("options", ""):
        bound = f"-c statement_timeout={int(STATEMENT_TIMEOUT * 1000)}"
        options["options"] = f"{options.get('options', '')} {bound}".strip()
# What the timeouts above cannot see (a server frozen mid-query): cut a request short
# with a 503 after this many seconds, before gunicorn kills the worker at 30. Requests
# queued behind a worker stuck this long are answered at once after it (below), so 8 s
# keeps every answer within 10 s; no page waits this long on a database that answers.
REQUEST_DEADLINE = float(os.environ.get("REQUEST_DEADLINE", "8"))
# After a request found the database away (newsdesk/middleware/breaker.py), answer 503
# without asking it for this many seconds, then try again; 0 always asks.
DATABASE_RETRY_SECONDS = float(os.environ.get("DATABASE_RETRY_SECONDS", "2"))
# Read replicas (newsdesk/middleware/replicas.py) keep the primary's connection settings
# and timeouts; only where they are differs. Tests run them as mirrors.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    replica = dj_database_url.parse(url)
    DATABASES[f"replica_{number}"] = {
        **DATABASES["default"],
        **{key: replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], **replica.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["newsdesk.middleware.replicas.ReplicaRouter"]
# How long a client that wrote keeps reading from the primary, past any replica lag.
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page cache (newsdesk/middleware/caching.py): in each process's memory, or in Redis.
# Beside it, parts of pages that never change once rendered, a list's row for a story's
# revision say (articles/site/fragments.py): many and small, so kept apart, where they
# cannot push whole pages out.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
            # A Redis that is away costs a second, then pages are served uncached.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        for alias, prefix in (("default", "newsdesk"), ("fragments", "newsdesk-fragments"))
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"newsdesk-{alias}",
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
        for alias, entries in (("default", 2000), ("fragments", 10_000))
    }

# Admin sign-in: django-axes locks a user name from an address after repeated failures.
AUTHENTICATION_BACKENDS = [
    "newsdesk.middleware.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# The 429 says when to come back (Retry-After), and trying during a lockout, even with
# the right password, does not start it again: a lockout ends on time.
AXES_LOCKOUT_CALLABLE = "newsdesk.middleware.security.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "newsdesk.middleware.security.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Wire time lines carry no zone: they are read, and times shown, in the newsroom's zone.
TIME_ZONE = newsroom_time_zone_name()
# `make bench` serves a trivial reference view, and only then (NEWSDESK_BENCH=1).
BENCH_MODE = env_flag("NEWSDESK_BENCH")
BREAKING_HOURS = float(os.environ.get("BREAKING_HOURS", "24"))
PUBLICATION_NAME = os.environ.get("PUBLICATION_NAME", "Newsdesk")
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("STALE_WHILE_REVALIDATE_SECONDS", "600"))
LIVE_UPDATE_SECONDS = int(os.environ.get("LIVE_UPDATE_SECONDS", "30"))
# The largest request body read at all (newsdesk/middleware/limits.py): an editor's
# longest story, sent as a form, fits; an upload of any size does not.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", 8 * 1024 * 1024))
WIRE_MAX_BYTES = int(os.environ.get("WIRE_MAX_BYTES", 1024 * 1024))
USE_I18N = True
USE_TZ = True

# Second factor for the admin (newsdesk/second_factor.py): a time-based code or a
# recovery code at sign-in, compulsory in production, optional in local mode.
REQUIRE_SECOND_FACTOR = env_flag("REQUIRE_SECOND_FACTOR", default=PRODUCTION)
OTP_TOTP_ISSUER = PUBLICATION_NAME  # names the entry in authenticator apps
# Secrets and recovery codes are shown once, by the commands; the admin never shows them.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Keep the code typed at a failed sign-in out of django-axes' records, as the password is.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files after `collectstatic`; plain names before it, so that
    # `manage.py runserver` serves every page with no extra step.
    "staticfiles": {"BACKEND": "newsdesk.storage.StaticFilesStorage"},
}
# Serve static files from the source directories too, when they were never collected.
WHITENOISE_USE_FINDERS = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security headers that cost nothing over plain HTTP; the HTTPS-only ones follow HTTPS
# (on by default in production).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"  # sent by newsdesk.middleware.security
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
CSRF_FAILURE_VIEW = "newsdesk.middleware.errors.csrf_failure"
# Pages run no inline script or style; the admin's scripts are static files too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],  # the admin's autocomplete widgets
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
HTTPS = env_flag("HTTPS", default=PRODUCTION)
if HTTPS:
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
    # The __Host- prefix binds the cookies to this host, over HTTPS, for every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# One line per request and per error (newsdesk/log_config.py).
LOGGING = log_config.configuration(os.environ.get("LOG_LEVEL", "INFO"))
