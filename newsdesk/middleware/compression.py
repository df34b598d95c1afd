"""Compressed text responses that cannot leak a secret (BREACH).

BREACH recovers a secret from a compressed response when the same response also
reflects what an attacker sends (a query string, a form value): the compressed size
shows how much of the guess matched the secret. So a response is compressed only when
it carries no secret at all:

- not for a request with a session cookie: a signed-in editor's pages carry their
  CSRF token and their name, and are not the bulk of the traffic;
- not when the view used the CSRF token (a form), or the response sets a cookie;
- never under /admin/.

Everything else (public pages, feeds, JSON) is compressed for clients that accept it,
with Django's GZipMiddleware, which also pads each response with a random number of
bytes. Static files are compressed ahead of time by whitenoise.
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
