"""A day in the life: the real app (MainWindow, cashier screen, dialogs) driven by taps
through a business day, with faults at random, then the Z close.

The day: log in and open with a float; N orders in a realistic mix (cash with change, card,
easy pay by a scanned code, cash receipts, split tenders, options, discounts, 서비스, holds and
recalls, voids, refunds from 거래내역 by line and whole); faults as they come at a counter
(VAN timeout 2 %, printer out of paper 1 %, card reader unplugged 1 %); then 마감: count the
drawer on the keypad and Z-close with the owner's PIN.

``run_day(n)`` returns a :class:`DayReport`; ``problems`` lists every way the day did not
balance (an order not accounted for, a receipt number twice, the drawer not matching the
tenders, money taken ⇔ recorded broken against the VAN host simulator, an ERROR logged).
``run()`` is the bench entry (``python -m bench soak``): 800 orders.

Taps go through ``tests.ui.helpers`` (run from the repository root).
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench._soak_books import audit_books
from bench._soak_rig import DayReport, ErrorLog, LosingLink, Tracked

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FLOAT = 100_000
REFUNDED = re.compile(r"환불 ([\d,]+)원")
IDENTITY = "01012345678"
TID = "DPT0TEST03"


class Day:
    """The store, the window and the cashier's hands."""

    def __init__(self, data_dir: Path, seed: int, orders: int = 100) -> None:
        from drivers.sim.printer import SimPrinter
        from drivers.sim.reader import SimCardReader
        from drivers.sim.scanner import SimScanner
        from kspos.config import VanSettings, demo_settings
        from kspos.context import AppContext
        from kspos.ports import Devices
        from kspos.store import Database
        from kspos.van.simulator import Fault, SimulatorThread
        from ui.app import MainWindow, ensure_app

        self.rng = random.Random(seed)
        self.report = DayReport()
        self.app = ensure_app("ko")
        self.sim = SimulatorThread(fault=Fault("timeout"), fault_rate=0.02, seed=seed).start()
        settings = demo_settings(data_dir)
        settings = replace(settings, van=VanSettings(spec=f"tcp:127.0.0.1:{self.sim.port}",
                                                     tid=TID, connect_timeout_s=1.0,
                                                     response_timeout_s=0.3))
        self.printer = SimPrinter()
        self.reader = SimCardReader()
        self.scanner = SimScanner()
        self.link = LosingLink(self.sim.port)
        devices = Devices(printer=self.printer, drawer=self.printer, card_reader=self.reader,
                          scanner=self.scanner, van=self.link)
        self.context = AppContext.create(settings, Database(settings.db_path).open(), devices,
                                         start_workers=False)
        self.window = MainWindow(self.context)
        self.window.resize(1280, 800)
        self.window.show()
        self.app.processEvents()
        self.context.start_background()  # as run_app: 망취소 recovery and the reversal worker
        self.cashier: Any = self.window.screen_widget("cashier")
        self.tracked: list[Tracked] = []
        self.held: Tracked | None = None
        self.cash_in = 0
        self.cash_back = 0
        # Each fault comes at least once, at an order drawn now, beside the random rates.
        spots = self.rng.sample(range(3, max(6, orders - 3)), 3)
        self.forced = dict(zip(("paper", "reader", "van"), spots, strict=True))

    # --- hands --------------------------------------------------------------------------------

    def tap(self, widget: Any, name: str, timed: bool = True) -> None:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        from tests.ui.helpers import tap

        # A person is slower than a loop: the widgets a redraw replaced are gone by the next
        # tap (else the helper's findChild could find a replaced, hidden button first).
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        started = time.perf_counter()
        tap(widget, name)
        QApplication.processEvents()
        if timed:
            self.report.taps.append(time.perf_counter() - started)

    def wait(self, until: Callable[[], bool], timeout_s: float = 15.0, what: str = "") -> bool:
        from PySide6.QtTest import QTest

        deadline = time.monotonic() + timeout_s
        while not until():
            if time.monotonic() > deadline:
                self.report.problems.append(f"order {len(self.tracked)}: waited {timeout_s:.0f} s "
                                            f"for {what or 'the screen'}")
                return False
            QTest.qWait(5)
        return True

    def dialog(self, expect: str, handler: Callable[[Any], None]) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QLabel

        from tests.ui.helpers import on_next_dialog

        def guarded(dialog: Any) -> None:
            try:
                handler(dialog)
            except Exception as exc:  # a broken step is a soak failure, never a hang
                self.report.problems.append(f"{expect}: {type(exc).__name__}: {exc}")
                dialog.reject()
                return
            QTimer.singleShot(20_000, lambda: stuck(dialog))

        def stuck(dialog: Any) -> None:
            # A dialog the hands finished with that is still up (a new check, a new question)
            # is a soak failure with its message, never a hang.
            try:
                visible = dialog.isVisible()
            except RuntimeError:  # already deleted: it closed
                return
            if visible:
                texts = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
                self.report.problems.append(f"{expect} still open: {' / '.join(texts[:6])}")
                dialog.reject()

        on_next_dialog(guarded, expect=expect)

    def keys(self, dialog: Any, digits: str) -> None:
        for digit in digits:
            self.tap(dialog, f"key-{digit}")

    # --- the day ------------------------------------------------------------------------------

    def open_day(self) -> None:
        from tests.ui.helpers import enter_pin

        self.dialog("PinDialog", enter_pin("1111"))
        self.dialog("AmountDialog", lambda d: self.tap(d, "amount-ok"))  # 100,000 float
        first = self.pick_item(plain=True)
        self.tap_item(first)
        if self.context.current_day() is None:
            self.report.problems.append("the business day did not open")
        login = Tracked(self.context.register.order, state="voided")
        self.tap(self.cashier, "action-void")  # the first tap was only to log in
        self.tracked.append(login)  # a void is kept (with its amount) like any order
        self.report.taps.clear()  # the login dialogs are not a tap's latency

    def items(self) -> list[Any]:
        return [i for i in self.context.catalog.by_id.values() if not i.sold_out]

    def pick_item(self, plain: bool = False) -> Any:
        items = [i for i in self.items() if not plain or not i.groups]
        return self.rng.choice(items)

    def tap_item(self, item: Any) -> None:
        grid = self.cashier.menu
        tab = next(n for n, c in enumerate(self.context.catalog.categories)
                   if c.id == item.category_id)
        if grid.category_index != tab:
            self.tap(self.cashier, f"tab-{tab}")
        if item.groups:
            def options(dialog: Any) -> None:
                for group in item.groups:
                    if group.choices and (group.required or self.rng.random() < 0.3):
                        self.tap(dialog, f"choice-{self.rng.choice(group.choices).id}")
                if self.rng.random() < 0.2:
                    self.tap(dialog, "opt-plus")
                self.tap(dialog, "dialog-ok")

            self.dialog("OptionsDialog", options)
            self.tap(self.cashier, f"item-{item.id}", timed=False)  # modal: timed inside
        else:
            self.tap(self.cashier, f"item-{item.id}")

    def build_order(self) -> Tracked:
        for _ in range(self.rng.choice((1, 1, 2, 2, 3, 4))):
            self.tap_item(self.pick_item())
        register = self.context.register
        if self.rng.random() < 0.15 and len(register.order.lines) > 1:
            self.cashier.table.selectRow(len(register.order.lines) - 1)
            self.tap(self.cashier, "action-service")  # 서비스: the last line on the house
        if self.rng.random() < 0.1:
            self.cashier.table.clearSelection()

            def ten_percent(dialog: Any) -> None:
                self.tap(dialog, "discount-kind-1")
                self.keys(dialog, "10")
                self.tap(dialog, "discount-ok")

            self.dialog("DiscountDialog", ten_percent)
            self.tap(self.cashier, "action-discount", timed=False)
        return Tracked(register.order)

    # --- tenders ------------------------------------------------------------------------------

    def due(self, tracked: Tracked) -> int:
        order = tracked.order
        return self.context.sales.remaining(order) if order.id else order.total

    def pay_cash(self, tracked: Tracked, button: str = "pay-cash",
                 receipt: bool = False) -> None:
        def cash(dialog: Any) -> None:
            due = dialog.due
            if self.rng.random() < 0.6:
                for _ in range(max(1, -(-due // 10_000))):
                    self.tap(dialog, "quick-10000")
            else:
                self.tap(dialog, "quick-0")  # 딱맞게: nothing typed is not exact cash
            self.tap(dialog, "cash-pay")
            self.cash_in += due
            tracked.methods.append("cash")

        if receipt:
            def identity(dialog: Any) -> None:
                self.keys(dialog, IDENTITY)
                self.tap(dialog, "receipt-ok")

            self.dialog("CashReceiptDialog", identity)
        self.dialog("CashDialog", cash)
        self.tap(self.cashier, button, timed=False)

    def card_dialog(self, tracked: Tracked, dialog: Any) -> None:
        """Sign when asked; a reader that was unplugged is plugged back and retried; a VAN
        that did not answer (or a 망취소 still owed) sends the cashier to cash."""
        for _attempt in range(8):
            if not self.wait(lambda: dialog.result is not None or dialog.retry.isVisible()
                             or dialog.pages.currentIndex() in (1, 3)
                             or self._picking(dialog), what="the card dialog"):
                break
            if dialog.result is not None:
                tracked.methods.append("card")
                return
            if dialog.pages.currentIndex() == 3:  # 할부 first, from 50,000원
                self.tap(dialog, "card-installment-0")
                continue
            if self._picking(dialog):  # the simulated reader waits for a test card
                self.tap(dialog, "card-test-approve")
                continue
            if dialog.pages.currentIndex() == 1 and not dialog.retry.isVisible():
                dialog.pad.resize(512, 256)
                dialog.pad.draw_stroke([(40, 200), (120, 60), (200, 190), (300, 50), (460, 180)])
                self.tap(dialog, "sign-ok")
                continue
            if self.reader.offline:
                self.reader.offline = False  # the cashier plugs the reader back in
                self.tap(dialog, "card-retry")
                continue
            self.report.count(self.report.outcomes, f"card refused: {dialog.step.text()[:24]}")
            self.tap(dialog, "dialog-cancel")
            return
        dialog.reject()

    @staticmethod
    def _picking(dialog: Any) -> bool:
        return bool(dialog.pages.currentIndex() == 0 and not dialog.reading
                    and dialog.demo_picker.isVisible() and dialog.demo_picker.isEnabled()
                    and not dialog.retry.isVisible())

    def pay_card(self, tracked: Tracked, button: str = "pay-card") -> bool:
        here = len(self.tracked) - 1
        if self.rng.random() < 0.01 or here == self.forced["reader"]:
            self.reader.offline = True  # unplugged: the read fails, the cashier sees why
            self.report.count(self.report.faults, "reader unplugged")
        if here == self.forced["van"]:
            self.link.lose_next = True
            self.report.count(self.report.faults, "VAN answer lost")
        before = len(tracked.methods)
        self.dialog("CardDialog", lambda d: self.card_dialog(tracked, d))
        self.tap(self.cashier, button, timed=False)
        return len(tracked.methods) > before

    def pay_easypay(self, tracked: Tracked) -> bool:
        code = "281006" + "".join(self.rng.choice("0123456789") for _ in range(8)) + \
            f"{self.rng.randrange(1, 10_000):04d}"
        outcome: dict[str, bool] = {}

        def easypay(dialog: Any) -> None:
            self.scanner.queue_scan(code)  # the customer's phone under the scanner
            if not self.wait(lambda: dialog.result is not None
                             or (not dialog.busy and dialog.step.property("role") == "error"),
                             what="the easy-pay dialog"):
                dialog.reject()
                return
            if dialog.result is not None:
                tracked.methods.append("easypay")
                outcome["ok"] = True
                return
            self.report.count(self.report.outcomes, "easy pay refused")
            self.tap(dialog, "dialog-cancel")

        self.dialog("EasyPayDialog", easypay)
        self.tap(self.cashier, "pay-easypay", timed=False)
        return outcome.get("ok", False)

    def pay_split(self, tracked: Tracked) -> None:
        def split(dialog: Any) -> None:
            part = max(1_000, (self.due(tracked) // 2) // 100 * 100)
            if part < self.due(tracked):
                self.keys(dialog, str(part))
                self.dialog("CashDialog", lambda d: self._split_cash(tracked, d))
                self.tap(dialog, "split-cash", timed=False)
                self.wait(lambda: self.due(tracked) < tracked.total, what="the split's cash")
            if self.due(tracked) > 0:
                self.dialog("CardDialog", lambda d: self.card_dialog(tracked, d))
                self.tap(dialog, "split-card", timed=False)
            if self.due(tracked) > 0 and dialog.isVisible():  # the card did not go through
                self.dialog("CashDialog", lambda d: self._split_cash(tracked, d))
                self.tap(dialog, "split-cash", timed=False)
            if not self.wait(lambda: not dialog.isVisible(), what="the split to close"):
                dialog.reject()

        self.dialog("SplitDialog", split)
        self.tap(self.cashier, "pay-split", timed=False)

    def _split_cash(self, tracked: Tracked, dialog: Any) -> None:
        self.cash_in += dialog.due
        tracked.methods.append("cash")
        self.tap(dialog, "quick-0")  # 딱맞게
        self.tap(dialog, "cash-pay")

    def settle(self, tracked: Tracked) -> None:
        """Pay the order by the chosen mix; anything refused is paid in cash."""
        order = tracked.order
        tracked.total = order.total
        roll = self.rng.random()
        if len(self.tracked) - 1 in (self.forced["reader"], self.forced["van"]):
            roll = 0.45  # by card
        refused = False
        if roll < 0.30:
            self.pay_cash(tracked)
        elif roll < 0.60:
            refused = not self.pay_card(tracked)
        elif roll < 0.72:
            refused = not self.pay_easypay(tracked)
        elif roll < 0.84:
            self.pay_cash(tracked, "pay-cash_receipt", receipt=True)
            tracked.methods.append("cash_receipt")
        else:
            self.pay_split(tracked)
        if refused:  # the card or the code did not go through: the customer pays cash
            self.report.count(self.report.outcomes, "paid in cash after a refusal")
            self.pay_cash(tracked)
        self.wait(lambda: order.state.value == "paid", what="the order to be paid")
        tracked.state = order.state.value

    # --- after the sale -----------------------------------------------------------------------

    def refund(self) -> None:
        """The owner refunds a cash-only order from 거래내역: whole, or one line."""
        from tests.ui.helpers import enter_pin

        candidates = [t for t in self.tracked[-40:] if t.state in ("paid", "partly_refunded")
                      and set(t.methods) <= {"cash", "cash_receipt"} and t.total > 0
                      and t.order.receipt_no]
        if not candidates:
            return
        target = self.rng.choice(candidates)
        self.tap(self.cashier, "action-history", timed=False)
        history: Any = self.window.screen_widget("history")
        row = next((r for r in range(history.table.rowCount())
                    if history.table.item(r, 0).text() == target.order.receipt_no), None)
        if row is None:
            self.report.problems.append(f"{target.order.receipt_no} is not in 거래내역")
            self.tap(history, "history-back", timed=False)
            return
        history.table.selectRow(row)
        whole = self.rng.random() < 0.5 or not history.qty_boxes
        if not whole:
            position, _box = history.qty_boxes[0]
            self.tap(history, f"refund-qty-{position}-plus")
        self.dialog("PinDialog", enter_pin("0000"))
        if "cash_receipt" in target.methods:  # the customer's number again, to cancel it
            def identity(dialog: Any) -> None:
                self.keys(dialog, IDENTITY)
                self.tap(dialog, "receipt-ok")

            self.dialog("CashReceiptDialog", identity)
        history.message.setText("")
        self.tap(history, "history-refund-all" if whole else "history-refund-lines",
                 timed=False)
        if self.wait(lambda: bool(history.message.text()), what="the refund"):
            said = REFUNDED.fullmatch(history.message.text())
            if said is None and "응답 없음" in history.message.text():
                self.report.count(self.report.outcomes, "refund refused: VAN no answer")
                self.tap(history, "history-back", timed=False)
                return
            if said is None:
                self.report.problems.append(f"refund of {target.order.receipt_no} refused: "
                                            f"{history.message.text()}")
                self.tap(history, "history-back", timed=False)
                return
            amount = int(said[1].replace(",", ""))
            self.cash_back += amount
            target.refunded += amount
            target.state = "refunded" if target.refunded >= target.total else "partly_refunded"
            self.report.count(self.report.outcomes, "refund whole" if whole else "refund line")
        self.tap(history, "history-back", timed=False)

    def one_order(self) -> None:
        if self.printer.paper_out and self.rng.random() < 0.5:
            self.printer.paper_out = False  # a new roll; the next slip prints what waited
        if self.rng.random() < 0.01 or len(self.tracked) == self.forced["paper"]:
            self.printer.paper_out = True
            self.report.count(self.report.faults, "printer paper out")
        if self.held is not None and self.rng.random() < 0.5:
            held, self.held = self.held, None
            self.dialog("HeldDialog", lambda d: self.tap(d, "held-recall"))
            self.tap(self.cashier, "action-held", timed=False)
            if self.context.register.order.id != held.order.id:
                self.report.problems.append("recall brought back the wrong order")
                return
            held.order = self.context.register.order
            self.settle(held)
            self.report.count(self.report.outcomes, "held then paid")
            return
        tracked = self.build_order()
        self.tracked.append(tracked)
        roll = self.rng.random()
        if roll < 0.05 and self.held is None:
            self.tap(self.cashier, "action-hold")
            tracked.state = "held"
            self.held = tracked
            return
        if roll < 0.08:
            from kspos.sales.register import needs_confirmation

            if needs_confirmation(self.context.register.order.total):  # asked again first
                self.dialog("ConfirmDialog", lambda d: self.tap(d, "confirm-ok"))
            self.tap(self.cashier, "action-void")
            tracked.state = "voided"
            self.report.count(self.report.outcomes, "voided")
            return
        self.settle(tracked)
        if self.rng.random() < 0.08:
            self.refund()

    def close_day(self) -> None:
        """The owner counts the drawer on the 마감 keypad and Z-closes with the PIN."""
        from tests.ui.helpers import enter_pin

        if self.held is not None:
            self.dialog("HeldDialog", lambda d: self.tap(d, "held-recall"))
            self.tap(self.cashier, "action-held", timed=False)
            self.held.order = self.context.register.order
            self.settle(self.held)
            self.held = None
        self.printer.paper_out = False
        self.cashier._retry_printing()  # 메뉴 ▾ → 프린터 다시 인쇄: the slips that waited
        printing = self.context.printing
        self.wait(lambda: not printing.pending(), what="the waiting slips to print")
        self.dialog("PinDialog", enter_pin("0000"))
        self.cashier._open_owner_screen("closing")  # the 메뉴 ▾ → 마감 action
        closing: Any = self.window.screen_widget("closing")
        self.wait(lambda: closing.expected is not None, what="the closing screen")
        expected = closing.expected or 0
        self.report.expected_cash = expected
        left = expected
        from kspos.sales.days import DENOMINATIONS

        for denomination in DENOMINATIONS:
            pieces, left = divmod(left, denomination)
            if pieces:
                self.tap(closing, f"count-{denomination}")
                self.keys(closing, str(pieces))
        self.dialog("PinDialog", enter_pin("0000"))
        self.tap(closing, "closing-z", timed=False)
        self.wait(lambda: closing.day is None and "마감" in closing.message.text(),
                  what="the Z close")

    # --- the books ----------------------------------------------------------------------------

    def audit(self) -> None:
        """Hold what the cashier did against the database, the host and the drawer."""
        audit_books(self, TID)

    def close(self) -> None:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        for screen in self.window.screens.values():
            for name in ("scans", "watch"):  # the scanner pump and the device poll timer
                part = getattr(screen, name, None)
                if part is not None:
                    part.stop()
        self.window.close()
        self.window.deleteLater()  # no timer of a screen may outlive the store it reads
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        self.context.close()
        self.sim.stop()


def run_day(orders: int, seed: int = 1, data_dir: Path | None = None) -> DayReport:
    """Drive a whole business day of ``orders`` orders; see the module docstring."""
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    holder = tempfile.TemporaryDirectory() if data_dir is None else None
    started = time.perf_counter()
    day = Day(Path(holder.name) if holder else data_dir, seed, orders)  # type: ignore[arg-type]
    try:
        day.open_day()
        for _ in range(orders):
            day.one_order()
            day.report.orders += 1
        day.close_day()
        day.report.wall_s = time.perf_counter() - started
        day.report.faults["망취소 done"] = len(day.context.van.journal.history(10_000))
        day.audit()
    finally:
        day.close()
        logging.getLogger().removeHandler(errors)
        if holder is not None:
            holder.cleanup()
    day.report.problems += [f"logged {r.levelname}: {r.getMessage()}"
                            + (" (with a traceback)" if r.exc_info else "")
                            for r in errors.records]
    return day.report


def _once_each(seen: set[str]) -> Callable[..., None]:
    """A Qt message handler that prints each message once (the offscreen platform warns
    "does not support propagateSizeHints()" for every dialog the day opens)."""
    def handler(_mode: Any, _context: Any, message: str) -> None:
        if message not in seen:
            seen.add(message)
            print(f"qt: {message}", file=sys.stderr)
    return handler


def run() -> list[tuple[str, str, str]]:
    from PySide6.QtCore import qInstallMessageHandler

    previous = qInstallMessageHandler(_once_each(set()))
    try:
        report = run_day(800, seed=8)
    finally:
        qInstallMessageHandler(previous)
    for problem in report.problems[:20]:
        print(f"soak problem: {problem}", file=sys.stderr)
    faults = ", ".join(f"{k} {v}" for k, v in sorted(report.faults.items())) or "none"
    return [
        ("soak: a day of 800 orders by taps (wall time)", f"{report.wall_s:.1f} s", "< 10 min"),
        ("soak: tap latency p99 (non-modal taps)", f"{report.p99_tap_ms:.1f} ms", "< 100 ms"),
        ("soak: faults injected", faults, "every one survived"),
        ("soak: problems (unbalanced books, errors logged)", str(len(report.problems)), "0"),
    ]
