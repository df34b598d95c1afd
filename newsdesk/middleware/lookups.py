"""Admin lists answer a query string they cannot use with a 400 page, never a 500.

Any admin list (ours, Django's users and groups, django-axes' records) takes lookups
from its address: `?headline__regex=(`, `?agency__exact=%00`, `?id__range=1`. Django
builds the query from them and only PostgreSQL, or the SQL compiler, finds out that a
NUL byte, a broken regular expression or a one-ended range cannot be asked. Here, for
the admin's list views only, those refusals become a 400 naming the reason; so does the
redirect to `?e=1` with which Django answers lookups it refused itself.
"""

import logging

from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import DataError
from django.template.response import TemplateResponse

logger = logging.getLogger("newsdesk.requests")

# What a lookup value from the address can make the database or the compiler raise:
# PostgreSQL's data exceptions (NUL, regular expression, out of range), a range of
# one value (IndexError), a value of the wrong type for its field; and a lookup the
# ModelAdmin does not allow (a user's password), which Django would answer with a bare 400.
REFUSED = (
    DisallowedModelAdminLookup,
    DataError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
    ValidationError,
)
LIST_VIEWS = ("_changelist", "autocomplete")
TEMPLATE = "admin/refused_lookup.html"


def list_admin(request):
    """The ModelAdmin (or the site, for autocomplete) whose list `request` asks for, if any."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "admin" or not match.url_name:
        return None
    if not match.url_name.endswith(LIST_VIEWS):
        return None
    return getattr(match.func, "model_admin", None) or getattr(match.func, "admin_site", None)


def refused(request, model_admin, reason):
    site = getattr(model_admin, "admin_site", model_admin)
    request.refused_lookup = reason  # for the request log's line
    context = {
        **site.each_context(request),
        "opts": getattr(model_admin, "opts", None),
        "title": "This list cannot be shown",
        "reason": reason,
    }
    return TemplateResponse(request, TEMPLATE, context, status=400).render()


class RefusedLookupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        model_admin = list_admin(request)
        if model_admin is not None and response.status_code == 302:
            if response.get("Location") == f"{request.path}?{ERROR_FLAG}=1":
                reason = "it filters by a field or value this list does not offer"
                return refused(request, model_admin, reason)
        return response

    def process_exception(self, request, exception):
        model_admin = list_admin(request)
        if model_admin is None or not isinstance(exception, REFUSED):
            return None
        reason = str(exception).strip().partition("\n")[0] or type(exception).__name__
        if isinstance(exception, IndexError):
            reason = "a range needs two values, a start and an end"
        return refused(request, model_admin, reason)
