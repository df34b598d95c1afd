"""BENCH_REPLICA=1: a streaming standby of the bench's embedded PostgreSQL, made with
pg_basebackup from the server's own binaries, served as the read replica
(DATABASE_REPLICA_URLS) while the bench runs, and removed after it.
"""

import os
import shutil
import subprocess
import tempfile
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

SERVER_FACTS = (
    "from django.db import connection; from newsdesk import embedded_postgres as e; "
    "print(e.bin_path(), e.PGDATA, connection.settings_dict['HOST'])"
)


@contextmanager
def streaming_standby(shell, database):
    """Yield DATABASE_REPLICA_URLS for a standby of the server `shell` talks to."""
    bindir, data, primary_socket = shell(SERVER_FACTS).split()
    bindir = Path(bindir)
    if not (bindir / "pg_basebackup").exists():
        raise SystemExit(f"BENCH_REPLICA: the embedded PostgreSQL has no pg_basebackup in {bindir}")
    owner = Path(data).stat()
    # PostgreSQL refuses to run as root: run it as the primary's own user.
    as_owner = (
        {"user": owner.st_uid, "group": owner.st_gid} if os.geteuid() == 0 and owner.st_uid else {}
    )
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-standby-"))
    if as_owner:
        os.chown(folder, owner.st_uid, owner.st_gid)
    port = str(30000 + os.getpid() % 10000)
    run = {"check": True, "capture_output": True, **as_owner}
    pg_ctl = [bindir / "pg_ctl", "-D", folder / "data"]
    try:
        subprocess.run(
            [bindir / "pg_basebackup", "-h", primary_socket, "-U", "postgres",
             "-D", folder / "data", "-R", "-X", "stream", "-c", "fast"],
            **run,
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses='' -c hot_standby=on"
        subprocess.run([*pg_ctl, "-o", options, "-l", folder / "log", "-w", "start"], **run)
        host = urllib.parse.quote(str(folder), safe="")
        yield f"postgresql://postgres@{host}:{port}/{database}"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], capture_output=True, **as_owner)
        shutil.rmtree(folder, ignore_errors=True)
