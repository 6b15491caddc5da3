"""A table's check (`check`): the menu grid left, the check right (rounds under their headers,
sent lines locked, the draft round editable), the total and what is still due always visible.

Every change goes through the check service (``context.checks``, kspos/sales/checks.py): the
draft lines are added to ``check.order`` and sent as a round with 주문 전송; from then on the
check is saved. A refusal from the core is said above the check, never a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kspos.messages import DomainError
from ui.dialogs.options import OptionsDialog
from ui.i18n import Shown, current_language, t, won
from ui.screens.check_actions import CheckActions
from ui.screens.tables import checks_of, staff_for
from ui.widgets.check_view import CheckTable, round_headers
from ui.widgets.common import button, label, message_label, restyle
from ui.widgets.kitchen_banner import KitchenBanner
from ui.widgets.menu_grid import MenuGrid

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.sales.checks import Check
    from kspos.sales.floor import Zone

log = logging.getLogger(__name__)
# (word, key, role): the actions under the menu grid
ACTIONS = (("한 번 더", "repeat", ""), ("인원", "guests", ""), ("메모", "memo", ""),
           ("중간 계산서", "prebill", ""), ("테이블 이동", "move", ""), ("합석", "merge", ""),
           ("분할 계산", "split", ""), ("주문 취소", "cancel", "danger"))


class CheckScreen(CheckActions, QWidget):
    retranslates: ClassVar[bool] = True

    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context, self.window_ = context, window
        self.check: Check | None = None
        self.round_memo = ""
        self.zones: tuple[Zone, ...] = ()  # the floor's zones as read when the table opened
        self.buttons: dict[str, Any] = {}
        self._build()
        self.kitchen_watch = QTimer(self)  # a kitchen printer may fail while the server orders
        self.kitchen_watch.setInterval(5000)
        self.kitchen_watch.timeout.connect(self.kitchen.poll)

    @property
    def service(self) -> Any:
        return checks_of(self.context)

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        self.kitchen = KitchenBanner(self.context, self.say)
        root.addWidget(self.kitchen)
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
        for n, (text, key, role) in enumerate(ACTIONS):
            b = button(t(text), role, lambda k=key: self.action(k), name=f"check-{key}")
            b.setMinimumHeight(64)
            self.buttons[key] = b
            self.action_grid.addWidget(b, n // 4, n % 4)
        left.addLayout(self.action_grid)
        body.addLayout(left, 2)
        body.addWidget(self._check_panel(), 1)

    def _check_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        panel.setMinimumWidth(360)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 8, 0, 8)
        col.setSpacing(6)
        head = QHBoxLayout()
        head.setContentsMargins(8, 0, 12, 0)
        back = button("◀ " + t("테이블로"), "", self.back, name="check-back")
        back.setMinimumHeight(56)
        self.buttons["back"] = back
        head.addWidget(back)
        self.title = label("", "title", name="check-title")
        head.addWidget(self.title, 1)
        self.guests_label = label("", "stat", name="check-guests")
        head.addWidget(self.guests_label)
        col.addLayout(head)
        self.message = message_label("error", name="check-message")
        self.message.setContentsMargins(12, 0, 12, 0)
        self.message.setWordWrap(True)
        self.message.hide()
        col.addWidget(self.message)
        self.lines = CheckTable()
        self.lines.itemSelectionChanged.connect(self._sync_buttons)
        col.addWidget(self.lines, 1)
        line_bar = QHBoxLayout()
        line_bar.setContentsMargins(8, 0, 8, 0)
        line_bar.setSpacing(6)
        for text, key in (("−", "minus"), ("+", "plus"), ("삭제", "delete")):
            b = button(t(text), "danger" if key == "delete" else "",
                       lambda k=key: self.line_action(k), name=f"line-{key}")
            self.buttons[f"line-{key}"] = b
            line_bar.addWidget(b)
        col.addLayout(line_bar)
        self.round_memo_label = label("", "caption", name="check-round-memo")
        self.round_memo_label.setContentsMargins(12, 0, 12, 0)
        col.addWidget(self.round_memo_label)
        totals = QGridLayout()
        totals.setContentsMargins(12, 4, 12, 4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.total_caption = label(t("합계"), "total-caption")
        self.total = label("", "total", name="check-total", align=right)
        self.due_caption = label(t("남은 금액"), "muted")
        self.due = label("", "due", name="check-due", align=right)
        totals.addWidget(self.total_caption, 0, 0)
        totals.addWidget(self.total, 0, 1)
        totals.addWidget(self.due_caption, 1, 0)
        totals.addWidget(self.due, 1, 1)
        col.addLayout(totals)
        pay_row = QHBoxLayout()
        pay_row.setContentsMargins(8, 0, 8, 0)
        pay_row.setSpacing(8)
        send = button(t("주문 전송"), "pay", self.send, name="check-send")
        pay = button(t("결제"), "pay", self.pay_all, name="check-pay")
        self.buttons["send"], self.buttons["pay"] = send, pay
        pay_row.addWidget(send, 3)
        pay_row.addWidget(pay, 2)
        col.addLayout(pay_row)
        return panel

    # --- state → widgets ----------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        check = self.check
        if check is None:
            return
        order = check.order
        zone_name = self.zone_label(check.place.zone_id) or check.zone
        zone = f"{zone_name} · " if zone_name else ""
        self.title.setText(f"{zone}{t('테이블')} {check.place.name}")
        self.guests_label.setText(t("{n}명").replace("{n}", str(order.guests))
                                  if order.guests else "")
        self.lines.show_check(order, round_headers(check), select)
        self.total.setText(won(order.total))
        self.due.setText(won(max(0, check.due)))
        # red once some of it is paid: what is left is then what the cashier must not miss
        role = "due" if check.kept > 0 else "stat"
        if self.due.property("role") != role:
            restyle(self.due, role)
        memo = self.round_memo
        self.round_memo_label.setText(f"✎ {t('이번 주문 메모')}: {memo}" if memo else "")
        self.round_memo_label.setVisible(bool(memo))
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        check = self.check
        if check is None:
            return
        index = self.lines.selected_line()
        line = check.order.lines[index] if 0 <= index < len(check.order.lines) else None
        draft = line is not None and not line.round_no
        for key in ("line-minus", "line-plus", "line-delete"):
            self.buttons[key].setEnabled(draft)
        self.buttons["cancel"].setEnabled(line is not None and bool(line.round_no))
        self.buttons["send"].setEnabled(bool(check.draft_lines))
        for key in ("prebill", "move", "merge", "split", "pay"):
            self.buttons[key].setEnabled(check.sent and not check.draft_lines
                                         if key in ("split", "pay") else check.sent)
        self.buttons["repeat"].setEnabled(bool(check.rounds))
        send_text = t("주문 전송")
        if check.draft_lines:
            send_text += f" ({sum(ln.qty for ln in check.draft_lines)})"
        self.buttons["send"].setText(send_text)

    def say(self, text: Shown, ok: bool = False) -> None:
        self.message.say(text, ok)
        self.message.setVisible(bool(text))
        if text:
            QTimer.singleShot(6000, self, lambda: self.say("") if self.message.text()
                              == str(text) else None)

    def guarded(self, action: Any, *args: Any) -> Any:
        """A service call; a refusal is said and changes nothing on the screen."""
        try:
            return action(*args)
        except DomainError as exc:
            if exc.code == "check.changed_elsewhere" and self.check is not None:
                # another terminal changed this check: show it as it is now (drafts kept)
                fresh = self._fresh(self.check)
                if fresh is not None:
                    self.check = fresh
                    self.refresh()
            self.say(exc)
            return None

    def _fresh(self, check: Check) -> Check | None:
        try:
            fresh: Check = self.service.refresh(check)
            return fresh
        except DomainError:
            return None

    # --- opening ------------------------------------------------------------------------------

    def open_table(self, table_id: int) -> bool:
        """Show ``table_id``'s check (a new one, not saved yet, on an empty table: the guests
        asked first). False when it could not be opened (the reason is said)."""
        service = self.service
        staff = self.context.register.staff
        if service is None or staff is None:
            return False
        check = self.guarded(service.open_check, table_id, staff)
        if check is None:
            return False
        self.check, self.round_memo = check, ""
        view = self.guarded(service.floor)
        self.zones = view.zones if view is not None else ()
        self.say("")
        self.refresh()
        if not check.sent:
            self.ask_guests()
        return True

    def zone_label(self, zone_id: int) -> str:
        """The zone's name in the screen's language (no database read: a language switch
        reaches hidden screens too)."""
        zone = next((z for z in self.zones if z.id == zone_id), None)
        return zone.label(current_language()) if zone is not None else ""

    def back(self) -> None:
        """테이블로: a draft not sent is kept on this screen only if the server comes back to
        the same table; warn before leaving it."""
        check = self.check
        if check is not None and check.draft_lines and not self.confirm(
                t("테이블로"), t("보내지 않은 주문이 있습니다. 버리고 나갈까요?"), t("버리기")):
            return
        self.check = None
        self.window_.show_screen("tables")

    # --- the draft round ----------------------------------------------------------------------

    def tap_item(self, item_id: int) -> None:
        check = self.check
        if check is None or staff_for(self, self.context) is None:
            return
        item = self.context.catalog.by_id.get(item_id)
        if item is None:
            return
        choices: list[int] = []
        qty = 1
        if item.groups:
            dialog = OptionsDialog(item, self)
            accepted = dialog.exec() == OptionsDialog.DialogCode.Accepted
            choices, qty = dialog.choices(), dialog.qty
            dialog.deleteLater()
            if not accepted:
                return
        if item.sold_out:
            self.say(t("품절"))
            return
        line = self.context.register.line_for(item, choices, qty)
        index = self.guarded(check.order.add, line)
        if index is not None:
            self.refresh(select=index)

    def line_action(self, key: str) -> None:
        check = self.check
        index = self.lines.selected_line()
        if check is None or index < 0:
            return
        if key == "delete":
            self.guarded(check.order.remove, index)
            self.refresh(select=min(index, len(check.order.lines) - 1))
        else:
            self.guarded(check.order.change_qty, index, -1 if key == "minus" else 1)
            self.refresh(select=index)

    def set_line_memo(self, index: int, memo: str) -> None:
        check = self.check
        if check is None:
            return
        line = check.order.lines[index]
        if line.round_no:
            self.say(t("보낸 메뉴의 메모는 바꿀 수 없습니다"))
            return
        check.order.lines[index] = replace(line, note=memo)
        self.refresh(select=index)

    def send(self) -> None:
        """주문 전송: the draft lines go to the kitchen as the next round (saved)."""
        check, staff = self.check, staff_for(self, self.context)
        if check is None or staff is None:
            return
        sent = self.guarded(self.service.send_round, check, staff, self.round_memo)
        if sent is not None:
            self.check, self.round_memo = sent, ""
            self.refresh()
            self.say(t("{n}차 주문을 주방에 보냈습니다").replace("{n}", str(sent.rounds[-1].no)),
                     ok=True)
            self.kitchen.poll()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.menu.catalog is not self.context.catalog:
            self.menu.set_catalog(self.context.catalog)
        if self.check is not None and self.check.sent:  # back on the screen: as it is now
            fresh = self._fresh(self.check)
            if fresh is not None:
                self.check = fresh
                self.refresh(select=self.lines.selected_line())
        self.kitchen.poll()
        self.kitchen_watch.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.kitchen_watch.stop()

    def stop_background(self) -> None:
        self.kitchen_watch.stop()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        for text, key, _role in ACTIONS:
            self.buttons[key].setText(t(text))
        self.buttons["back"].setText("◀ " + t("테이블로"))
        self.buttons["pay"].setText(t("결제"))
        self.buttons["line-delete"].setText(t("삭제"))
        self.total_caption.setText(t("합계"))
        self.due_caption.setText(t("남은 금액"))
        self.menu.set_catalog(self.context.catalog)
        self.refresh()


def create(context: AppContext, window: Any) -> CheckScreen:
    return CheckScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """Table 3 in the middle of dinner: two rounds sent, a third being taken."""
    from ui.screens.restaurant_samples import sample_check

    assert isinstance(widget, CheckScreen)
    sample_check(widget)
