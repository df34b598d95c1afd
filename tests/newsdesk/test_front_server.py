"""deploy/nginx.conf: valid for Debian's nginx, and, in front of gunicorn in production
mode, passing on what Django trusts and serving the static files as Django would."""

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt

from deploy import frontserver
from tests.processes import BASE_DIR, PRODUCTION, database_url_for_tests

HOST = "news.example.org"
HASHED = "css/site.0123456789ab.css"


@pytest.fixture(scope="module")
def nginx():
    if not shutil.which("nginx") and not os.path.exists(frontserver.NGINX):
        # CI installs nginx (.ci/run), so there a missing nginx is a failure, not a skip.
        if os.environ.get("CI"):
            raise RuntimeError("nginx is missing; .ci/run installs it with apt-get")
        pytest.skip("nginx is not installed (apt-get install nginx): deploy/nginx.conf unchecked")
    return frontserver.NGINX


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_shipped_configuration_passes_nginx_t(nginx, tmp_path):
    # `nginx -t` binds the ports it checks: free ones, which need no root.
    ports = free_port(), free_port()
    main = frontserver.render(tmp_path / "nginx", tmp_path / "static", "127.0.0.1:8000", *ports)

    status, said = frontserver.check(main)

    assert status == 0, said
    assert "test is successful" in said
    assert "[warn]" not in said, said  # e.g. a directive this nginx deprecates


def fetch(port, path, tls=None, headers=(), body=None):
    """One request to nginx as a browser for HOST would make it: (status, headers, body)."""
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "POST" if body else "GET", path, body=body, headers={"Host": HOST, **dict(headers)}
    )
    response = connection.getresponse()
    result = response.status, response.headers, response.read()
    connection.close()
    return result


@pytest.fixture
def production_behind_nginx(nginx, tmp_path, transactional_db):
    """gunicorn in production mode on the test database, nginx with the shipped file in front."""
    static_root = tmp_path / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / HASHED).write_text("body { color: #111; }\n" * 20)
    (static_root / f"{HASHED}.gz").write_bytes(gzip.compress((static_root / HASHED).read_bytes()))
    (static_root / "css/site.css").write_text("body { color: #111; }\n")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **os.environ, **PRODUCTION, "DATABASE_URL": database_url_for_tests(),
        "ALLOWED_HOSTS": HOST, "TRUSTED_PROXY_COUNT": "1", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:newsdesk.gunicorn_config",
         "newsdesk.wsgi", "--bind", f"127.0.0.1:{app_port}", "--workers", "1"],
        cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    main = frontserver.render(
        tmp_path / "nginx", static_root, f"127.0.0.1:{app_port}", http_port, https_port
    )
    server = frontserver.start(main)
    tls = ssl.create_default_context(cafile=tmp_path / "nginx" / "fullchain.pem")
    tls.check_hostname = False  # the certificate names HOST; we connect to 127.0.0.1
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(https_port, "/healthz", tls)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn behind nginx never answered /healthz"
            time.sleep(0.2)
        yield http_port, https_port, tls
    finally:
        server.terminate()
        gunicorn.terminate()
        server.wait(timeout=30)
        gunicorn.wait(timeout=30)


def test_nginx_passes_on_what_django_trusts_and_serves_static_files(production_behind_nginx):
    http_port, https_port, tls = production_behind_nginx

    # X-Forwarded-Proto: Django knows the request came over HTTPS (no redirect loop), and
    # sends HSTS itself, once.
    status, headers, _ = fetch(https_port, "/admin/login/", tls, {"Accept-Encoding": "gzip"})
    assert status == 200
    django_hsts = headers.get_all("Strict-Transport-Security")
    assert django_hsts == ["max-age=31536000; includeSubDomains"]
    assert "Content-Encoding" not in headers  # nginx never compresses a page with a secret
    # Plain HTTP: /healthz for load balancers, everything else redirected.
    assert fetch(http_port, "/healthz")[0] == 200
    status, headers, _ = fetch(http_port, "/stories/?q=x")
    assert (status, headers["Location"]) == (301, f"https://{HOST}/stories/?q=x")

    # X-Forwarded-For: a failed sign-in is held against the connection's address, not the
    # one the client claims.
    _, headers, page = fetch(https_port, "/admin/login/", tls)
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    form = {"csrfmiddlewaretoken": token, "username": "mallory", "password": "guess"}
    status, _, _ = fetch(
        https_port, "/admin/login/", tls,
        {"Cookie": cookie, "Referer": f"https://{HOST}/admin/login/",
         "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.9"},
        urlencode(form),
    )  # fmt: skip
    assert status == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]

    # Static files: hashed names for a year, precompressed when asked, Django's headers.
    status, headers, body = fetch(https_port, f"/static/{HASHED}", tls, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"body {")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers.get_all("Strict-Transport-Security") == django_hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    status, headers, _ = fetch(https_port, "/static/css/site.css", tls)
    assert (status, headers["Cache-Control"]) == (200, "public, max-age=3600")
