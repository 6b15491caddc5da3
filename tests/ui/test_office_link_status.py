"""The cashier's status line says when the office link is down and how many facts wait, and
nothing more: selling goes on."""

from __future__ import annotations

from typing import Any

from kspos.sync.service import SyncStatus


class _Link:
    def __init__(self, status: SyncStatus) -> None:
        self._status = status

    def status(self) -> SyncStatus:
        return self._status


def test_the_status_line_notes_an_unreachable_office(window: Any, context: Any) -> None:
    cashier = window.screen_widget("cashier")
    assert context.sync is None  # demo mode: no office, no note
    assert "본사" not in cashier._status_text()
    context.sync = _Link(SyncStatus(reachable=False, pending=7, last_error="office down"))
    assert cashier._status_text().endswith("본사 연결 끊김 · 미전송 7건")
    context.sync = _Link(SyncStatus(reachable=True, pending=0))
    assert "본사" not in cashier._status_text()
    context.sync = None
