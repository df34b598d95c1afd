"""When PostgreSQL is down, unreachable or hung: 503 with Retry-After, then recovery.

Also the error pages themselves (they need no database) and the logs they leave.
"""

import copy
import io
import logging
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import close_old_connections, connection, connections
from django.test import RequestFactory
from django.urls import reverse

from newsdesk.middleware import breaker, errors
from newsdesk.middleware.invalidations import Invalidations
from newsdesk.middleware.logs import LineFormatter
from tests.helpers import SEED_SLUG

STORY_URL = reverse("articles:story_detail", kwargs={"slug": SEED_SLUG})
PUBLIC_URLS = ["/", STORY_URL, reverse("articles:story_history", kwargs={"slug": SEED_SLUG})]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server():
    """A TCP port that accepts connections and never says a word, like a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes handshakes; nobody ever reads or answers
        yield sock.getsockname()[1]


@contextmanager
def database_at(django_db_blocker, **changes):
    """Point the default database elsewhere for the block, then put it back."""
    db = connections["default"]
    saved = copy.deepcopy(db.settings_dict)
    db.close()
    db.settings_dict.update(changes)
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        db.close()
        db.settings_dict.clear()
        db.settings_dict.update(saved)


def outage(kind, stack, tmp_path):
    """Settings that make the database down, unreachable or hung."""
    if kind == "down":  # a socket directory with no server in it, as after `make stop`
        return {"HOST": str(tmp_path), "PORT": "5432"}
    if kind == "unreachable":
        return {"HOST": "127.0.0.1", "PORT": str(closed_port())}
    port = stack.enter_context(silent_server())
    return {"HOST": "127.0.0.1", "PORT": str(port), "OPTIONS": {"connect_timeout": 2}}


def get_within(client, url, seconds=20):
    """GET url from another thread; fail instead of hanging if no answer comes."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(client.get, url).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


@pytest.fixture
def client(client):
    # Errors raised in a middleware reach handler500, which answers 503 for a database
    # fault; the test client would re-raise them regardless.
    client.raise_request_exception = False
    return client


class Clock:
    """The breaker's clock, moved on by hand instead of by sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def past_the_retry_interval(self):
        self.now += 2.01  # DATABASE_RETRY_SECONDS


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(breaker, "clock", clock)
    return clock


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in content
    assert 'rel="stylesheet"' in content  # in the site's look


@pytest.mark.parametrize("kind", ["down", "unreachable", "hung"])
@pytest.mark.parametrize("page_cache", [300, 0], ids=["cached", "uncached"])
def test_public_pages_answer_503_while_the_database_is_away(
    client, settings, django_db_blocker, tmp_path, kind, page_cache
):
    # With the page cache, the first query is the cache's (in a middleware, reaching
    # handler500); without it, the view's own (reaching DatabaseFaultMiddleware).
    settings.PAGE_CACHE_SECONDS = page_cache
    with ExitStack() as stack:
        with database_at(django_db_blocker, **outage(kind, stack, tmp_path)):
            # A hung server costs the connect timeout (2 s) per request: one will do.
            for url in PUBLIC_URLS[:1] if kind == "hung" else PUBLIC_URLS:
                assert_unavailable(get_within(client, url))


@pytest.mark.parametrize("page_cache", [300, 0], ids=["cached", "uncached"])
def test_the_api_answers_every_error_as_a_problem_document(
    client, settings, django_db_blocker, tmp_path, page_cache, clock
):
    settings.PAGE_CACHE_SECONDS = page_cache
    with database_at(django_db_blocker, **outage("down", None, tmp_path)):
        unavailable = [client.get(url) for url in ("/api/stories/", "/api/stories/a-story/")]
    clock.past_the_retry_interval()
    with django_db_blocker.unblock():
        not_routed = client.get("/api/stories/not a slug/")

    for response, status in [*zip(unavailable, [503, 503], strict=True), (not_routed, 404)]:
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status and response.json()["detail"]
    assert unavailable[0]["Retry-After"] == "30"


def test_healthz_follows_the_database(client, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        up = client.get("/healthz")
    with database_at(django_db_blocker, HOST=str(tmp_path)):
        down = client.get("/healthz")
    # A failed check opens the breaker as a page's would: pages answer 503 at once.
    with django_db_blocker.unblock():
        page_meanwhile = client.get(STORY_URL)

    assert (up.status_code, up.content, up["Content-Type"]) == (200, b"ok\n", "text/plain")
    assert_unavailable(page_meanwhile)
    assert (down.status_code, down.content) == (503, b"database unavailable\n")
    assert down["Retry-After"] == "30"
    assert "no-store" in up["Cache-Control"]


def served(client, url):
    """GET as a WSGI server would serve it: Django checks its connections first.

    (The test client skips that check, which is what notices a dead connection.)
    """
    close_old_connections()
    return client.get(url)


def test_requests_succeed_again_once_the_retry_interval_after_the_outage_passed(
    client, django_db_blocker, tmp_path, settings, clock
):
    """The first request after the database is back succeeds, or, within the retry
    interval (2 s) of the last request that found it away, answers 503 without asking
    it: asking a frozen server costs a wait that every request queued behind would share."""
    # Rendered pages, not cached ones: a cached page asks the database nothing, and is
    # served while it is away (pages cannot change meanwhile).
    settings.PAGE_CACHE_SECONDS = 0
    db = connections["default"]
    with django_db_blocker.unblock():
        assert served(client, "/").status_code == 200  # a persistent connection is open
        # The server restarts under it: the dead connection is noticed and replaced.
        with psycopg.connect(**libpq_params(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [db.connection.info.backend_pid])
        after_restart = served(client, "/")

    with database_at(django_db_blocker, HOST=str(tmp_path)):  # the server is down
        away, healthz_away = served(client, "/"), served(client, "/healthz")
    with django_db_blocker.unblock():  # and up again: the same process, no restart
        clock.now += 1.99
        too_soon, healthz_too_soon = served(client, "/"), served(client, "/healthz")
        never_asked = db.connection is None
        clock.past_the_retry_interval()
        back, healthz_back = served(client, "/"), served(client, "/healthz")
        db.close()

    assert after_restart.status_code == 200
    assert_unavailable(away)
    assert healthz_away.status_code == 503
    assert_unavailable(too_soon)
    assert (healthz_too_soon.status_code, healthz_too_soon.content) == (
        503,
        b"database unavailable\n",
    )
    assert never_asked
    assert (back.status_code, healthz_back.status_code) == (200, 200)


def test_a_frozen_database_holds_one_request_per_process_not_every_one_queued(
    client, django_db_blocker, settings, clock
):
    """Requests queued behind one that waited out the connect timeout answer at once,
    without connecting again."""
    settings.PAGE_CACHE_SECONDS = 0
    with socket.socket() as hung:  # as silent_server(), counting who knocked
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        port = str(hung.getsockname()[1])
        with database_at(django_db_blocker, HOST="127.0.0.1", PORT=port, OPTIONS=HUNG):
            first = get_within(client, "/")
            queued = [client.get(url) for url in PUBLIC_URLS * 3]
        attempts = connections_waiting(hung)

    assert_unavailable(first)
    for response in queued:
        assert_unavailable(response)
    assert attempts == 1


HUNG = {"connect_timeout": 2}


def connections_waiting(listening):
    """How many connections the kernel completed for a socket nobody accepted from."""
    listening.setblocking(False)
    count = 0
    while True:
        try:
            knock, _ = listening.accept()
        except BlockingIOError:
            return count
        knock.close()
        count += 1


@pytest.mark.django_db(transaction=True)  # as served: pages are cached outside transactions
def test_a_page_the_cache_holds_is_still_served_while_the_database_counts_as_away(
    client, settings, seed_story, clock
):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get(STORY_URL)["X-Cache"] == "miss"
    breaker.record(DeadlinePassedForTest("no answer"))

    cached, uncached = client.get(STORY_URL), client.get(PUBLIC_URLS[2])

    assert (cached.status_code, cached["X-Cache"]) == (200, "hit")
    assert_unavailable(uncached)


def test_without_a_retry_interval_every_request_asks_the_database(
    client, django_db_blocker, settings, tmp_path, clock
):
    settings.DATABASE_RETRY_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    with database_at(django_db_blocker, HOST=str(tmp_path)):
        assert_unavailable(client.get("/"))
    with django_db_blocker.unblock():
        back = client.get("/")
        connections["default"].close()

    assert back.status_code == 200


def test_the_page_cache_does_not_rejoin_its_channel_while_the_database_counts_as_away(
    django_db_blocker, clock
):
    """Joining a frozen server would wait out the connect timeout in front of the breaker."""
    channel = Invalidations()
    breaker.record(DeadlinePassedForTest("no answer"))
    with django_db_blocker.unblock():
        while_away = channel.listening()
        clock.past_the_retry_interval()
        try:
            after = channel.listening()
        finally:
            channel.close()

    assert (while_away, after) == (False, True)


class DeadlinePassedForTest(errors.DeadlinePassed):
    pass


def libpq_params():
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"],
        "host": db["HOST"],
        "port": db["PORT"] or None,
    }


@pytest.mark.django_db(transaction=True)
def test_a_query_stuck_behind_a_lock_answers_503_then_recovers(client, seed_story, monkeypatch):
    """A hung database as readers meet it: statement_timeout cuts the wait short. The
    server answered (it cancelled the statement), so the next request asks it again."""
    # As newsdesk/wsgi.py bounds a serving process's connections. (A SET on the test's
    # connection would not reach the request: Django opens it anew at the request.)
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "options", "-c statement_timeout=500")
    connection.close()
    blocker = psycopg.connect(**libpq_params())
    try:
        blocker.execute("LOCK TABLE articles_story IN ACCESS EXCLUSIVE MODE")
        stuck = client.get(STORY_URL)
        blocker.rollback()
        released = client.get(STORY_URL)
    finally:
        blocker.close()
        connection.close()

    assert_unavailable(stuck)
    assert breaker.away() == ""
    assert released.status_code == 200


@pytest.mark.django_db
def test_a_statement_past_its_timeout_answers_503(client, settings):
    settings.ROOT_URLCONF = "tests.failing_urls"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '100ms'")

    assert_unavailable(client.get("/slow/"))


@pytest.mark.django_db(transaction=True)
def test_a_request_stuck_past_the_deadline_answers_503_and_the_next_after_the_interval_succeeds(
    client, settings, clock
):
    """A server that stops answering mid-query, as a frozen one does: no timeout of
    the database's own fires, and the request deadline cuts the wait short. It said
    nothing, so for the retry interval the process does not ask it again."""
    settings.ROOT_URLCONF = "tests.failing_urls"
    settings.REQUEST_DEADLINE = 0.5

    stuck = client.get("/slow/")  # pg_sleep(2), no statement timeout in tests
    settings.REQUEST_DEADLINE = 10
    too_soon = client.get("/")
    clock.past_the_retry_interval()
    after = client.get("/")

    assert_unavailable(stuck)
    assert_unavailable(too_soon)
    assert after.status_code == 200


# Error pages.


@pytest.mark.parametrize(
    "status, handler, heading",
    [
        (400, lambda r: errors.bad_request(r, SuspiciousOperation()), "Bad request"),
        (403, lambda r: errors.permission_denied(r, PermissionDenied()), "Forbidden"),
        (404, lambda r: errors.page_not_found(r, Exception()), "Page not found"),
        (500, errors.server_error, "Something went wrong"),
        (403, errors.csrf_failure, "Form expired"),
    ],
)
def test_error_pages_need_no_database(django_db_blocker, tmp_path, status, handler, heading):
    request = RequestFactory().get("/somewhere/")

    with database_at(django_db_blocker, HOST=str(tmp_path)):
        response = handler(request)

    assert response.status_code == status
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert 'rel="stylesheet"' in content and '<a class="site-name" href="/">' in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status, heading",
    [
        ("/suspicious/", 400, "Bad request"),
        ("/forbidden/", 403, "Forbidden"),
        ("/no/such/page/", 404, "Page not found"),
        ("/boom/", 500, "Something went wrong"),
    ],
)
def test_errors_reach_their_pages(client, settings, url, status, heading):
    settings.ROOT_URLCONF = "tests.failing_urls"

    response = client.get(url)

    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_an_error_page_that_cannot_render_falls_back_to_plain_html(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]

    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"<h1>Server error</h1>" in response.content


# Logs.


@pytest.fixture
def console():
    """The lines the console would show: what reaches the root logger's handlers, and
    what Python's last-resort handler prints, unformatted, for a logger without any.

    (caplog also sees loggers the settings keep off the console.)
    """
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LineFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level, last_resort = root.level, logging.lastResort
    root.setLevel(logging.INFO)
    logging.lastResort = logging.StreamHandler(stream)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)
    root.setLevel(level)
    logging.lastResort = last_resort


REQUEST_LINE = re.compile(r"^GET (?P<path>\S+) (?P<status>\d{3}) \d+\.\dms(?P<rest>.*)$")


def request_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "newsdesk.requests"]


@pytest.mark.django_db
def test_each_request_is_one_log_line_with_path_status_and_duration(client, caplog, seed_story):
    caplog.set_level(logging.INFO)

    client.get(STORY_URL + "?page=2")
    client.get("/stories/no-such-story/")

    lines = request_lines(caplog)
    assert [REQUEST_LINE.match(line).group("path", "status") for line in lines] == [
        (STORY_URL + "?page=2", "200"),
        ("/stories/no-such-story/", "404"),
    ]
    assert [r for r in caplog.records if r.name.startswith("django")] == []


@pytest.mark.django_db
def test_a_disallowed_host_is_one_line_not_a_traceback(client, console):
    response = client.get("/", HTTP_HOST="evil.example.org")

    assert response.status_code == 400
    (line,) = console()
    assert " WARNING newsdesk.requests GET / 400 " in line
    assert line.endswith("ms (disallowed host evil.example.org)")


class UnreadBody(io.BytesIO):
    """A request body that counts what the server read of it."""

    read_bytes = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    readline = read


@pytest.mark.django_db(transaction=True)  # as served: no transaction around the requests
def test_a_refused_request_is_one_log_line_with_its_reason(admin_client, console):
    """Each client error Django raises (a SuspiciousOperation) or we refuse: one line."""
    form = "application/x-www-form-urlencoded"
    huge, body = 100 * 1024 * 1024, UnreadBody(b"x" * 1024)
    events = [
        (dict(path="/", HTTP_HOST="evil.example"), "400", "(disallowed host evil.example)"),
        (
            dict(path="/admin/login/", data="a=" + "x" * 3_000_000, content_type=form),
            "400",
            "(RequestDataTooBig: Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.)",
        ),
        (
            dict(
                path="/admin/login/",
                data="&".join(f"a{n}=1" for n in range(1001)),
                content_type=form,
            ),
            "400",
            "(TooManyFieldsSent: The number of GET/POST parameters exceeded",
        ),
        (
            dict(path="/admin/auth/user/?password__startswith=a"),
            "400",
            "(refused lookup: Filtering by password__startswith not allowed)",
        ),
        (
            {"path": "/admin/login/", "CONTENT_LENGTH": str(huge), "wsgi.input": body},
            "413",
            f"(RequestBodyTooLarge: {huge} bytes declared, 8388608 allowed)",
        ),
        (
            dict(path="/admin/articles/story/?headline__regex=("),
            "400",
            "(refused lookup: invalid regular expression: parentheses () not balanced)",
        ),
    ]
    for request, status, reason in events:
        before = len(console())
        method = "post" if "data" in request or "wsgi.input" in request else "get"
        getattr(admin_client, method)(**request)
        lines = console()[before:]
        assert len(lines) == 1, lines
        assert f" WARNING newsdesk.requests {method.upper()} " in lines[0]
        assert f" {status} " in lines[0] and reason in lines[0], lines[0]
    assert body.read_bytes == 0  # the upload was refused before any of it was read


@pytest.mark.django_db
def test_a_forged_line_break_in_the_path_stays_on_one_line(client, caplog):
    caplog.set_level(logging.INFO)

    client.get("/stories/x%0A2025-01-01 INFO forged/")

    (line,) = request_lines(caplog)
    assert "\n" not in line and "%0A" in line


def test_a_database_outage_is_one_line_per_request_and_per_error(
    client, caplog, django_db_blocker, tmp_path
):
    caplog.set_level(logging.INFO)

    with database_at(django_db_blocker, HOST=str(tmp_path)):
        client.get("/")

    assert [(r.name, r.levelname) for r in caplog.records] == [
        ("newsdesk.errors", "ERROR"),
        ("newsdesk.requests", "ERROR"),
    ]
    assert all(record.exc_info is None for record in caplog.records)
    assert "\n" not in caplog.records[0].getMessage()
    assert (
        caplog.records[0]
        .getMessage()
        .startswith("Database unavailable, answered 503 to GET /: OperationalError: ")
    )


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_with_its_traceback(client, settings, caplog):
    settings.ROOT_URLCONF = "tests.failing_urls"

    client.get("/boom/")

    (error,) = [r for r in caplog.records if r.name == "django.request"]
    assert error.getMessage() == "Internal Server Error: /boom/"
    assert error.exc_info[0] is RuntimeError


def test_log_lines_are_stamped_in_the_newsroom_zone_with_the_offset():
    record = logging.LogRecord("newsdesk.requests", logging.INFO, "", 0, "GET / 200", (), None)
    record.created = datetime(2025, 6, 17, 8, 31, tzinfo=UTC).timestamp()

    line = LineFormatter().format(record)

    assert line == "2025-06-17T04:31:00.000-04:00 INFO newsdesk.requests GET / 200"
