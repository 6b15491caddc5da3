"""PIN pad, discount entry, held-order list, day opening, a plain message."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.orders import Discount, OrderError
from kspos.sales.staff import AuthError, PinLocked, StaffDirectory, StaffMember
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t, won
from ui.widgets.common import Keypad, button, label

if TYPE_CHECKING:
    from kspos.sales.service import OrderSummary


class PinDialog(TouchDialog):
    """Digits shown as dots; ``pin`` after accept.

    With ``check`` (a login), 확인 runs it and the pad stays up on a wrong PIN; while this
    terminal's PIN entry is locked (:class:`PinLocked`) it counts down the seconds left and
    accepts no PIN. ``member`` is what ``check`` returned."""

    def __init__(self, parent: QWidget | None = None, title: str = "",
                 check: Callable[[str], StaffMember] | None = None, wait_s: int = 0) -> None:
        super().__init__(parent, title or t("PIN을 입력하세요"))
        self.setObjectName("PinDialog")
        self.pin = ""
        self.check = check
        self.member: StaffMember | None = None
        self.dots = label("", "big-amount", name="pin-dots")
        self.body.addWidget(self.dots)
        self.keypad = Keypad(max_digits=8, digits_only=True)
        self.keypad.changed.connect(self._typed)
        self.body.addWidget(self.keypad)
        self.ok = self.add_ok(t("확인"), self._confirm, name="pin-ok")
        self.setMinimumSize(420, 520)
        self._unlock_at = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        if wait_s > 0:
            self.lock_for(wait_s)

    def _typed(self, text: str) -> None:
        self.pin = text
        self.dots.setText("●" * len(text))

    def press_digits(self, digits: str) -> None:
        for d in digits:
            self.keypad.press(d)

    def _confirm(self) -> None:
        if self.check is None:
            self.accept()
            return
        try:
            self.member = self.check(self.pin)
        except PinLocked as exc:
            self.lock_for(exc.seconds)
            return
        except AuthError as exc:
            self.show_error(exc)
            self.keypad.set_text("")
            return
        self.accept()

    def lock_for(self, seconds: int) -> None:
        """No PIN for ``seconds``: 확인 greyed, the wait shown and counted down."""
        self._unlock_at = time.monotonic() + seconds
        self.keypad.set_text("")
        self.ok.setEnabled(False)
        self._countdown.start()
        self._tick()

    def _tick(self) -> None:
        left = math.ceil(self._unlock_at - time.monotonic())
        if left > 0:
            self.show_error(PinLocked(left))
            return
        self._countdown.stop()
        self.ok.setEnabled(True)
        self.show_error("")


class DiscountDialog(TouchDialog):
    """Amount (원) or percent off the selected line or the whole order: which one is an
    explicit choice at the top, the line named. ``apply(target, discount)`` ("line" or
    "order"; None removes) is the register's action: a discount it refuses (more than the
    line or the order) is shown here and the dialog stays open."""

    def __init__(self, parent: QWidget | None, line_name: str | None,
                 apply: Callable[[str, Discount | None], None],
                 bases: dict[str, int] | None = None) -> None:
        super().__init__(parent, t("할인"))
        self.setObjectName("DiscountDialog")
        self.apply = apply
        self.bases = bases or {}
        self.discount: Discount | None = None
        self.target = QButtonGroup(self)
        targets = QVBoxLayout()
        targets.setSpacing(6)
        for target_id, (key, text) in enumerate((
                ("line", f"{t('품목 할인')}: {line_name}" if line_name else t("품목 할인")),
                ("order", f"{t('주문 할인')} ({t('주문 전체')})"))):
            b = button(text, "choice", name=f"discount-target-{key}")
            b.setCheckable(True)
            self.target.addButton(b, target_id)
            targets.addWidget(b)
        line_choice = self.target.button(0)
        line_choice.setEnabled(line_name is not None)
        self.target.button(0 if line_name is not None else 1).setChecked(True)
        self.body.addLayout(targets)
        kinds = QHBoxLayout()
        self.kind = QButtonGroup(self)
        for kind_id, text in enumerate(("금액 할인", "비율 할인")):
            b = button(t(text), "choice", name=f"discount-kind-{kind_id}")
            b.setCheckable(True)
            self.kind.addButton(b, kind_id)
            kinds.addWidget(b)
        self.kind.button(0).setChecked(True)
        self.body.addLayout(kinds)
        self.value = label("0원", "big-amount", name="discount-value")
        self.body.addWidget(self.value)
        self.base = label("", "muted", name="discount-base")
        self.body.addWidget(self.base)
        self.keypad: Keypad = Keypad(max_digits=9)
        self.kind.idClicked.connect(lambda _id: self._typed(self.keypad.text))
        self.target.idClicked.connect(lambda _id: self._typed(self.keypad.text))
        self.keypad.changed.connect(self._typed)
        self.body.addWidget(self.keypad)
        remove = button(t("할인") + " " + t("삭제"), "danger", self._remove, name="discount-remove")
        self.buttons.addWidget(remove)
        self.add_ok(t("확인"), self._confirm, name="discount-ok")
        self.setMinimumSize(480, 720)  # room for a refusal under the keypad (768 px screens)
        self._typed("")

    def chosen_target(self) -> str:
        return "line" if self.target.checkedId() == 0 else "order"

    def _typed(self, text: str) -> None:
        value = int(text or 0)
        self.value.setText(f"{value:,}%" if self.kind.checkedId() == 1 else won(value))
        base = self.bases.get(self.chosen_target())
        self.base.setText(f"{t('할인 전 금액')} {won(base)}" if base is not None else "")
        self.show_error("")

    def _remove(self) -> None:
        self._apply(None)

    def _confirm(self) -> None:
        try:
            kind = "percent" if self.kind.checkedId() == 1 else "amount"
            discount = Discount(kind, self.keypad.value())
        except OrderError as exc:
            self.show_error(exc)
            return
        self._apply(discount)

    def _apply(self, discount: Discount | None) -> None:
        try:
            self.apply(self.chosen_target(), discount)
        except (OrderError, AuthError) as exc:
            self.show_error(exc)
            return
        self.discount = discount
        self.accept()


class HeldDialog(TouchDialog):
    """보류목록: pick a held order to recall."""

    def __init__(self, held: list[OrderSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent, t("보류목록"))
        self.setObjectName("HeldDialog")
        self.chosen: int | None = None
        self.list = QListWidget()
        self.list.setProperty("touch", True)  # rows a finger can pick (theme: 48 px)
        for summary in held:
            others = summary.line_count - 1
            more = "" if others < 1 else (f" 외 {others}건" if current_language() != "en"
                                          else f" +{others}")
            table = f"  [{t('테이블')} {summary.table_no}]" if summary.table_no else ""
            item = QListWidgetItem(f"{summary.receipt_no}  {summary.created_at:%H:%M}  "
                                   f"{summary.first_line}{more}{table}   {won(summary.total)}")
            item.setData(256, summary.id)
            self.list.addItem(item)
        if not held:
            self.body.addWidget(label(t("보류된 주문이 없습니다"), "muted"))
        self.list.setMinimumHeight(300)
        self.body.addWidget(self.list)
        self.add_ok(t("불러오기"), self._recall, name="held-recall")
        self.setMinimumWidth(560)

    def _recall(self) -> None:
        item = self.list.currentItem()
        if item is None and self.list.count():
            item = self.list.item(0)
        if item is None:
            self.reject()
            return
        self.chosen = int(item.data(256))
        self.accept()


class ConfirmDialog(TouchDialog):
    """A question before something costly (주문취소, 삭제 of a big line): the words on the
    red button say what happens; 돌아가기 changes nothing."""

    def __init__(self, parent: QWidget | None, title: str, text: str, action: str) -> None:
        super().__init__(parent, title)
        self.setObjectName("ConfirmDialog")
        message = label(text, "", name="confirm-text")
        message.setWordWrap(True)
        self.body.addWidget(message)
        self.cancel_button.setText(t("돌아가기"))
        ok = self.add_ok(action, self.accept, name="confirm-ok")
        ok.setProperty("role", "danger")
        self.setMinimumWidth(460)


class AmountDialog(TouchDialog):
    """A single amount on a keypad (시재금, split amount)."""

    def __init__(self, parent: QWidget | None, title: str, initial: int = 0) -> None:
        super().__init__(parent, title)
        self.setObjectName("AmountDialog")
        self.value_label = label(won(initial), "big-amount", name="amount-value")
        self.body.addWidget(self.value_label)
        self.keypad = Keypad(max_digits=9)
        self.keypad.changed.connect(lambda text: self.value_label.setText(
            won(int(text or 0))))
        self.keypad.set_text(str(initial) if initial else "")
        self.body.addWidget(self.keypad)
        self.add_ok(t("확인"), self.accept, name="amount-ok")
        self.setMinimumSize(420, 520)

    def value(self) -> int:
        return self.keypad.value()


def ask_for_pin(parent: QWidget, staff: StaffDirectory, action: str,
                say: Callable[[str], None], title: str = "") -> StaffMember | None:
    """Ask for a PIN that may do ``action`` (an owner's, a technician's); None when the
    cashier gave up or the PIN was not allowed (``say`` tells why). A wrong PIN is said on
    the pad, which stays up (and counts down while entry is locked)."""
    dialog = PinDialog(parent, title or t("관리자 권한 필요"), check=staff.login,
                       wait_s=staff.locked_for())
    accepted = dialog.exec() == PinDialog.DialogCode.Accepted
    member = dialog.member
    dialog.deleteLater()
    if not accepted or member is None:
        return None
    if not member.may(action):
        say(t("관리자 권한 필요"))
        return None
    return member
