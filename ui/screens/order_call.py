"""The pickup board window (`kspos shot order-call`): 준비 중 and 완료 numbers for the
customers, refreshed every second or two, with a chime when a number turns 완료.

:class:`OrderBoardWindow` is a plain QWidget: the lead opens it as a top-level window on a
chosen screen (a TV by the pickup counter), and the screen factory shows it as a screen.
Each refresh is two quick plain reads (kspos/sales/pickup.py ``board()``), so it runs on the
GUI thread; a store error leaves the last board up and says so in the footer.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kspos.sales.pickup import PickupBoard
from ui.chime import Chime
from ui.i18n import t
from ui.widgets.common import label
from ui.widgets.pickup_board import PickupBoardView

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)
REFRESH_MS = 1500  # a number tapped 완료 at the bar shows (and chimes) within 1.5 s


class OrderBoardWindow(QWidget):
    """The board in its own window: the store's name, the two columns, a status line."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("Screen")
        self.setWindowTitle(t("주문번호 호출") + f" — {context.settings.store.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.view = PickupBoardView(self)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(16, 4, 16, 4)
        self.store_label = label(context.settings.store.name, "status")
        self.status = label("", "status", name="board-status")
        footer.addWidget(self.store_label)
        footer.addStretch(1)
        footer.addWidget(self.status)
        layout.addLayout(footer)
        self.chime = Chime(self)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh()
        self.timer.start()

    def refresh(self) -> list[int]:
        """Read the board and show it; chime for numbers just called. Returns those."""
        service = self.context.pickup
        if service is None:
            self.status.setText(t("주문번호를 쓰지 않는 매장입니다 (order_numbers = \"off\")"))
            return []
        try:
            board = service.board()
        except Exception as exc:  # noqa: BLE001 - the board stays up with its last numbers
            log.warning("pickup board not read: %s", exc)
            self.status.setText(t("주문번호를 읽지 못했습니다"))
            return []
        self.status.setText("")
        new = self.view.show_board(board)
        if new:
            self.chime.play()
        return new

    def show_board(self, board: PickupBoard) -> list[int]:
        """Show a board read elsewhere (the call list after a tap): no wait for the timer."""
        new = self.view.show_board(board)
        if new:
            self.chime.play()
        return new

    def stop_background(self) -> None:
        self.timer.stop()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.stop_background()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(t("주문번호 호출") + f" — {self.context.settings.store.name}")
            self.view.update()
        super().changeEvent(event)


def create(context: AppContext, window: Any) -> OrderBoardWindow:
    return OrderBoardWindow(context)


# --- what `kspos shot order-call` shows in demo mode ------------------------------------------


def sample_pickup(context: AppContext, orders: int = 9, ready: int = 4) -> None:
    """A busy moment at a cafe: ``orders`` takeout orders paid, the first ``ready`` called
    (the last of them just now). Only on a board that is empty."""
    from kspos.sales.staff import Role

    service = context.pickup
    if service is None or service.board().preparing or service.board().ready:
        return
    register = context.register
    if register.staff is None:
        register.staff = context.staff.first(Role.CASHIER)
    if context.current_day() is None:
        context.sales.days.open(register.staff, 100_000)
    items = [i for i in context.catalog.by_id.values() if not i.sold_out]
    if not items:  # a configured store with no menu yet: the board stays empty
        return
    for n in range(orders):
        for k in range(1 + n % 3):
            item = items[(n * 3 + k) % len(items)]
            choices = [g.choices[0].id for g in item.groups if g.required and g.choices]
            register.add_item(item.id, choices, qty=1 + (n + k) % 2)
        register.pay_cash(register.remaining())
    numbers = [tk.number for tk in service.board().preparing][:ready]
    now = datetime.now()
    for age, number in zip(range(len(numbers), 0, -1), numbers, strict=True):
        service.clock = lambda at=now - timedelta(seconds=age * 20 - 20): at
        service.mark_ready(number)
    service.clock = datetime.now


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    assert isinstance(widget, OrderBoardWindow)
    sample_pickup(widget.context)
    widget.view.reset()  # as the window opening on this board: only the newest call stands out
    widget.refresh()


__all__ = ["OrderBoardWindow", "create", "prepare_for_shot", "sample_pickup"]
