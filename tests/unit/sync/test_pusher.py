"""The pusher against a stand-in office: what it marks sent, what it keeps, how it backs off."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from kspos.store import Database
from kspos.store import outbox as table
from kspos.sync import pusher as pusher_module
from kspos.sync.identity import Identity
from kspos.sync.pusher import OfficeRefused, OfficeUnreachable, Pusher, backoff_s
from tests.pg_rig import free_port
from tests.unit.office.facts_data import order

IDENTITY = Identity("S0001", "01")


def _fill(db: Database, n: int) -> list[dict[str, Any]]:
    rows = [order(seq=i) for i in range(1, n + 1)]
    with db.session() as s:
        for row in rows:
            table.append(s, row["kind"], row["uuid"], 1, row["body"], datetime(2026, 11, 25))
        s.commit()
    return rows


class FakeOffice:
    """Takes every fact but the ``refuse`` UUIDs; remembers each batch's size."""

    def __init__(self, refuse: set[str] = frozenset(), max_facts: int = 5000) -> None:
        self.refuse, self.max_facts, self.sizes = refuse, max_facts, []

    def __call__(self, url: str, token: str, payload: bytes, timeout: float) -> dict[str, Any]:
        data = json.loads(payload)
        assert (data["store"], data["terminal"]) == ("S0001", "01") and token == "ksp_t"
        if len(data["facts"]) > self.max_facts:
            raise OfficeRefused("office answered 413", 413)
        self.sizes.append(len(data["facts"]))
        ok = [f["uuid"] for f in data["facts"] if f["uuid"] not in self.refuse]
        return {"accepted": ok, "refused": [{"seq": f["seq"], "uuid": f["uuid"],
                                             "reason": "no"} for f in data["facts"]
                                            if f["uuid"] in self.refuse]}


@pytest.fixture
def terminal(data_dir: Any) -> Any:
    db = Database(data_dir / "kspos.sqlite3", IDENTITY).open()
    yield db
    db.close()


def test_what_the_office_takes_is_marked_sent_and_a_refused_fact_stays(
        terminal: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _fill(terminal, 7)
    office = FakeOffice(refuse={rows[2]["uuid"]})
    monkeypatch.setattr(pusher_module, "_post", office)
    p = Pusher(terminal, "http://office.example", "ksp_t", IDENTITY, batch=3)
    result = p.push_pending()
    assert (result.sent, result.error, office.sizes) == (6, None, [3, 3, 1])
    assert [r["uuid"] for r in result.refused] == [rows[2]["uuid"]]
    assert p.pending_count() == 1
    again = p.push_pending()  # the refused one is offered again, never lost
    assert (again.sent, len(again.refused), p.pending_count()) == (0, 1, 1)


def test_a_batch_too_big_for_the_office_is_split(
        terminal: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(terminal, 5)
    office = FakeOffice(max_facts=2)
    monkeypatch.setattr(pusher_module, "_post", office)
    result = Pusher(terminal, "http://o", "ksp_t", IDENTITY, batch=8).push_pending()
    assert result.sent == 5 and max(office.sizes) <= 2


@pytest.mark.parametrize("failure", [OfficeUnreachable("office not reachable: refused"),
                                     OfficeRefused("office answered 401: bad token", 401)])
def test_a_failing_office_marks_nothing(terminal: Database, monkeypatch: pytest.MonkeyPatch,
                                        failure: Exception) -> None:
    _fill(terminal, 3)

    def failing(*_args: object) -> dict[str, Any]:
        raise failure

    monkeypatch.setattr(pusher_module, "_post", failing)
    p = Pusher(terminal, "http://o", "ksp_t", IDENTITY)
    result = p.push_pending()
    assert result.sent == 0 and result.error == str(failure) and p.pending_count() == 3


def test_an_office_that_is_not_there_is_unreachable_at_once(terminal: Database) -> None:
    _fill(terminal, 1)
    p = Pusher(terminal, f"http://127.0.0.1:{free_port()}", "ksp_t", IDENTITY, timeout=5)
    result = p.push_pending()
    assert result.error and result.error.startswith("office not reachable")
    assert p.pending_count() == 1


def test_backoff_doubles_to_a_cap_with_jitter() -> None:
    assert backoff_s(1, lambda: 0.0) == 0.5 and backoff_s(1, lambda: 1.0) == 1.0
    assert backoff_s(4, lambda: 1.0) == 8.0
    assert backoff_s(50, lambda: 1.0) == 300.0 and backoff_s(50, lambda: 0.0) == 150.0
    assert len({backoff_s(6) for _ in range(20)}) > 1  # terminals do not all wait alike
