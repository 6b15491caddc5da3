"""The pusher inside the POS: a background thread whose status the status line reads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kspos.config import OfficeSettings, Settings
from kspos.store import Database
from kspos.sync import pusher as pusher_module
from kspos.sync.pusher import OfficeUnreachable
from kspos.sync.service import SyncService, SyncStatus
from tests.unit.sync.test_pusher import IDENTITY, FakeOffice, _fill


def _wait(condition: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_no_office_in_the_config_means_no_service(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir)
    assert SyncService.for_settings(settings, None) is None  # type: ignore[arg-type]


def test_the_status_says_when_the_office_is_down_and_how_much_waits(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(data_dir / "kspos.sqlite3", IDENTITY).open()
    _fill(db, 4)
    down = {"now": True}
    office = FakeOffice()

    def post(*args: Any) -> dict[str, Any]:
        if down["now"]:
            raise OfficeUnreachable("office not reachable: connection refused")
        return office(*args)

    monkeypatch.setattr(pusher_module, "_post", post)
    monkeypatch.setattr(pusher_module, "backoff_s", lambda failures: 0.05)
    monkeypatch.setattr(pusher_module, "IDLE_S", 0.05)
    settings = Settings(data_dir=data_dir, office=OfficeSettings("http://office", "ksp_t"))
    service = SyncService.for_settings(settings, db)
    assert service is not None and service.status() == SyncStatus()
    service.start()
    try:
        _wait(lambda: service.status().reachable is False)
        assert service.status().pending == 4
        assert "not reachable" in (service.status().last_error or "")
        down["now"] = False
        _wait(lambda: service.status().reachable is True and service.status().pending == 0)
    finally:
        service.stop()
        db.close()
