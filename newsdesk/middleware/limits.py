"""A request body too large for any form here is refused before a byte of it is read.

Django bounds what it keeps in memory of a form (DATA_UPLOAD_MAX_MEMORY_SIZE), but not
file parts: a multipart upload is streamed to a temporary file whatever its size, even
to the sign-in page, before any view can say no. Nothing here takes files, so the
declared Content-Length is checked first and anything past REQUEST_MAX_BYTES is a 413.
(A body sent without a length is read as empty by Django's WSGI request.)
"""

from django.conf import settings

from newsdesk.middleware.errors import render_error


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as no body
        if length > settings.REQUEST_MAX_BYTES:
            request.client_error = (
                "RequestBodyTooLarge",
                f"{length} bytes declared, {settings.REQUEST_MAX_BYTES} allowed",
            )
            # gunicorn's sync workers close the connection after each response, so the
            # unread body is dropped with it.
            return render_error(413, request)
        return self.get_response(request)
