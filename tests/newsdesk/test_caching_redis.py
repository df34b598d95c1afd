"""The page cache in a real Redis (Debian's redis-server), as REDIS_URL configures it."""

import os
import shutil
import subprocess
import time

import pytest
import redis as redis_client
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.newsdesk.test_caching import update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Skipped locally without Debian's redis-server; CI (.ci/run) installs it, and fails without.
    pytest.mark.skipif(
        not shutil.which("redis-server") and not os.environ.get("CI"),
        reason="needs redis-server (apt-get install redis-server)",
    ),
]


@pytest.fixture
def redis(tmp_path):
    """A Redis of the test's own on a Unix socket, with nothing kept on disk."""
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not socket.exists():
        assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
        time.sleep(0.02)
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{socket}",
            "KEY_PREFIX": "newsdesk",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    server.socket = socket
    with override_settings(CACHES=caches):
        yield server
    server.terminate()
    server.wait(10)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_pages_are_kept_in_redis_until_their_story_changes(redis, client, make_story):
    story = make_story(headline="Storm nears the coast")
    for url in ["/", story.get_absolute_url()]:
        queries_for(client, url)
        assert queries_for(client, url)[0] == 0, url
    assert redis_client.Redis(unix_socket_path=str(redis.socket)).dbsize() == 2

    update(story, "Storm makes landfall")

    for url in ["/", story.get_absolute_url()]:
        rendered, response = queries_for(client, url)
        assert rendered > 0 and "Storm makes landfall" in response.content.decode()


def test_when_redis_goes_away_pages_are_served_uncached(redis, client, make_story):
    story = make_story()
    queries_for(client, story.get_absolute_url())
    redis.terminate()
    redis.wait(10)

    for _ in range(2):
        rendered, _ = queries_for(client, story.get_absolute_url())
        assert rendered > 0
