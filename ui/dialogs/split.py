"""복합결제: the remaining amount on top, each tender as a row as it completes, an amount on
the keypad (the rest by default) and a tender button to take it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QVBoxLayout, QWidget

from kspos.sales.payments import METHOD_WORDS
from ui.dialogs.base import TouchDialog
from ui.i18n import t, won
from ui.widgets.common import Keypad, button, label

if TYPE_CHECKING:
    from kspos.context import AppContext


class SplitDialog(TouchDialog):
    """``take(method, amount)`` is the cashier screen's: it opens that tender's dialog."""

    def __init__(self, context: AppContext, take: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, t("복합결제"))
        self.setObjectName("SplitDialog")
        self.context, self.take = context, take
        self.order = context.register.order
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(label(t("남은 금액"), "muted"))
        self.remaining = label("", "big-amount", name="split-remaining",
                               align=Qt.AlignmentFlag.AlignRight)
        left.addWidget(self.remaining)
        self.rows = QListWidget()
        self.rows.setObjectName("split-rows")
        left.addWidget(self.rows, 1)
        left.addWidget(label(t("금액"), "muted"))
        self.amount = label("", "big-amount", name="split-amount",
                            align=Qt.AlignmentFlag.AlignRight)
        left.addWidget(self.amount)
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        self.keypad = Keypad(max_digits=9)
        self.keypad.changed.connect(lambda _t: self._show_amount())
        right.addWidget(self.keypad, 1)
        for key, text in (("cash", "현금"), ("card", "카드"), ("easypay", "간편결제")):
            b = button(t(text), "pay", lambda k=key: self._take(k), name=f"split-{key}")
            right.addWidget(b)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.cancel_button.setText(t("닫기"))
        self.setMinimumSize(820, 620)
        self.refresh()

    def due(self) -> int:
        return self.context.register.sales.remaining(self.order) if self.order.id \
            else self.order.total

    def refresh(self) -> None:
        if self.order.state.value == "paid":
            self.accept()
            return
        due = self.due()
        self.remaining.setText(won(due))
        self.rows.clear()
        if self.order.id is not None:
            for p in self.context.sales.payments(self.order.id):
                self.rows.addItem(f"✓ {t(METHOD_WORDS[p.method])}  {won(p.amount)}")
        self.keypad.set_text("")
        self._show_amount()

    def _chosen(self) -> int:
        return self.keypad.value() or self.due()

    def _show_amount(self) -> None:
        self.amount.setText(won(self._chosen()))

    def _take(self, method: str) -> None:
        amount = self._chosen()
        if amount > self.due():
            self.show_error(f"{t('남은 금액')} {won(self.due())}")
            return
        self.show_error("")
        self.take(method, amount)
        self.refresh()
