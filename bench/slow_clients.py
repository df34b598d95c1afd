"""Slow clients against Newsdesk: does /healthz still answer while many clients trickle
their requests? Serves the archive as in production (gunicorn, 2 sync workers) from the
local embedded database, alone and then behind deploy/nginx.conf, and prints /healthz's
latency under each.

    .venv/bin/python bench/slow_clients.py [--clients 200] [--seconds 60] [--only nginx]

Half the clients send their headers a byte a second, half send whole headers and then a
body of a megabyte ten bytes at a time; any client cut off connects again at once. A
probe asks for /healthz once a second on a new connection and waits up to 15 s.
"""

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import frontserver  # noqa: E402

PYTHON = sys.executable
HOST = "news.example.org"
GUNICORN_PORT, HTTP_PORT, HTTPS_PORT = 8771, 8772, 8773
PROBE_TIMEOUT = 15.0


def local_database_url():
    """The embedded PostgreSQL's database, started if need be, as a DATABASE_URL."""
    code = (
        "from newsdesk import database_server as e; d = e.start(); "
        "print(d['HOST'], d['PORT'], d['NAME'])"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    host, port, name = out[-3:]
    return f"postgres://postgres@{urllib.parse.quote(host, safe='')}:{port}/{name}"


def start_gunicorn(env):
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "python:newsdesk.gunicorn_config",
         "newsdesk.wsgi", "--bind", f"127.0.0.1:{GUNICORN_PORT}", "--workers", "2"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            asyncio.run(probe_once("127.0.0.1", GUNICORN_PORT, None))
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


async def open_connection(port, tls):
    return await asyncio.open_connection(
        "127.0.0.1", port, ssl=tls, server_hostname=HOST if tls else None
    )


async def probe_once(host, port, tls):
    """Seconds until /healthz's status line and body arrived."""
    started = time.monotonic()
    reader, writer = await open_connection(port, tls)
    try:
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    if not answer.startswith(b"HTTP/1.1 200"):
        raise OSError(f"answered {answer[:40]!r}")
    return time.monotonic() - started


async def pause(stop, seconds):
    """Wait `seconds`; True when the run is over meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
        return True
    except TimeoutError:
        return False


async def trickle(reader, writer, chunks, stop):
    """Send `chunks` a second apart until the server answers or hangs up."""
    for chunk in chunks:
        writer.write(chunk)
        await writer.drain()
        if await pause(stop, 1.0) or reader.at_eof():
            return


async def slow_client(number, port, tls, stop):
    """One client, connecting again whenever the server cuts it off."""
    head = f"POST /admin/login/ HTTP/1.1\r\nHost: {HOST}\r\n"
    while not stop.is_set():
        try:
            reader, writer = await open_connection(port, tls)
        except OSError:
            await pause(stop, 0.5)
            continue
        try:
            if number % 2:  # slow headers, a byte a second
                text = f"{head}X-Slow: {'x' * 200}\r\n\r\n"
                await trickle(reader, writer, (byte.encode() for byte in text), stop)
            else:  # whole headers, then a slow body, ten bytes a second
                writer.write(f"{head}Content-Length: 1048576\r\n\r\n".encode())
                await trickle(reader, writer, iter(lambda: b"a=bbbbbbbb", None), stop)
        except (OSError, ssl.SSLError):
            await pause(stop, 0.1)
        finally:
            writer.close()


async def run(port, tls, clients, seconds):
    stop = asyncio.Event()
    crowd = [asyncio.create_task(slow_client(n, port, tls, stop)) for n in range(clients)]
    await asyncio.sleep(5)  # let the crowd connect first
    latencies, failures = [], 0
    probes = []
    for _ in range(seconds):
        probes.append(
            asyncio.create_task(asyncio.wait_for(probe_once("127.0.0.1", port, tls), PROBE_TIMEOUT))
        )
        await asyncio.sleep(1)
    for result in await asyncio.gather(*probes, return_exceptions=True):
        if isinstance(result, BaseException):
            failures += 1
        else:
            latencies.append(result)
    stop.set()
    await asyncio.gather(*crowd, return_exceptions=True)
    return latencies, failures


def report(name, latencies, failures):
    total = len(latencies) + failures
    within = sum(1 for seconds in latencies if seconds <= 1)
    line = f"{name}: {total} probes, {within} answered within 1 s, {failures} unanswered"
    if latencies:
        line += (
            f"; answered: p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms"
        )
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60, help="probes, one a second")
    parser.add_argument("--only", choices=["gunicorn", "nginx"])
    options = parser.parse_args()
    env = {
        **os.environ,
        "NEWSDESK_ENV": "production",
        "DATABASE_URL": local_database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    static_root = tempfile.mkdtemp(prefix="newsdesk-static-")
    env["STATIC_ROOT"] = static_root
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    gunicorn = start_gunicorn(env)
    try:
        if options.only != "nginx":
            results = asyncio.run(run(GUNICORN_PORT, None, options.clients, options.seconds))
            report(f"gunicorn alone, {options.clients} slow clients", *results)
        if options.only != "gunicorn":
            with tempfile.TemporaryDirectory() as prefix:
                main_conf = frontserver.render(
                    Path(prefix), Path(static_root), f"127.0.0.1:{GUNICORN_PORT}",
                    HTTP_PORT, HTTPS_PORT,
                )  # fmt: skip
                nginx = frontserver.start(main_conf)
                try:
                    time.sleep(1)
                    tls = ssl.create_default_context(cafile=Path(prefix) / "fullchain.pem")
                    results = asyncio.run(run(HTTPS_PORT, tls, options.clients, options.seconds))
                    report(f"behind nginx, {options.clients} slow clients", *results)
                finally:
                    nginx.terminate()
                    nginx.wait(timeout=30)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=60)
        shutil.rmtree(static_root)


if __name__ == "__main__":
    main()
