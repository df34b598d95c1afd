"""Dumps of the archive with PostgreSQL's own pg_dump and pg_restore, and their checksums.

A dump is custom format (`pg_dump -Fc`): one consistent snapshot of the whole database,
compressed, restored with pg_restore. The embedded server's own programs are used when
they are installed (they read servers back to PostgreSQL 9.2); otherwise those on PATH.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

CHUNK = 2**20


def program(name: str) -> str:
    """The path of a PostgreSQL client program: the embedded server's, else PATH's."""
    try:
        from newsdesk.embedded_postgres import bin_path

        path = bin_path() / name
        if path.exists():
            return str(path)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} was not found: install PostgreSQL's client programs.")
    return found


def connection_arguments(settings_dict: dict, name: str | None = None) -> tuple[list, dict]:
    """libpq arguments and environment for a Django DATABASES entry (or its database `name`)."""
    arguments = ["--dbname", name or settings_dict["NAME"], "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


def run(name: str, arguments: list, environment: dict) -> None:
    done = subprocess.run(
        [program(name), *arguments], env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{name} failed: {done.stderr.strip()}")


def dump(settings_dict: dict, path: Path, name: str | None = None) -> None:
    """Write a custom-format dump of the database to `path`, and its checksum beside it."""
    arguments, environment = connection_arguments(settings_dict, name)
    partial = path.with_name(path.name + ".partial")
    run("pg_dump", [*arguments, "--format=custom", "--file", str(partial)], environment)
    partial.rename(path)
    checksum_path(path).write_text(f"{sha256(path)}  {path.name}\n")


def restore(settings_dict: dict, path: Path, name: str | None = None) -> None:
    """Restore dump `path` into the (empty) database, its objects owned by whoever
    connects: grants are made afresh by the caller, for this server's roles."""
    arguments, environment = connection_arguments(settings_dict, name)
    run(
        "pg_restore",
        [
            *arguments,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(path),
        ],
        environment,
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def verify(path: Path) -> None:
    """Refuse a dump whose checksum file is missing or does not match it."""
    checksum = checksum_path(path)
    if not checksum.exists():
        raise RuntimeError(f"{checksum.name} is missing: cannot tell whether {path.name} is whole.")
    expected = checksum.read_text().split()[0]
    if sha256(path) != expected:
        raise RuntimeError(f"{path.name} does not match its checksum: the file is damaged.")
