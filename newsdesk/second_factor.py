"""Editors' second factor: a time-based code (TOTP) or a recovery code, through django-otp.

`enrol` gives an account its authenticator secret and recovery codes; the admin's
sign-in form asks for a code, which REQUIRE_SECOND_FACTOR (on in production) makes
compulsory and the admin site then demands of every session. A wrong code counts as a
failed sign-in for the lockout (django-axes), as a wrong password does.
"""

from base64 import b32encode
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


@dataclass(frozen=True)
class Enrolment:
    """What the account's owner needs, shown once: nobody can read it back later."""

    secret: str  # base32, as authenticator apps take it typed in
    uri: str  # otpauth://totp/…, as they take it from a QR code
    recovery_codes: list[str]

    def instructions(self) -> str:
        codes = "\n".join(f"    {code}" for code in self.recovery_codes)
        return (
            "Second factor: add this secret to an authenticator app (type it, or make a QR "
            "code of the address below), then sign in with the 6-digit code it shows:\n\n"
            f"    {self.secret}\n\n    {self.uri}\n\n"
            "Recovery codes, each good for one sign-in without the app; keep them apart "
            f"from the password:\n\n{codes}"
        )


@transaction.atomic
def enrol(user) -> Enrolment:
    """A new authenticator secret and recovery codes for `user`, replacing any earlier ones."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    authenticator = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return Enrolment(
        secret=b32encode(authenticator.bin_key).decode(),
        uri=authenticator.config_url,
        recovery_codes=codes,
    )


class SecondFactorLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: user name, password and a code.

    The code's shape picks the device (six digits: the authenticator; otherwise a
    recovery code), so one field serves both and a failure is counted against one
    device only.
    """

    otp_token = forms.CharField(
        label="Code",
        required=False,
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": "Enter the code from your authenticator app.",
        "not_enrolled": (
            "This account has no second factor, which this site requires: ask an "
            "administrator to run `manage.py enrol_second_factor` for it."
        ),
        "wrong_code": "That code is wrong or already used. Try the current one.",
        "throttled": "Too many wrong codes: wait a little, then try the current one.",
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None:
            user.otp_device = self.verified_device(user, cleaned_data.get("otp_token", ""))
        return cleaned_data

    def verified_device(self, user, code):
        """The device that accepts `code`, None when a code is optional and none was given."""
        code = "".join(code.split()).lower()
        required = settings.REQUIRE_SECOND_FACTOR
        if not code:
            if required:
                raise self.refusal("code_required")
            return None
        kind = TOTPDevice if code.isdigit() else StaticDevice
        with transaction.atomic():
            device = next(
                (d for d in devices_for_user(user, for_verify=True) if isinstance(d, kind)), None
            )
            if device is None:
                raise self.refusal("not_enrolled" if required else "wrong_code")
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return device
        # A guess during django-otp's own back-off is a failed sign-in all the same.
        self.count_failure()
        raise self.refusal("wrong_code" if allowed else "throttled")

    def refusal(self, code):
        return forms.ValidationError(self.error_messages[code], code=code)

    def count_failure(self):
        """A wrong code is a failed sign-in for django-axes, which locks after enough."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )


class NewsdeskAdminSite(AdminSite):
    """The admin, asking for a code at sign-in and, with REQUIRE_SECOND_FACTOR, refusing
    every session that was not verified by one (a password alone reaches nothing)."""

    login_form = SecondFactorLoginForm
    login_template = "admin/second_factor_login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_SECOND_FACTOR or request.user.is_verified()
