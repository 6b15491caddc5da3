"""A throwaway PostgreSQL for the tests: Debian's server binaries on a temp dir and a loopback
port, started once per session, stopped and deleted at its end.

As root (CI) the server runs as the ``postgres`` user (PostgreSQL refuses to run as root);
otherwise as the current user. Trust authentication on 127.0.0.1 only; fsync off (a test
server's data is thrown away; the crash tests that need durability restart it with fsync on).
Missing binaries skip the tests that need the server, with the reason, except under CI
(``CI`` set), where they must be there (the Makefile's Debian list installs ``postgresql``).

Fixtures: ``postgres`` (session: the running server) and ``pg_database`` (a fresh database
for one test, as a ``postgresql://`` URL).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "kspos"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(
                       p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresRig:
    """One server: ``url(db)``, ``create_database()``, ``kill()`` / ``start()`` for crash tests."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kspos-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False, cwd=self.root)

    def init(self) -> None:
        done = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust",
                         "-E", "UTF8", "--no-locale", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")

    def start(self, fsync: bool = False) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   f"-c fsync={'on' if fsync else 'off'} -c max_connections=100")
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                         "-t", "60", "-o", options, "start")
        if done.returncode != 0:
            log = (self.root / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()} {log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"office_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresRig]:
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing (Debian package postgresql)")
        pytest.skip("PostgreSQL server binaries not installed (Debian package postgresql; "
                    "`make deb` as root installs it)")
    rig = PostgresRig(bin_dir)
    try:
        rig.init()
        rig.start()
    except (RuntimeError, OSError, subprocess.SubprocessError):
        rig.remove()
        raise
    yield rig
    rig.remove()


@pytest.fixture
def pg_database(postgres: PostgresRig) -> str:
    return postgres.create_database()
