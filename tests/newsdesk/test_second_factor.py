"""Editors' second factor: enrolment printed once, codes at sign-in, enforced when required,
and wrong codes counted by the sign-in lockout."""

import io
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import EDITOR_PASSWORD, enrolment_in, totp

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def create_editor(username="dana"):
    out = io.StringIO()
    call_command("create_editor", username, "--name", "Dana Kim", stdout=out)
    text = out.getvalue()
    return text, text.split("\n\n")[1].strip(), enrolment_in(text)


def wrong(code):
    """A code of the right shape that is not `code`."""
    return str((int(code) + 1) % 10**6).zfill(6)


def sign_in(client, username, password, code=""):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code})


def test_create_editor_prints_the_secret_its_uri_and_recovery_codes_once(editors_group):
    text, _, enrolment = create_editor()

    device = TOTPDevice.objects.get(user__username="dana")
    uri = urlsplit(enrolment.uri)
    assert (uri.scheme, uri.netloc, unquote(uri.path)) == ("otpauth", "totp", "/Newsdesk:dana")
    query = parse_qs(uri.query)
    assert query["secret"] == [enrolment.secret] and query["issuer"] == ["Newsdesk"]
    assert device.verify_token(totp(enrolment.secret))  # the printed secret is the device's
    stored = set(
        StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True)
    )
    assert len(enrolment.recovery_codes) == 10 and set(enrolment.recovery_codes) == stored
    assert text.count(enrolment.uri) == 1
    for secret in [enrolment.secret, *enrolment.recovery_codes]:
        assert text.replace(enrolment.uri, "").count(secret) == 1


def test_editor_signs_in_with_a_code_then_with_a_recovery_code_once(editors_group, client):
    _, password, enrolment = create_editor()

    signed_in = sign_in(client, "dana", password, totp(enrolment.secret))
    assert signed_in.status_code == 302
    assert client.get(INDEX).context["request"].user.is_verified()

    recovery = enrolment.recovery_codes[0]
    client.logout()
    assert sign_in(client, "dana", password, recovery.upper()).status_code == 302
    client.logout()
    spent = sign_in(client, "dana", password, recovery)  # a recovery code works once
    assert spent.status_code == 200 and "wrong or already used" in spent.content.decode()


def test_in_local_mode_the_code_is_optional_but_checked_when_given(editors_group, client):
    _, password, enrolment = create_editor()

    refused = sign_in(client, "dana", password, wrong(totp(enrolment.secret)))
    assert refused.status_code == 200
    assert "wrong or already used" in refused.content.decode()
    assert sign_in(client, "dana", password).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_when_required_no_password_alone_reaches_the_admin(settings, editor, client):
    settings.REQUIRE_SECOND_FACTOR = True

    not_enrolled = sign_in(client, editor.username, EDITOR_PASSWORD, "123456")
    assert "no second factor" in not_enrolled.content.decode()
    _, password, enrolment = create_editor()
    no_code = sign_in(client, "dana", password)
    assert "Enter the code" in no_code.content.decode()
    for path in [INDEX, reverse("admin:articles_story_changelist")]:
        client.force_login(editor)  # a session signed in by password only
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(LOGIN), path

    assert sign_in(client, "dana", password, totp(enrolment.secret)).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_wrong_codes_count_toward_the_sign_in_lockout(settings, editors_group, client):
    _, password, enrolment = create_editor()
    right = totp(enrolment.secret)

    answers = [
        sign_in(client, "dana", password, wrong(right)).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert AccessAttempt.objects.get(username="dana").failures_since_start == len(answers)
    assert sign_in(client, "dana", password, right).status_code == 429
    assert "otp_token=" + wrong(right) not in AccessAttempt.objects.get().post_data


def test_the_admin_never_shows_a_secret_or_recovery_code_again(admin_client, editors_group):
    _, _, enrolment = create_editor()
    device = TOTPDevice.objects.get(user__username="dana")
    recovery = StaticToken.objects.filter(token__in=enrolment.recovery_codes).first().device

    for view in ["config", "qrcode"]:
        url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
        assert admin_client.get(url).status_code == 403, view
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_change", args=[recovery.pk]),
    ]
    for url in pages:
        page = admin_client.get(url).content.decode()
        assert device.key not in page and enrolment.secret not in page, url
        assert not any(code in page for code in enrolment.recovery_codes), url


def test_enrolling_again_replaces_the_second_factor(editors_group):
    _, _, first = create_editor()
    out = io.StringIO()

    call_command("enrol_second_factor", "dana", stdout=out)

    second = enrolment_in(out.getvalue())
    assert second.secret != first.secret
    device = TOTPDevice.objects.get(user__username="dana")  # one device, the new one
    assert device.verify_token(totp(second.secret))
    assert not StaticToken.objects.filter(token__in=first.recovery_codes).exists()
    with pytest.raises(CommandError, match="no user “nobody”"):
        call_command("enrol_second_factor", "nobody")


# Production requires the second factor by default: tests/newsdesk/test_security.py signs
# in to a production process with and without a code.
