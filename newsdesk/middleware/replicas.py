"""PostgreSQL read replicas (DATABASE_REPLICA_URLS): ReplicaRouter sends public reads to
one; PrimaryPinningMiddleware keeps writes, the admin and a client's requests for a short
while after it wrote on the primary, so an editor sees what they just posted.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

PRIMARY = "default"
PIN_COOKIE = "newsdesk_primary"
# Outside a request (commands, the importer, tests) everything reads from the primary.
_pinned = ContextVar("newsdesk_pinned_to_primary", default=True)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get():
            return PRIMARY
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY  # replicas follow the primary's schema by replication


class PrimaryPinningMiddleware:
    """Serve writes, the admin and a writer's next requests from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = reverse("admin:index")  # once, not matched again for every request

    def __call__(self, request):
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        pinned = writes or request.path.startswith(self.admin) or PIN_COOKIE in request.COOKIES
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes and replica_aliases():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def pinned_to_primary():
    """Whether reads in this context go to the primary."""
    return _pinned.get()
