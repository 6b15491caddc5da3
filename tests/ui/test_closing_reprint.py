"""지난 마감 재출력 driven by taps: close a day on the 마감 screen, then print its Z report
again from the closed-days dialog behind the owner PIN. The printer prints text here, so what
it received can be read back row by row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kspos.config import DeviceSettings, Settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.receipts.decode import decode
from kspos.reports.slips import REPRINT_MARK
from tests.ui.helpers import enter_pin, on_next_dialog, open_as_owner, tap


@pytest.fixture
def context(data_dir, qapp):  # type: ignore[no-untyped-def]
    """The ui conftest's store, with the simulated printer in text mode (readable rows)."""
    from drivers.sim.printer import SimPrinter
    from kspos.store import Database
    from ui.app import ensure_app

    ensure_app("ko")
    settings = Settings(devices=DeviceSettings(printer_mode="text"), demo=True, data_dir=data_dir)
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


def _z_rows(payload: bytes) -> list[str]:
    return [row.strip() for row in decode(payload).rows]


def _without(rows: list[str], *drop: str) -> list[str]:
    return [row for row in rows if not any(word in row for word in drop)]


def _close_a_day(screen, context, qtbot) -> str:  # type: ignore[no-untyped-def]
    """A 4,000원 cash day counted as 1,000 × 3 + 500 × 2 and closed with the owner PIN."""
    register = context.register
    register.staff = next(s for s in context.staff.all() if s.role.value == "cashier")
    day = context.sales.days.open(register.staff, 0).day
    item = next(i for i in context.catalog.by_id.values() if i.name == "크루아상")
    register.add_item(item.id)
    register.pay_cash(10_000)
    context.printing.print_pending()
    screen.reload()
    qtbot.waitUntil(lambda: screen.expected == 4_000, timeout=10_000)
    assert screen.reprint_button.isEnabled()  # with a day open, too
    tap(screen, "count-1000")
    tap(screen.keypad, "key-3")
    tap(screen, "count-500")
    tap(screen.keypad, "key-2")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(screen, "closing-z")
    qtbot.waitUntil(lambda: "마감되었습니다" in screen.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not context.printing.queue.pending()  # sale, pickup slip, Z
                    and context.devices.printer.printout().cuts == 3, timeout=10_000)
    return day


def test_a_closed_days_z_report_is_reprinted_with_the_owner_pin(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = open_as_owner(window, context, "closing")
    day = _close_a_day(screen, context, qtbot)
    printer = context.devices.printer
    original = _z_rows(printer.sent[-1])
    assert "Z 리포트 (마감)" in original and REPRINT_MARK not in original
    printed = len(printer.sent)
    first_preview = screen.preview.pixmap().cacheKey()

    # A cashier's PIN may not reprint the day's sales.
    seen: list[str] = []

    def pick(dialog: QWidget) -> None:
        row = dialog.findChild(QPushButton, f"closed-day-{day}")
        assert row is not None and row.isChecked()  # the latest close is already picked
        over_short = dialog.findChild(QLabel, f"closed-day-over-short-{day}")
        seen.append(over_short.text())
        tap(dialog, "reprint-ok")

    on_next_dialog(enter_pin("1111"), expect="PinDialog")
    tap(screen, "closing-reprint")
    qtbot.waitUntil(lambda: "권한" in screen.message.text(), timeout=10_000)
    assert seen == [] and len(printer.sent) == printed  # not even the list, nothing printed

    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(pick, expect="ClosedDaysDialog")
    tap(screen, "closing-reprint")
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == ["0원 (일치)"]
    qtbot.waitUntil(lambda: printer.printout().cuts == 4 and not context.printing.queue.pending(),
                    timeout=10_000)
    reprint = _z_rows(printer.sent[-1])
    assert reprint[reprint.index("Z 리포트 (마감)") + 1] == REPRINT_MARK
    assert any(row.startswith("1,000원") and row.split()[1:] == ["3", "3,000"] for row in reprint)
    assert any(row.startswith("500원") and row.split()[1:] == ["2", "1,000"] for row in reprint)
    # the same slip as the close printed, but for the mark and when it was printed
    assert _without(reprint, REPRINT_MARK, "출력일시") == _without(original, "출력일시")
    assert "재출력했습니다" in screen.message.text()
    assert screen.preview_scroll.isVisible() and not screen.preview.pixmap().isNull()
    assert screen.preview.pixmap().cacheKey() != first_preview
    (state,), = context.db.read("SELECT state FROM print_job WHERE ref = ?", (f"Z-{day}-R",))
    assert state == "done"
    owner = next(s for s in context.staff.all() if s.role.value == "owner")
    assert context.db.read("SELECT staff_id FROM audit_log WHERE action = 'z_reprint'") \
        == [(owner.id,)]


def test_with_no_day_closed_the_dialog_says_so(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = open_as_owner(window, context, "closing")
    seen: list[tuple[str, bool]] = []

    def look(dialog: QWidget) -> None:
        empty = dialog.findChild(QLabel, "closed-days-empty")
        ok = dialog.findChild(QPushButton, "reprint-ok")
        seen.append((empty.text() if empty else "", ok.isEnabled()))
        tap(dialog, "dialog-cancel")

    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(look, expect="ClosedDaysDialog")
    tap(screen, "closing-reprint")
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [("지난 마감이 없습니다", False)]
    assert len(context.devices.printer.sent) == 0
