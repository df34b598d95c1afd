"""Security headers, cookies, compression without BREACH, and admin sign-in throttling."""

import gzip
import io
import json
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from newsdesk.middleware.security import client_ip
from tests.helpers import SEED_SLUG, enrolment_in, totp
from tests.processes import PRODUCTION, database_url_for_tests, manage

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def policy(header):
    """A Content-Security-Policy header as {directive: sources}."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


PAGES = [
    "/",
    reverse("articles:story_detail", kwargs={"slug": SEED_SLUG}),
    reverse("admin:login"),
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_the_security_headers(client, seed_story, path):
    response = client.get(path)

    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_error_pages_send_the_policy_too(client):
    response = client.get("/stories/no-such-story/")

    assert response.status_code == 404
    assert policy(response["Content-Security-Policy"]) == CSP


PRODUCTION_REQUESTS = """
import json
from django.test import Client
c = Client()
home = c.get("/", secure=True)
plain = c.get("/")
health = c.get("/healthz")
login_page = c.get("/admin/login/", secure=True)
password_only = c.post("/admin/login/", {"username": "ed", "password": "a long passphrase"}, secure=True)
admin_after_password = c.get("/admin/", secure=True)
signed_in = c.post(
    "/admin/login/",
    {"username": "ed", "password": "a long passphrase", "otp_token": CODE},
    secure=True,
)
print(json.dumps({
    "home": dict(home.headers), "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "cookies": {name: dict(m, value=m.value) for name, m in c.cookies.items()},
    "password_only": [password_only.status_code, admin_after_password.status_code],
    "signed_in": signed_in.status_code, "admin": c.get("/admin/", secure=True).status_code,
}))
"""


@pytest.mark.django_db(transaction=True)
def test_production_adds_hsts_https_redirect_host_only_cookies_and_a_second_factor(settings):
    # The production process signing in knows only the real hasher, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.create_superuser("ed", password="a long passphrase")
    out = io.StringIO()
    call_command("enrol_second_factor", "ed", stdout=out)
    # The next step's code: the current one may be spent before the process runs.
    code = totp(enrolment_in(out.getvalue()).secret, at=time.time() + 30)

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRODUCTION_REQUESTS.replace("CODE", repr(code)),
        **{**PRODUCTION, "DATABASE_URL": database_url_for_tests(), "ALLOWED_HOSTS": "testserver"},
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["home"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert policy(seen["home"]["Content-Security-Policy"]) == CSP
    assert seen["plain"] == [301, "https://testserver/"]
    assert seen["health"] == 200  # load balancers probe over plain HTTP
    # A password alone is refused and reaches no admin page; with the code, in.
    assert seen["password_only"] == [200, 302]
    assert (seen["signed_in"], seen["admin"]) == (302, 200)
    assert set(seen["cookies"]) == {"__Host-csrftoken", "__Host-sessionid"}
    for cookie in seen["cookies"].values():
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"], cookie["path"]) == (
            True,
            True,
            "Lax",
            "/",
        )
        assert cookie["domain"] == ""


def test_a_stale_form_gets_the_form_expired_page(client):
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "ed", "password": "x"}
    )

    assert response.status_code == 403
    assert "<h1>Form expired</h1>" in response.content.decode()


# Compression, and BREACH: no compressed response carries a secret.


def test_public_pages_are_compressed_for_clients_that_accept_it(client, seed_story):
    for path in PAGES[:2]:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")

        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content).startswith(b"<!DOCTYPE html>")


def test_pages_are_not_compressed_for_clients_that_do_not_ask(client, seed_story):
    assert not client.get("/").has_header("Content-Encoding")


def test_nothing_carrying_a_csrf_token_is_compressed(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_ENCODING="gzip")

    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_signed_in_pages_are_not_compressed(admin_client, seed_story):
    for path in ["/", reverse("admin:index")]:
        assert not admin_client.get(path, HTTP_ACCEPT_ENCODING="gzip").has_header(
            "Content-Encoding"
        )


# Admin sign-in throttling (django-axes).


@pytest.fixture
def editor(db):
    return User.objects.create_superuser("ed", password="a long passphrase")


def sign_in(client, password, address="203.0.113.7", username="ed"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_repeated_bad_passwords_lock_the_user_out_from_that_address(client, editor):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error

    fifth = sign_in(client, "wrong")
    right_password_too_late = sign_in(client, "a long passphrase")

    for response in (fifth, right_password_too_late):
        assert response.status_code == 429
        content = response.content.decode()
        assert "<h1>Sign-in locked</h1>" in content
        assert "5 failed attempts to sign in as “ed” from your address" in content
        assert "locked for 15 minutes" in content
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_the_user_out_from_elsewhere(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")

    assert sign_in(client, "a long passphrase", address="198.51.100.2").status_code == 302


def test_axes_reset_unlocks(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")

    call_command("axes_reset_username", "ed", stdout=io.StringIO())

    assert sign_in(client, "a long passphrase").status_code == 302


def test_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2  # the first proxy saw the client; 6.6.6.6 is forged
    assert client_ip(request) == "203.0.113.7"


def test_a_lockout_ends_on_time_however_often_it_is_tried(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")
    attempts = AccessAttempt.objects.filter(username="ed")

    def minutes_pass(minutes):
        attempts.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))

    retry_afters = []
    for password in ["a long passphrase", "wrong", "a long passphrase"]:
        minutes_pass(4)
        during = sign_in(client, password)
        assert during.status_code == 429
        retry_afters.append(int(during["Retry-After"]))
    minutes_pass(3)

    # Counted down from the fifth failure (15 minutes less 4, 8, 12), never started again.
    for retry_after, expected in zip(retry_afters, [11 * 60, 7 * 60, 3 * 60], strict=True):
        assert expected - 5 <= retry_after <= expected
    assert sign_in(client, "a long passphrase").status_code == 302
