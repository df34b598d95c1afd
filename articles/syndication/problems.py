"""RFC 9457 problem documents, for the endpoints of this package that answer in JSON."""

from http import HTTPStatus

from django.http import JsonResponse


def problem(status, detail, headers=None):
    return JsonResponse(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type="application/problem+json",
        headers=headers,
    )
