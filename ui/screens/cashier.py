"""The cashier screen: menu grid left, order and total right, actions and payment below."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kspos.sales.orders import OrderError
from kspos.sales.payments import PaymentError
from kspos.sales.register import needs_confirmation
from kspos.sales.staff import AuthError, require
from kspos.store.db import StoreError
from ui.dialogs.misc import (
    ConfirmDialog,
    DiscountDialog,
    HeldDialog,
)
from ui.dialogs.options import OptionsDialog
from ui.i18n import Shown, current_language, t, waiting_to_print, won
from ui.ops import run_op
from ui.screens.cashier_menu import CounterMenu
from ui.screens.cashier_pay import PaymentActions
from ui.screens.samples import demo_sample_order
from ui.widgets.common import Banner, button, label, message_label
from ui.widgets.menu_grid import MenuGrid
from ui.widgets.order_view import OrderTable, TotalsBox

if TYPE_CHECKING:
    from kspos.context import AppContext

__all__ = ["CashierScreen", "create", "demo_sample_order", "prepare_for_shot"]
log = logging.getLogger(__name__)
USER_ERRORS = (OrderError, PaymentError, AuthError, StoreError)
DEMO_PIN_CHECK_S = 3.0  # how stale the demo-PIN warning may be between screen visits
ACTIONS = (("할인", "discount"), ("서비스", "service"), ("보류", "hold"),
           ("보류목록", "held"), ("주문취소", "void"), ("거래내역", "history"))
AUTOSAVE_MS = 300  # from the first change to its save (taps in between go with it)
PAY_BUTTONS = (("현금", "cash"), ("카드", "card"), ("간편결제", "easypay"),
               ("현금영수증", "cash_receipt"), ("복합결제", "split"))


class CashierScreen(PaymentActions, CounterMenu, QWidget):
    # The register may change on a worker thread (a payment finishing); the signal brings the
    # redraw to the GUI thread.
    register_changed = Signal()
    menu_applied = Signal(int)  # the office's menu applied (maybe on the db worker)
    retranslates: ClassVar[bool] = True  # its own _retranslate (it is where the switch is)

    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.register = context.register
        self.register_changed.connect(lambda: self.refresh())
        self.register.listeners.append(self.register_changed.emit)
        # The order on the counter is saved a moment after the taps, on the database's
        # worker: a crash loses at most that moment, and a tap never waits for the disk.
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_order)
        self.register_changed.connect(self._order_changed)
        self.menu_applied.connect(self._menu_applied)
        context.menu_listeners.append(self.menu_applied.emit)
        self._applying_menu = False
        self.buttons: dict[str, Any] = {}
        self.split: Any = None
        self._build()
        from ui.scanning import ScanPump

        self.scans = ScanPump(context.devices.scanner, self)
        self.scans.scanned.connect(self.route_scan)
        self.scans.trouble.connect(lambda m: self.device_banner.show_message(m, danger=True))
        self.scans.start()
        self.printer_trouble = ""
        self.watch = QTimer(self)  # device states change behind our back: poll, never block
        self.watch.timeout.connect(self.poll_devices)
        self.watch.start(3000)
        self.refresh()

    def stop_background(self) -> None:
        """Stop the scanner pump, the device poll and the pending autosave (the window is
        closing, or the screen is being dropped)."""
        self.scans.stop()
        self.watch.stop()
        self.autosave.stop()
        if self.menu_applied.emit in self.context.menu_listeners:
            self.context.menu_listeners.remove(self.menu_applied.emit)

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        self.reversal_banner = Banner()
        self.printer_banner = Banner()
        self.device_banner = Banner()
        for banner in (self.reversal_banner, self.printer_banner, self.device_banner):
            root.addWidget(banner)
        body = QHBoxLayout()
        body.setSpacing(12)
        root.addLayout(body, 1)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.menu = MenuGrid(self.context.catalog)
        self.menu.item_tapped.connect(self.tap_item)
        left.addWidget(self.menu, 1)
        self.action_grid = QGridLayout()
        self.action_grid.setSpacing(8)
        self.action_keys: list[str] = []
        for text, key in ACTIONS:
            b = button(t(text), "danger" if key == "void" else "",
                       lambda k=key: self.action(k), name=f"action-{key}")
            b.setMinimumHeight(56)
            self.buttons[key] = b
            self.action_keys.append(key)
        if self.context.settings.store.order_numbers != "off":  # the pickup 호출 list
            calls = button(t("호출"), "", lambda: self.action("calls"), name="action-calls")
            calls.setMinimumHeight(56)
            self.buttons["calls"] = calls
            self.action_keys.append("calls")
        more = button(t("메뉴") + " ▾", "", name="action-more")
        more.setMinimumHeight(56)
        more.clicked.connect(self._more_menu)
        self.buttons["more"] = more
        self.action_keys.append("more")
        self._action_columns = 0
        self._lay_out_actions(len(self.action_keys))
        left.addLayout(self.action_grid)
        self.status = label("", "status", name="status-line")
        # The demo-PIN warning shares the status line: it never pushes the menu grid.
        self.demo_warning = label("", "status-warning", name="demo-pin-warning")
        self.demo_warning.hide()
        self._demo_checked_at = -DEMO_PIN_CHECK_S
        status_row = QHBoxLayout()
        status_row.setSpacing(8)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.demo_warning)
        left.addLayout(status_row)
        body.addLayout(left, 2)
        body.addWidget(self._order_panel(), 1)

    def _order_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        panel.setMinimumWidth(340)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 8, 0, 8)
        col.setSpacing(6)
        head = QHBoxLayout()
        head.setContentsMargins(12, 0, 12, 0)
        self.order_title = label(t("주문내역"), "title", name="order-title")
        self.receipt_no = label("", "muted", name="order-receipt-no")
        head.addWidget(self.order_title)
        # 연습 모드 is said here, beside the order and its total, not in a banner over the
        # screen: the banner pushed every button down 58 px under the cashier's finger.
        # 메뉴 ▾ → 연습 모드 turns it off.
        self.training_chip = label("", "banner-training", name="training-chip")
        self.training_chip.hide()
        head.addWidget(self.training_chip)
        head.addStretch(1)
        head.addWidget(self.receipt_no)
        col.addLayout(head)
        self.message = message_label("error", name="cashier-message")
        self.message.setContentsMargins(12, 0, 12, 0)
        self.message.hide()
        col.addWidget(self.message)
        self.empty_hint = label(t("메뉴를 눌러 주문을 시작하세요"), "muted", name="empty-hint",
                                align=Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.empty_hint)
        self.table = OrderTable()
        self.table.clicked.connect(lambda _i: self._sync_line_buttons())
        col.addWidget(self.table, 1)
        line_bar = QHBoxLayout()
        line_bar.setContentsMargins(8, 0, 8, 0)
        line_bar.setSpacing(6)
        for text, key in (("−", "minus"), ("+", "plus"), ("삭제", "delete")):
            b = button(t(text), "danger" if key == "delete" else "",
                       lambda k=key: self.line_action(k), name=f"line-{key}")
            self.buttons[f"line-{key}"] = b
            line_bar.addWidget(b)
        col.addLayout(line_bar)
        self.totals = TotalsBox()
        col.addWidget(self.totals)
        pay = QVBoxLayout()
        pay.setContentsMargins(8, 0, 8, 0)
        pay.setSpacing(8)
        rows = (PAY_BUTTONS[:3], PAY_BUTTONS[3:])
        for row_buttons in rows:
            row = QHBoxLayout()
            row.setSpacing(8)
            for text, key in row_buttons:
                b = button(t(text), "pay", lambda k=key: self.pay(k), name=f"pay-{key}")
                self.buttons[f"pay-{key}"] = b
                row.addWidget(b)
            pay.addLayout(row)
        col.addLayout(pay)
        return panel

    def _lay_out_actions(self, columns: int) -> None:
        """One row of actions on wide screens, two rows where the labels would be cut."""
        if columns == self._action_columns:
            return
        self._action_columns = columns
        for key in self.action_keys:
            self.action_grid.removeWidget(self.buttons[key])
        for n, key in enumerate(self.action_keys):
            self.action_grid.addWidget(self.buttons[key], n // columns, n % columns)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        widest = max(self.buttons[k].sizeHint().width() for k in self.action_keys)
        room = self.menu.width() // max(1, widest + 8)
        self._lay_out_actions(len(self.action_keys) if room >= len(self.action_keys)
                              else (len(self.action_keys) + 1) // 2)

    # --- state → widgets ----------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        order = self.register.order
        self.table.show_order(order, select)
        self.totals.show_order(order)
        self.refresh_receipt_no()
        self.empty_hint.setVisible(order.is_empty)
        has_lines = not order.is_empty
        for key in ("pay-cash", "pay-card", "pay-easypay", "pay-cash_receipt", "pay-split",
                    "hold", "void"):
            self.buttons[key].setEnabled(has_lines)
        self._sync_line_buttons()
        self._sync_banners()

    def _sync_line_buttons(self) -> None:
        selected = self.table.selected_row() >= 0
        for key in ("line-minus", "line-plus", "line-delete", "service"):
            self.buttons[key].setEnabled(selected)
        self.buttons["discount"].setEnabled(not self.register.order.is_empty)

    def _sync_banners(self) -> None:
        self.training_chip.setText(t("연습 모드"))  # short: the receipt number keeps its room
        self.training_chip.setToolTip(t("연습 모드 — 매출에 포함되지 않습니다"))
        self.training_chip.setVisible(self.register.training)
        if self.context.reversal_pending():
            self.reversal_banner.show_message(t("망취소 대기 중 — 카드 결제 중지"))
        else:
            self.reversal_banner.hide()
        if self.printer_trouble:
            self.printer_banner.show_message(self.printer_trouble, danger=True,
                                             action=t("다시 시도"),
                                             callback=self._retry_printing)
        else:
            self.printer_banner.hide()
        problems = self.context.devices.problems
        if problems:
            kinds = ", ".join(sorted(problems))
            self.device_banner.show_message(f"{t('장치 오프라인')}: {kinds}", danger=True)
        elif self.context.backup_warning:  # a warning, not an error: selling goes on
            self.device_banner.show_message(f"{t('자동 백업 실패')}: {self.context.backup_warning}")
        else:
            self.device_banner.hide()
        self.status.setText(self._status_text())
        self._sync_demo_warning()

    def _sync_demo_warning(self, force: bool = False) -> None:
        """A store still on the demo PINs says so until each is changed in 직원 관리. Read
        at most every few seconds (not on every tap) and whenever the screen comes back."""
        now = time.monotonic()
        if not force and now - self._demo_checked_at < DEMO_PIN_CHECK_S:
            return
        self._demo_checked_at = now
        left = self.context.staff.demo_pins_left()
        if left:
            self.demo_warning.setText("⚠ " + t("데모 PIN — 직원 관리에서 변경"))
        self.demo_warning.setVisible(bool(left))

    def apply_office_menu(self) -> None:
        """Apply a menu the office sent for "now" while the order is empty (between
        customers), on the database's worker; :meth:`_menu_applied` redraws the grid."""
        # at the counter only: not under 메뉴 관리's open forms, nor mid-order
        if self._applying_menu or not self.isVisible() or not self.register.order.is_empty \
                or self.context.menu_due() is None:
            return
        self._applying_menu = True

        def done(_version: Any) -> None:
            self._applying_menu = False

        def failed(error: BaseException) -> None:
            log.warning("the office's menu could not be applied: %s", error)
            done(None)

        run_op(self, self.context.apply_menu, device="db", on_success=done, on_error=failed)

    def _menu_applied(self, version: int) -> None:
        self.menu.set_catalog(self.context.catalog)
        self.say(t("새 메뉴 적용됨 (v{n})").replace("{n}", str(version)), ok=True)
        self.refresh()

    def poll_devices(self) -> None:
        """Printer state and queued slips, read on the printer's worker; 망취소 from the db;
        the office's menu applied when one is due."""
        self.apply_office_menu()
        printer = self.context.devices.printer
        if printer is None or not self.isVisible() or getattr(self, "_polling", False):
            self._sync_banners()
            return
        self._polling = True

        def job() -> str:
            status = printer.status()
            printing = self.context.printing
            waiting = len(printing.pending()) if printing is not None else 0
            trouble = ""
            if status.known and status.paper_out:
                trouble = t("프린터 용지 없음")
            elif status.known and status.cover_open:
                trouble = "프린터 덮개 열림 (cover open)"
            elif status.known and not status.online:
                trouble = "프린터 응답 없음 (printer offline)"
            if waiting:
                trouble = f"{trouble or t('프린터')} — {waiting_to_print(waiting)}"
            return trouble

        def done(trouble: Any, error: BaseException | None = None) -> None:
            self._polling = False
            self.printer_trouble = trouble if error is None else f"{t('프린터')}: {error}"
            self._sync_banners()

        run_op(self, job, device="printer", on_success=done,
               on_error=lambda e: done("", e))

    def _status_text(self) -> str:
        day = self.context.current_day()
        staff = self.register.staff
        sim = self.context.settings.simulated()
        parts = [f"{t('영업일')} {day}" if day else f"{t('영업일')} —",
                 f"{t('캐셔')} {staff.name}" if staff else t("로그인"),
                 f"{t('프린터')} {t('정상')}" if "printer" not in self.context.devices.problems
                 else f"{t('프린터')} ✕"]
        if self.context.settings.demo:
            parts.append(t("데모 모드"))
        elif sim:
            parts.append(f"{t('시뮬레이터')}: {', '.join(sim)}")
        link = self.context.sync.status() if self.context.sync is not None else None
        if link is not None and link.reachable is False:  # a note only: selling goes on
            unsent = t("미전송 {n}건").replace("{n}", str(link.pending))
            parts.append(f"{t('본사 연결 끊김')} · {unsent}")
        return " · ".join(parts)

    def say(self, text: Shown, ok: bool = False) -> None:
        """A message for the cashier above the order (never a modal); clears itself. ``ok``:
        good news (결제 완료) in the success colour, else trouble in the danger colour."""
        self.message.say(text, ok)
        self.message.setVisible(bool(text))
        if text:
            QTimer.singleShot(6000, self, lambda: self._clear_message(text))

    def _clear_message(self, text: Shown) -> None:
        if self.message.text() == str(text):
            self.say("")

    def guarded(self, action: Any, *args: Any) -> Any:
        """Run a register action; a refused one shows its message and changes nothing."""
        try:
            return action(*args)
        except USER_ERRORS as exc:
            self.say(exc)
            return None

    # --- the order on the counter, saved as it is built ---------------------------------------

    def _order_changed(self) -> None:
        if not self.autosave.isActive():  # not restarted: steady tapping still saves
            self.autosave.start()

    def save_order(self) -> None:
        """Checkpoint the order on the counter on the database's worker."""
        register = self.register
        if getattr(self, "_saving", False):  # one at a time; the last change goes next
            self.autosave.start()
            return
        self._saving = True

        def done(saved: Any, error: BaseException | None = None) -> None:
            from shiboken6 import isValid

            if not isValid(self):  # the window closed while the worker saved
                return
            self._saving = False
            if error is not None:
                log.error("saving the order on the counter: %r", error)
                self.say(f"주문을 저장하지 못했습니다 (could not save the order): {error}")
            elif saved:
                self.refresh_receipt_no()

        run_op(self, register.checkpoint, device="db", on_success=done,
               on_error=lambda e: done(False, e))

    def refresh_receipt_no(self) -> None:
        order = self.register.order
        tags = [f"#{order.receipt_no}"] if order.receipt_no else []
        if order.table_no:
            tags.insert(0, f"{t('테이블')} {order.table_no}")
        self.receipt_no.setText("  ".join(tags))

    # --- taps -----------------------------------------------------------------------------------

    def ensure_ready(self) -> bool:
        if self.register.staff is None and not self.login():
            return False
        staff = self.register.staff
        if staff is not None and not staff.may("sell"):  # a technician: no till, no sale
            self.guarded(require, staff, "sell")
            return False
        if self.context.current_day() is None:
            return self.open_day()
        return True

    def tap_item(self, item_id: int) -> None:
        if not self.ensure_ready():
            return
        item = self.context.catalog.by_id.get(item_id)
        if item is None:
            return
        if item.groups:
            dialog = OptionsDialog(item, self)
            accepted = dialog.exec() == OptionsDialog.DialogCode.Accepted
            choices, qty = dialog.choices(), dialog.qty
            dialog.deleteLater()  # one per drink tap: not kept alive under the screen all day
            if not accepted:
                return
            index = self.guarded(self.register.add_item, item_id, choices, qty)
        else:
            index = self.guarded(self.register.add_item, item_id)
        if index is not None:
            self.say("")
            self.refresh(select=index)

    def route_scan(self, code: str) -> None:
        """A scan goes to an open easy-pay dialog (here or over a table's check), else it is
        a product for the order."""
        from ui.scanning import claimant

        taker = claimant()
        if taker is not None:
            taker.take_scan(code)
        elif self.isVisible():
            self.scanned(code)

    def scanned(self, code: str) -> None:
        """A hardware scan (keyboard wedge or serial scanner) on the cashier screen."""
        if not self.ensure_ready():
            return
        index = self.guarded(self.register.scan, code)
        if index is not None:
            self.refresh(select=index)

    def line_action(self, key: str) -> None:
        row = self.table.selected_row()
        if row < 0:
            return
        if key == "delete":
            line = self.register.order.lines[row]
            confirmed = needs_confirmation(line.amount)
            if confirmed and not self.confirm(
                    t("삭제"), f"{line.name} × {line.qty}  {won(line.amount)}\n"
                    + t("이 줄을 삭제할까요?"), t("삭제")):
                return
            self.guarded(self.register.remove_line, row, confirmed)
            self.refresh(select=min(row, len(self.register.order.lines) - 1))
        else:
            self.guarded(self.register.change_qty, row, -1 if key == "minus" else 1)
            self.refresh(select=row)

    def action(self, key: str) -> None:
        if key == "history" and self.register.staff is None and not self.login():
            return  # a logged-out counter shows nobody's sales
        if key in ("held", "history", "calls") or self.ensure_ready():
            getattr(self, f"_do_{key}")()

    def _do_discount(self) -> None:
        """The selected line or the whole order (chosen in the dialog, the line first when
        one is selected); the register refuses what the dialog then shows."""
        row = self.table.selected_row()
        order = self.register.order
        line = order.lines[row] if 0 <= row < len(order.lines) else None
        register = self.register

        def apply(target: str, discount: Any) -> None:
            if target == "line" and line is not None:
                register.discount_line(row, discount)
            else:
                register.discount_order(discount)

        bases = {"order": sum(ln.amount for ln in order.lines)}
        if line is not None:
            bases["line"] = line.gross
        named = None
        if line is not None:  # two lines of one item differ by their options
            options = line.options_text(current_language())
            named = f"{line.name} ({options})" if options else line.name
        dialog = DiscountDialog(self, named, apply, bases)
        dialog.exec()
        dialog.deleteLater()
        self.refresh(select=row)

    def _do_service(self) -> None:
        row = self.table.selected_row()
        if row >= 0:
            self.guarded(self.register.toggle_complimentary, row)
            self.refresh(select=row)

    def _do_hold(self) -> None:
        held = self.guarded(self.register.hold)
        if held is not None:
            self.say(f"{t('보류')}: #{held.receipt_no}")

    def _do_held(self) -> None:
        dialog = HeldDialog(self.context.sales.held(), self)
        if dialog.exec() == HeldDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.guarded(self.register.recall, dialog.chosen)
            self.refresh()

    def _do_void(self) -> None:
        total = self.register.order.total
        confirmed = needs_confirmation(total)
        if confirmed and not self.confirm(t("주문취소"), f"{won(total)} "
                                          + t("주문을 취소할까요?"), t("주문취소")):
            return
        if self.register.order.paid > 0:  # an abandoned 복합결제: its tenders go back first
            self.undo_tenders(confirmed)
            return
        self.guarded(self.register.void, "주문취소", confirmed)
        self.refresh()

    def confirm(self, title: str, text: str, action: str) -> bool:
        """Ask before something costly; True when the cashier confirmed."""
        dialog = ConfirmDialog(self, title, text, action)
        accepted = dialog.exec() == ConfirmDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    def _do_history(self) -> None:
        self.window_.show_screen("history")

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._sync_demo_warning(force=True)  # back from 직원 관리, perhaps with new PINs
        if self.menu.catalog is not self.context.catalog:  # 메뉴 관리 saved a new menu
            self.menu.set_catalog(self.context.catalog)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        for text, key in ACTIONS:
            self.buttons[key].setText(t(text))
        for text, key in PAY_BUTTONS:
            self.buttons[f"pay-{key}"].setText(t(text))
        self.buttons["line-delete"].setText(t("삭제"))
        self.buttons["more"].setText(t("메뉴") + " ▾")
        if "calls" in self.buttons:
            self.buttons["calls"].setText(t("호출"))
        self.order_title.setText(t("주문내역"))
        self.empty_hint.setText(t("메뉴를 눌러 주문을 시작하세요"))
        self.totals.retranslate()
        self.menu.set_catalog(self.context.catalog)
        self.refresh()
        self._sync_demo_warning(force=True)  # its words too, not only whether it shows



def create(context: AppContext, window: Any) -> CashierScreen:
    return CashierScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """A sample order as at lunch rush: options, a discount, a 서비스 line."""
    screen = widget
    assert isinstance(screen, CashierScreen)
    demo_sample_order(screen.context)
    screen.refresh(select=0)
