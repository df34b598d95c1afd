"""POST /api/ingest/: a push feed's wire file into the archive, through the one write path.

The body is the file itself (plain text, ANPA-1312 or NITF, told by its content); the
sender names itself with `Authorization: Bearer TOKEN`, a token made by
`manage.py create_ingest_token`, good for this endpoint and nothing else. Answers 201
with the story's address when it archived something, 200 when it had it already, and
an RFC 9457 problem document with the reason for anything refused (503 while the
database is away, for the feed to send it again), never a 500.
"""

import hmac

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from articles.models import IngestToken
from articles.syndication.problems import problem
from articles.wire.importing import ImportRefused, max_bytes
from articles.wire.transmissions import receive

ARCHIVED = {"created", "updated", "withdrawn"}


def sender(request):
    """The token's holder named by the request's bearer token, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = IngestToken.digest_of(token.strip())
    holder = IngestToken.objects.filter(digest=digest).first()
    # The lookup is by digest; comparing again in constant time costs nothing.
    return holder if holder and hmac.compare_digest(holder.digest, digest) else None


@csrf_exempt
def ingest(request):
    if request.method != "POST":
        return problem(405, "Send a wire file with POST.", {"Allow": "POST"})
    holder = sender(request)
    if holder is None:
        what = "a wrong" if "Authorization" in request.headers else "no"
        return problem(
            401,
            f"This request has {what} ingest token: send `Authorization: Bearer TOKEN`.",
            {"WWW-Authenticate": 'Bearer realm="ingest"'},
        )
    try:
        data = request.body
    except RequestDataTooBig:
        data = None
    if data is None or len(data) > max_bytes():
        return problem(413, f"The file is over {max_bytes():,} bytes, the most a story may be.")
    try:
        received = receive(data, f"ingest: {holder.name}")
    except ImportRefused as refusal:
        if isinstance(refusal.__cause__, (OperationalError, InterfaceError)):
            # The database is away, not the file wrong: a 503 (DatabaseFaultMiddleware)
            # tells the feed to send it again, where a 4xx would tell it to give up.
            raise refusal.__cause__  # noqa: B904 (as it was raised, its own cause kept)
        return problem(422 if data.strip() else 400, f"Nothing was archived: {refusal}")
    address = request.build_absolute_uri(received.story.get_absolute_url())
    return JsonResponse(
        {"outcome": received.outcome, "story": address, "note": received.note},
        status=201 if received.outcome in ARCHIVED else 200,
        headers={"Location": address},
    )
