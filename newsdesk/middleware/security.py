"""What Django's and django-csp's middleware leave out: one header, and login throttling."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy, which Django's SecurityMiddleware does not send."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        if policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in over the web.

    A sign-in without a request (Client.login() in tests, code in a shell) has no
    address to throttle; it goes straight to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address: the connection's, or the one TRUSTED_PROXY_COUNT proxies saw.

    Each proxy appends the address it was connected from to X-Forwarded-For, so with
    n proxies the n-th entry from the right is the client; anything left of it is
    whatever the client sent, and not to be trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
