"""Compressed text responses that cannot leak a secret (BREACH): gzip only responses that
carry none, so not for a session cookie, a view that used the CSRF token, a response
that sets a cookie, or anything under /admin/. Django's GZipMiddleware pads each one.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if self.may_carry_secret(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def may_carry_secret(request, response):
        return (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            or bool(response.cookies)
            or request.path.startswith(reverse("admin:index"))
        )
