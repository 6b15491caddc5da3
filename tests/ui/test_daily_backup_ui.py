"""The daily backup as the staff meet it: Z 마감 takes it again (with the closed day in it), and
a backup that failed is a warning line on the cashier screen, not an error."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kspos.config import BackupSettings, DeviceSettings, Settings
from kspos.context import AppContext
from kspos.ports import Devices
from tests.ui.helpers import open_as_owner
from tests.ui.test_closing_reprint import _close_a_day


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def context(data_dir, qapp, usb):  # type: ignore[no-untyped-def]
    from drivers.sim.printer import SimPrinter
    from kspos.store import Database
    from ui.app import ensure_app

    ensure_app("ko")
    settings = Settings(devices=DeviceSettings(printer_mode="text"), demo=True, data_dir=data_dir,
                        backup=BackupSettings(folder=str(usb), keep=14))
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    ctx = AppContext.create(settings, db, Devices(printer=printer, drawer=printer))
    yield ctx
    ctx.close()


@pytest.fixture(autouse=True)
def _stop_timers(window):  # type: ignore[no-untyped-def]
    yield
    for timer in window.findChildren(QTimer):
        timer.stop()


def _closed_days(backup: Path) -> list[str]:
    with sqlite3.connect(backup) as conn:
        return [r[0] for r in conn.execute(
            "SELECT day FROM business_day WHERE closed_at IS NOT NULL")]


def test_z_close_backs_the_closed_day_up(window, context, qtbot, usb) -> None:  # type: ignore[no-untyped-def]
    today = usb / f"kspos-{date.today().isoformat()}.sqlite3"
    qtbot.waitUntil(today.exists, timeout=10_000)  # the start of the day's backup
    assert _closed_days(today) == []
    day = _close_a_day(open_as_owner(window, context, "closing"), context, qtbot)
    qtbot.waitUntil(lambda: _closed_days(today) == [day], timeout=15_000)


def test_a_failed_backup_is_a_warning_line_on_the_cashier_screen(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.show_screen("cashier")
    context.backup_warning = "백업 폴더가 없습니다 (backup folder not found): /media/usb/kspos"
    cashier.refresh()
    banner = cashier.device_banner
    assert banner.isVisible() and "자동 백업" in banner.text.text()
    assert "/media/usb/kspos" in banner.text.text()
    assert banner.text.property("role") == "banner-warning"  # not red: the sale goes on
    context.backup_warning = None
    cashier.refresh()
    assert not banner.isVisible()
