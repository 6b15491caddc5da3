"""The link end to end: real terminals (``kspos demo-data``, ``kspos sync``) push to a real
office (``kspos office serve`` under uvicorn) on PostgreSQL and on SQLite. Each fact is stored
once, whatever is sent twice or cut off; a token pushes only for its own store and terminal."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.office_link.rig import HoldingRelay, Office, Terminal, kspos
from tests.pg_rig import free_port


@pytest.fixture(params=["postgresql", "sqlite"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    if request.param == "postgresql":
        database = request.getfixturevalue("pg_database")
    else:
        database = f"sqlite:///{tmp_path / 'office' / 'office.sqlite3'}"
    running = Office(tmp_path / "office", database).start()
    yield running
    running.stop()


def _terminal(office: Office, tmp_path: Path, store: str, number: str) -> Terminal:
    return Terminal(tmp_path / f"{store}-{number}", store, number, office.url,
                    office.token(store, number))


def _stored(office: Office, store: str, terminal: str) -> set[str]:
    return {r[0] for r in office.query("SELECT uuid FROM facts WHERE store_code = :s AND "
                                       "terminal = :t", s=store, t=terminal)}


def test_three_terminals_of_two_stores_each_fact_once(office: Office, tmp_path: Path) -> None:
    terminals = [_terminal(office, tmp_path, s, n)
                 for s, n in (("S0001", "01"), ("S0001", "02"), ("S0002", "01"))]
    for seed, t in enumerate(terminals, start=3):
        t.sell(seed=seed)
    for t in terminals:
        code, result = t.sync()
        rows = t.outbox()
        assert code == 0 and result == {"sent": len(rows), "pending": 0, "last_error": None,
                                        "refused": []}
        assert all(r["sent"] for r in rows)
        assert _stored(office, t.store, t.number) == {r["uuid"] for r in rows}
        assert t.sync()[1]["sent"] == 0  # nothing new: nothing sent
    total = office.query("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM facts")[0]
    assert total[0] == total[1] == sum(len(t.outbox()) for t in terminals)
    for store in ("S0001", "S0002"):
        mine = [t for t in terminals if t.store == store]
        paid = office.query("SELECT COALESCE(SUM(total), 0) FROM orders WHERE store_code = :s "
                            "AND state = 'paid' AND NOT training", s=store)[0][0]
        refunded = office.query("SELECT COALESCE(SUM(amount), 0) FROM refunds "
                                "WHERE store_code = :s AND NOT training", s=store)[0][0]
        assert paid == sum(t.paid_total() for t in mine) > 0
        assert refunded == sum(t.refunded_total() for t in mine)


def test_a_batch_sent_twice_is_stored_once(office: Office, tmp_path: Path) -> None:
    t = _terminal(office, tmp_path, "S0001", "01")
    t.sell(days=1, orders=6)
    token = office.token("S0001", "01")  # a new token: the old one stops working
    t.point(office.url, token)
    facts = [{k: r[k] for k in ("seq", "uuid", "kind", "version", "body")} for r in t.outbox()]
    batch = {"store": "S0001", "terminal": "01", "facts": facts}
    first, again = office.post(batch, token), office.post(batch, token)
    assert first[0] == again[0] == 200
    assert (first[1]["stored"], again[1]["stored"], again[1]["duplicates"]) == (
        len(facts), 0, len(facts))
    code, result = t.sync()  # the terminal never heard of those answers: it sends again
    assert code == 0 and result["sent"] == len(facts)
    assert office.query("SELECT COUNT(*) FROM facts")[0][0] == len(facts)


def test_a_token_pushes_only_for_its_own_store_and_terminal(office: Office,
                                                            tmp_path: Path) -> None:
    t = _terminal(office, tmp_path, "S0001", "01")
    t.sell(days=1, orders=4)
    pending = len(t.outbox())
    t.point(office.url, office.token("S0002", "01"))  # another store's token
    code, result = t.sync()
    assert code == 1 and "403" in result["last_error"] and result["pending"] == pending
    t.point(office.url, office.token("S0001", "02"))  # another terminal's token
    code, result = t.sync()
    assert code == 1 and "403" in result["last_error"]
    t.point(office.url, "ksp_made-up")
    code, result = t.sync()
    assert code == 1 and "401" in result["last_error"] and result["sent"] == 0
    assert office.query("SELECT COUNT(*) FROM facts")[0][0] == 0
    token = office.token("S0001", "01")
    done = kspos("office", "terminal", "revoke", "S0001", "01", "--database", office.database,
                 folder=office.folder)
    assert done.returncode == 0
    t.point(office.url, token)
    assert "401" in t.sync()[1]["last_error"]
    assert office.post({"store": "S0001", "terminal": "01", "facts": []}, None)[0] == 401
    assert not any(r["sent"] for r in t.outbox())


def test_malformed_batches_are_4xx_over_http(office: Office, tmp_path: Path) -> None:
    token = office.token("S0001", "01")
    for body, status in ((b"{oops", 400), (b'{"facts": "all"}', 422),
                         (b'{"store": "S0001", "terminal": "01", "facts": [NaN]}', 400)):
        answer = office.post(body, token)
        assert answer[0] == status and answer[1]["error"]
    assert office.process is not None and office.process.poll() is None


def test_a_pusher_killed_mid_request_loses_and_doubles_nothing(office: Office,
                                                               tmp_path: Path) -> None:
    t = _terminal(office, tmp_path, "S0001", "01")
    t.sell(days=2, orders=10)
    token = office.token("S0001", "01")
    relay = HoldingRelay(office.port)
    try:
        t.point(f"http://127.0.0.1:{relay.port}", token)
        pusher = t.popen_sync("--batch", "25")
        deadline = time.monotonic() + 60
        while office.query("SELECT COUNT(*) FROM facts")[0][0] < 25:  # the office committed
            assert time.monotonic() < deadline and pusher.poll() is None
            time.sleep(0.05)
        pusher.send_signal(signal.SIGKILL)  # ...and the pusher dies before it hears so
        pusher.wait(timeout=10)
    finally:
        relay.close()
    rows = t.outbox()
    assert not any(r["sent"] for r in rows)  # it never marked what it did not hear
    t.point(office.url, token)
    code, result = t.sync()
    assert code == 0 and result["sent"] == len(rows) and result["pending"] == 0
    assert _stored(office, "S0001", "01") == {r["uuid"] for r in rows}
    assert office.query("SELECT COUNT(*) FROM facts")[0][0] == len(rows)


def test_an_office_that_is_down_is_exit_1_with_everything_kept(tmp_path: Path) -> None:
    t = Terminal(tmp_path / "t", "S0001", "01", f"http://127.0.0.1:{free_port()}", "ksp_x")
    t.sell(days=1, orders=3)
    started = time.monotonic()
    code, result = t.sync()
    assert code == 1 and result["sent"] == 0 and result["pending"] == len(t.outbox()) > 0
    assert result["last_error"].startswith("office not reachable")
    assert time.monotonic() - started < 30


def test_sync_without_an_office_is_bad_usage(tmp_path: Path) -> None:
    done = kspos("sync", "--once", folder=tmp_path)
    assert done.returncode == 2 and "[office]" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
