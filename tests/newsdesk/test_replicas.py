"""Read replicas: public reads from a replica; writes, the admin and a writer's next
requests from the primary."""

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Story
from newsdesk.middleware.replicas import PIN_COOKIE, PrimaryPinningMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(monkeypatch):
    """A replica alias that mirrors the test database, as a real one would."""
    monkeypatch.setitem(settings.DATABASES, "replica_1", settings.DATABASES["default"])
    connections["replica_1"] = connections["default"]
    yield "replica_1"
    del connections["replica_1"]


def database_read_during(request):
    """Which alias a read of stories uses while `request` is being served."""
    seen = {}

    def view(request):
        seen["alias"] = Story.objects.all().db
        return HttpResponse("ok")

    response = PrimaryPinningMiddleware(view)(request)
    return seen["alias"], response


def test_public_reads_go_to_a_replica(replica):
    alias, response = database_read_during(RequestFactory().get("/"))

    assert alias == replica
    assert PIN_COOKIE not in response.cookies


def test_writes_go_to_the_primary_and_pin_the_writer_to_it(replica):
    alias, response = database_read_during(RequestFactory().post("/admin/articles/story/add/"))

    assert alias == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


def test_a_writer_reads_from_the_primary_on_the_next_request(replica):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"

    alias, _ = database_read_during(request)

    assert alias == "default"


def test_admin_requests_read_from_the_primary(replica):
    alias, _ = database_read_during(RequestFactory().get("/admin/articles/story/"))

    assert alias == "default"


def test_outside_requests_everything_reads_from_the_primary(replica):
    assert Story.objects.all().db == "default"


def test_without_replicas_everything_uses_the_primary():
    alias, response = database_read_during(RequestFactory().post("/"))

    assert alias == "default"
    assert PIN_COOKIE not in response.cookies


def test_a_page_renders_from_the_replica(replica, client, seed_story):
    assert client.get(seed_story.get_absolute_url()).status_code == 200
