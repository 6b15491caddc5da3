"""A fact the office refuses keeps its reason on the terminal (stored, not only logged) and
stays in the outbox; ``kspos doctor`` fails naming it until the office takes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kspos.config import load_settings
from kspos.diagnostics.office_link import check_office, office_link
from kspos.store import Database
from kspos.sync import outbox
from kspos.sync import pusher as pusher_module
from kspos.sync.pusher import Pusher
from tests.unit.sync.test_pusher import IDENTITY, FakeOffice, _fill


def _settings(tmp_path: Path, url: str = "http://office.example") -> Any:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\ncode = "S0001"\nterminal = "01"\n'
                      f'[office]\nurl = "{url}"\ntoken = "ksp_t"\n', "utf-8")
    return load_settings(config, tmp_path / "data")


def test_a_refused_fact_keeps_the_reason_until_the_office_takes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    db = Database(settings.db_path, IDENTITY).open()
    try:
        rows = _fill(db, 4)
        office = FakeOffice(refuse={rows[1]["uuid"], rows[3]["uuid"]})
        monkeypatch.setattr(pusher_module, "_post", office)
        pusher = Pusher(db, settings.office.url, "ksp_t", IDENTITY)
        assert pusher.push_pending().sent == 2
        count, kept = outbox.refused(db)
        assert count == 2 and [r["seq"] for r in kept] == [rows[3]["seq"], rows[1]["seq"]]
        assert {r["reason"] for r in kept} == {"no"} and pusher.pending_count() == 2
        link = office_link(settings, db, None)
        assert (link.refused, link.url) == (2, "http://office.example")
        check = check_office(settings)
        assert not check.ok and "본사 전송 거부 2건" in check.detail and ": no" in check.detail
        office.refuse = set()  # the office was fixed: the facts go, nothing was lost
        assert pusher.push_pending().sent == 2
        assert outbox.refused(db) == (0, []) and pusher.pending_count() == 0
        assert check_office(settings).ok
    finally:
        db.close()


def test_the_doctor_says_nothing_of_the_office_for_a_standalone_store(tmp_path: Path) -> None:
    check = check_office(load_settings(None, tmp_path / "data"))
    assert check.ok and "standalone" in check.detail
