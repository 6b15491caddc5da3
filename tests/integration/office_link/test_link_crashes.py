"""The link through crashes: a running pusher (``kspos sync``) keeps pushing while the office
is SIGKILLed and restarted, or PostgreSQL crashes (immediate stop) and comes back. When the
outbox has drained, the office holds every fact exactly once.

Many small batches (5 facts) make it likely that a kill lands inside a request's transaction;
whatever it hits, the pusher only marks what the office answered, and the office stores by
UUID, so the result is checked the same way."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.office_link.rig import Office, Terminal
from tests.pg_rig import PostgresRig


def _wait(condition: object, seconds: float, pusher: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert pusher.poll() is None, pusher.communicate()[1]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _stored(office: Office) -> int:
    return int(office.query("SELECT COUNT(*) FROM facts")[0][0])


def _drained(t: Terminal) -> bool:
    return all(r["sent"] for r in t.outbox())


def _stop(pusher: subprocess.Popen[str]) -> None:
    pusher.send_signal(signal.SIGTERM)
    assert pusher.wait(timeout=30) == 0


def _exactly_once(office: Office, t: Terminal) -> None:
    rows = t.outbox()
    stored = office.query("SELECT uuid FROM facts WHERE store_code = :s AND terminal = :n",
                          s=t.store, n=t.number)
    assert sorted(r[0] for r in stored) == sorted(r["uuid"] for r in rows)
    assert _stored(office) == len(rows)


@pytest.fixture
def busy(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Office, Terminal]]:
    database = (request.getfixturevalue("pg_database") if getattr(request, "param", "pg") == "pg"
                else f"sqlite:///{tmp_path / 'office' / 'office.sqlite3'}")
    office = Office(tmp_path / "office", database).start()
    t = Terminal(tmp_path / "pos", "S0001", "01", office.url, office.token("S0001", "01"))
    t.sell(days=3, orders=40)
    yield office, t
    office.stop()


@pytest.mark.parametrize("busy", ["pg", "sqlite"], indirect=True)
def test_an_office_killed_while_a_pusher_runs(busy: tuple[Office, Terminal]) -> None:
    office, t = busy
    pusher = t.popen_sync("--batch", "5")
    try:
        for round_ in range(1, 3):  # kill it twice, at different points
            _wait(lambda r=round_: _stored(office) >= 15 * r, 60, pusher)
            assert office.process is not None
            office.process.send_signal(signal.SIGKILL)
            office.process.wait(timeout=10)
            assert not _drained(t)  # the kill came while there was work
            time.sleep(0.3)
            office.start()
        _wait(lambda: _drained(t), 120, pusher)
    finally:
        _stop(pusher)
    _exactly_once(office, t)


def test_postgresql_crashing_while_a_pusher_runs(busy: tuple[Office, Terminal],
                                                 postgres: PostgresRig) -> None:
    office, t = busy
    pusher = t.popen_sync("--batch", "5")
    try:
        _wait(lambda: _stored(office) >= 15, 60, pusher)
        postgres.stop("immediate")  # a crash: no checkpoint, recovery at the next start
        assert not _drained(t)  # the crash came while there was work
        time.sleep(1.0)
        postgres.start()
        _wait(lambda: _drained(t), 120, pusher)
    finally:
        _stop(pusher)
    _exactly_once(office, t)
    assert office.process is not None and office.process.poll() is None  # it rode it out
