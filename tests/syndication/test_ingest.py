"""POST /api/ingest/: a push feed's files, through the one write path, with a scoped token."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from articles.models import IngestToken, Story
from articles.syndication import ingest
from articles.wire.importing import refusals

ANPA = Path(__file__).parents[1] / "wire" / "transmissions" / "anpa"
pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    out = StringIO()
    call_command("create_ingest_token", "ap-push", stdout=out)
    return out.getvalue().strip()


def post(client, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("articles:api_ingest"),
        body,
        content_type="application/octet-stream",
        headers=headers,
    )


def test_token_is_stored_only_as_its_digest(token):
    (stored,) = IngestToken.objects.all()
    assert stored.digest == IngestToken.digest_of(token) and token not in stored.digest


def test_ingest_refuses_a_request_without_a_good_token_and_writes_nothing(client, token):
    body = (ANPA / "lobster-0-original.anpa").read_bytes()
    for sent, says in [(None, "no ingest token"), ("not-the-token", "a wrong ingest token")]:
        response = post(client, body, sent)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"] == 'Bearer realm="ingest"'
        assert says in response.json()["detail"]
    assert not Story.objects.exists()


def test_ingest_answers_a_bad_body_with_the_reason(client, token):
    good = (ANPA / "lobster-0-original.anpa").read_bytes()
    for body, status, says in [
        (good.replace(b"\x03", b""), 422, "no ETX"),
        (b"", 400, "the file is empty"),
        (good + b" " * (1024 * 1024), 413, "over 1,048,576 bytes"),
    ]:
        response = post(client, body, token)
        assert response.status_code == status, says
        assert response["Content-Type"] == "application/problem+json"
        assert says in response.json()["detail"]
    assert client.get(reverse("articles:api_ingest")).status_code == 405
    assert not Story.objects.exists()


def test_ingest_archives_a_good_file_and_answers_with_its_address(client, token):
    body = (ANPA / "lobster-0-original.anpa").read_bytes()

    response = post(client, body, token)

    assert response.status_code == 201
    story = Story.objects.get()
    assert response["Location"] == f"http://testserver{story.get_absolute_url()}"
    assert response.json()["outcome"] == "created"
    again = post(client, body, token)
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")


def test_ingest_answers_503_while_the_database_is_away_so_the_feed_sends_again(
    client, token, monkeypatch
):
    def away(data, source):
        with refusals():
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ingest, "receive", away)
    response = post(client, (ANPA / "lobster-0-original.anpa").read_bytes(), token)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"]
    assert not Story.objects.exists()
