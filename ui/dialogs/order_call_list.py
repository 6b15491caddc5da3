"""The 호출 list (order_call_list): every 준비 중 number as a big tile; one tap calls it.

A tap marks the number 완료 and tells the 진동벨 transmitter, both on the pager's worker
(``run_op``): the 완료 is saved first, so a transmitter that is off only costs the buzz, and
the dialog says so. Called numbers move to the 완료 row, each with 되돌리기 (a mis-tap).
``changed`` carries each fresh board, so a board window on this PC shows it at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.pickup import PickupBoard, PickupTicket
from ui.dialogs.base import TouchDialog
from ui.i18n import localize, t
from ui.ops import run_op
from ui.widgets.common import button, label

if TYPE_CHECKING:
    from kspos.context import AppContext

REFRESH_MS = 2000  # orders paid at another register appear within two seconds
COLUMNS = 4
LINES_SHOWN = 3


class TicketTile(QPushButton):
    """One 준비 중 order: its number large, its first lines under it."""

    def __init__(self, ticket: PickupTicket, on_tap: Any) -> None:
        super().__init__()
        self.ticket = ticket
        self.setProperty("role", "pickup-tile")
        self.setObjectName(f"pickup-tile-{ticket.number}")
        inner = QVBoxLayout(self)
        inner.setContentsMargins(12, 8, 12, 8)
        inner.setSpacing(2)
        number = label(str(ticket.number), "pickup-number")
        lines = list(ticket.lines[:LINES_SHOWN])
        if len(ticket.lines) > LINES_SHOWN:
            lines.append(t("외 {n}개").replace("{n}", str(len(ticket.lines) - LINES_SHOWN)))
        items = label("\n".join(lines), "pickup-lines")
        for child in (number, items):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addWidget(child)
        inner.addStretch(1)
        self.clicked.connect(lambda: on_tap(self.ticket.number))


class CallListDialog(TouchDialog):
    """The bar's list of numbers to call; :meth:`tap` is what a finger on a tile does."""

    changed = Signal(object)  # a PickupBoard, after every read

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, t("주문번호 호출"))
        self.context = context
        self.setObjectName("CallListDialog")
        self.resize(960, 680)
        self.cancel_button.setText(t("닫기"))
        self.busy: set[int] = set()
        self.tiles: dict[int, TicketTile] = {}
        self.undo_buttons: dict[int, QPushButton] = {}
        self.body.addWidget(label(t("준비 중") + " — " + t("번호를 누르면 완료로 호출합니다"),
                                  "title"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        holder.setObjectName("Sheet")
        self.grid = QGridLayout(holder)
        self.grid.setSpacing(10)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)  # tiles pack from the top
        scroll.setWidget(holder)
        self.body.addWidget(scroll, 1)
        self.body.addWidget(label(t("완료"), "title"))
        self.ready_row = QHBoxLayout()
        self.ready_row.setSpacing(8)
        self.body.addLayout(self.ready_row)
        self.empty = label(t("준비 중인 주문이 없습니다"), "muted")
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh()
        self.timer.start()

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> PickupBoard | None:
        service = self.context.pickup
        if service is None:
            self.show_error(t("주문번호를 쓰지 않는 매장입니다 (order_numbers = \"off\")"))
            return None
        try:
            board = service.board()
        except Exception as exc:  # noqa: BLE001 - the list stays as it was, and says why
            self.show_error(exc)
            return None
        self._show(board)
        self.changed.emit(board)
        return board

    def _show(self, board: PickupBoard) -> None:
        numbers = [tk.number for tk in board.preparing]
        if numbers != list(self.tiles) or any(
                tile.ticket != tk for tile, tk in zip(self.tiles.values(), board.preparing,
                                                      strict=False)):
            self._fill_tiles(board.preparing)
        for number, tile in self.tiles.items():
            tile.setEnabled(number not in self.busy)
        ready = [tk.number for tk in board.ready]
        if ready != list(self.undo_buttons):
            self._fill_ready(board.ready)

    def _fill_tiles(self, tickets: tuple[PickupTicket, ...]) -> None:
        for tile in self.tiles.values():
            tile.setParent(None)
            tile.deleteLater()
        self.tiles = {}
        self.empty.setParent(None)
        if not tickets:
            self.grid.addWidget(self.empty, 0, 0)
        for index, ticket in enumerate(tickets):
            tile = TicketTile(ticket, self.tap)
            self.tiles[ticket.number] = tile
            self.grid.addWidget(tile, index // COLUMNS, index % COLUMNS)

    def _fill_ready(self, tickets: tuple[PickupTicket, ...]) -> None:
        while self.ready_row.count():
            item = self.ready_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.undo_buttons = {}
        for ticket in tickets[:6]:
            number = label(str(ticket.number), "pickup-ready")
            undo = button(t("되돌리기"), "", lambda n=ticket.number: self.undo(n),
                          name=f"pickup-undo-{ticket.number}")
            self.undo_buttons[ticket.number] = undo
            self.ready_row.addWidget(number)
            self.ready_row.addWidget(undo)
        self.ready_row.addStretch(1)

    # --- taps -------------------------------------------------------------------------------

    def _staff_id(self) -> int | None:
        staff = self.context.register.staff
        return staff.id if staff is not None else None

    def tap(self, number: int) -> None:
        """준비 중 → 완료 and the pager called, off the GUI thread."""
        service = self.context.pickup
        if service is None or number in self.busy:
            return
        self.busy.add(number)
        if number in self.tiles:
            self.tiles[number].setEnabled(False)
        staff_id = self._staff_id()
        run_op(self, lambda: service.complete(number, staff_id),
               on_success=lambda result: self._called(number, result),
               on_error=lambda exc: self._failed(number, exc), device="pager")

    def _called(self, number: int, result: tuple[PickupTicket, str | None]) -> None:
        self.busy.discard(number)
        _ticket, pager_error = result
        if pager_error:
            self.show_error(t("완료로 바꿨지만 진동벨을 울리지 못했습니다") + ": "
                            + localize(pager_error))
        else:
            self.show_message(t("{n}번 호출").replace("{n}", str(number)), ok=True)
        self.refresh()

    def _failed(self, number: int, exc: BaseException) -> None:
        self.busy.discard(number)
        self.show_error(exc)
        self.refresh()

    def undo(self, number: int) -> None:
        """완료 → 준비 중 (a mis-tap); the pager is not told anything."""
        service = self.context.pickup
        if service is None:
            return
        staff_id = self._staff_id()
        run_op(self, lambda: service.undo_ready(number, staff_id),
               on_success=lambda _ticket: self._undone(), on_error=self._failed_undo)

    def _undone(self) -> None:
        self.show_message("")
        self.refresh()

    def _failed_undo(self, exc: BaseException) -> None:
        self.show_error(exc)
        self.refresh()

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)


__all__ = ["CallListDialog", "TicketTile"]
