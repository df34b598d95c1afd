"""Run deploy/nginx.conf outside /etc: rendered with local paths and ports, under a
throwaway prefix. The test suite checks the shipped file with it, and
bench/slow_clients.py serves through it."""

import os
import resource
import shutil
import subprocess
from pathlib import Path

NGINX_CONF = Path(__file__).resolve().parent / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN = """\
{user}pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
worker_processes {workers};
events {{ worker_connections {connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    gzip on;  # as Debian's nginx.conf has it
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/newsdesk.conf;
}}
"""


def self_signed_certificate(directory: Path, host="news.example.org"):
    """A throwaway certificate and key, as fullchain.pem and privkey.pem."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
         "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def render(prefix: Path, static_root: Path, upstream: str, http_port: int, https_port: int):
    """deploy/nginx.conf with this machine's paths and ports, and a main config around it.

    Every replaced value must be found, so the file cannot drift from what is checked.
    """
    prefix.mkdir(parents=True, exist_ok=True)
    self_signed_certificate(prefix)
    text = NGINX_CONF.read_text()
    replacements = {
        "/etc/letsencrypt/live/news.example.org/": f"{prefix}/",
        "/srv/newsdesk/staticfiles/": f"{static_root}/",
        "server 127.0.0.1:8000;": f"server {upstream};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
    }
    for old, new in replacements.items():
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer has {old!r}")
        text = text.replace(old, new)
    (prefix / "newsdesk.conf").write_text(text)
    # As root, nginx's workers would run as nobody, who cannot read a private temp dir.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = prefix / "main.conf"
    # As many connections as this process may open files, up to 4096 (nginx warns past it).
    connections = min(4096, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    main.write_text(
        MAIN.format(user=user, prefix=prefix, workers=os.cpu_count() or 1, connections=connections)
    )
    return main


def check(main: Path):
    """`nginx -t` on a rendered configuration: (exit status, what it said)."""
    result = subprocess.run(
        [NGINX, "-t", "-c", str(main), "-p", str(main.parent), "-e", str(main.parent / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    return result.returncode, result.stderr


def start(main: Path):
    """nginx in the foreground of a child process; stop it with .terminate()."""
    return subprocess.Popen(
        [NGINX, "-c", str(main), "-p", str(main.parent), "-e", str(main.parent / "error.log"),
         "-g", "daemon off;"],
    )  # fmt: skip
