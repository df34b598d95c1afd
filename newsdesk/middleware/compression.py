"""Compressed text responses that cannot leak a secret (BREACH): gzip only responses that
carry none, so not for a session cookie, a view that used the CSRF token, a response
that sets a cookie, or anything under /admin/. Django's GZipMiddleware pads each one.

A 304 repeats the ETag and Vary its 200 would carry (RFC 9110 §15.4.5). GZipMiddleware
weakens the ETag of what it compresses and varies it on Accept-Encoding, after the view,
and it never touches a 304 or a short 200; so every 200 and 304 it may concern gets both
here first, decided by the request alone, whatever the body's length.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import reverse
from django.utils.cache import patch_vary_headers

VALIDATED = (200, 304)


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if self.may_carry_secret(request, response):
            return response
        if response.status_code in VALIDATED and not response.has_header("Content-Encoding"):
            self.validators_as_compressed(request, response)
        return super().process_response(request, response)

    @staticmethod
    def validators_as_compressed(request, response):
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.get("ETag", "")
        if etag.startswith('"') and re_accepts_gzip.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            response["ETag"] = "W/" + etag

    @staticmethod
    def may_carry_secret(request, response):
        return (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            or bool(response.cookies)
            or request.path.startswith(reverse("admin:index"))
        )
