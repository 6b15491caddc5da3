"""현금영수증 identity: a phone, cash-receipt card or business number on a keypad, the purpose
(소득공제 / 지출증빙), or 자진발급 when the customer gives none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QWidget

from kspos.devices.cards import mask_identity
from kspos.sales.payments import SELF_ISSUED_ID, CashReceiptRequest, identity_problem
from ui.dialogs.base import TouchDialog
from ui.i18n import t
from ui.widgets.common import Keypad, button, label

if TYPE_CHECKING:
    from kspos.sales.customer_view import CustomerFeed, CustomerView


class CashReceiptDialog(TouchDialog):
    """``expect`` (a refund): the masked number of the receipt being cancelled; the number
    typed must show the same digits, and 번호 변경 asks for another number afterwards.

    ``feed``: with a touch customer display the customer types the number there; the cashier
    sees it masked as it is typed, and their own keypad takes over at any time."""

    customer_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, self_issued: bool = False,
                 expect: str | None = None, feed: CustomerFeed | None = None) -> None:
        super().__init__(parent, t("현금영수증"))
        self.setObjectName("CashReceiptDialog")
        self.request: CashReceiptRequest | None = None
        self.expect = expect
        purposes = QHBoxLayout()
        self.purpose = QButtonGroup(self)
        for n, (key, text) in enumerate((("deduction", "소득공제"), ("expense", "지출증빙"))):
            b = button(t(text), "choice", name=f"purpose-{key}")
            b.setCheckable(True)
            b.setProperty("purpose", key)
            self.purpose.addButton(b, n)
            purposes.addWidget(b)
        self.purpose.button(0).setChecked(True)
        self.body.addLayout(purposes)
        self.body.addWidget(label(t("휴대폰 번호 · 현금영수증 카드 · 사업자등록번호"), "muted"))
        self.shown = label("", "big-amount", name="receipt-identity")
        self.shown.setMinimumHeight(56)
        self.body.addWidget(self.shown)
        self.keypad = Keypad(max_digits=19, digits_only=True)
        self.keypad.changed.connect(self._cashier_typed)
        self.body.addWidget(self.keypad)
        self.change_number = None
        if expect is None:
            self.buttons.addWidget(button(t("자진발급"), "", self._self_issued,
                                          name="receipt-self-issued"))
        else:  # the customer may want the receipt for what they keep on another number
            self.change_number = button(t("번호 변경"), "choice", name="receipt-change-number")
            self.change_number.setCheckable(True)
            self.buttons.addWidget(self.change_number)
        self.add_ok(t("확인"), self._confirm, name="receipt-ok")
        if self_issued:
            self.shown.setText(f"{t('자진발급')} {mask_identity(SELF_ISSUED_ID)}")
        self.setMinimumSize(480, 640)
        self.feed = feed
        self._unsubscribe: Any = None
        if feed is not None and expect is None and feed.ask_cash_receipt(self._customer_answered):
            self.customer_changed.connect(self._customer_view)
            self._unsubscribe = feed.subscribe(self.customer_changed.emit)
            self.shown.setText(t("고객 화면에서 입력 중..."))

    # --- the customer's display ---------------------------------------------------------------

    def _customer_view(self, view: CustomerView) -> None:
        if self._unsubscribe is not None and view.typed_mask:
            self.shown.setText(f"{t('고객 입력')} {view.typed_mask}")

    def _customer_answered(self, request: CashReceiptRequest) -> None:
        self.request = request
        self._let_go()
        self.accept()

    def _cashier_typed(self, text: str) -> None:
        if self._unsubscribe is not None:  # the cashier takes over from the customer
            self._let_go()
        self.shown.setText(text)

    def _let_go(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
            if self.feed is not None:
                self.feed.take_over()

    def done(self, code: int) -> None:
        self._let_go()
        super().done(code)

    def _purpose(self) -> str:
        checked = self.purpose.checkedButton()
        return str(checked.property("purpose")) if checked is not None else "deduction"

    def _self_issued(self) -> None:
        self.request = CashReceiptRequest(SELF_ISSUED_ID, "deduction", self_issued=True)
        self.accept()

    def _confirm(self) -> None:
        digits = self.keypad.text
        problem = identity_problem(digits)
        if not problem and self.expect and mask_identity(digits) != self.expect:
            problem = f"{t('원래 번호')} {self.expect}{t('와 다릅니다')}"
        if problem:
            self.show_error(t(problem))
            return
        self.request = CashReceiptRequest(digits, self._purpose())
        self.accept()

    @property
    def wants_new_number(self) -> bool:
        """번호 변경 was chosen (a refund: the receipt for the rest goes to another number)."""
        return self.change_number is not None and self.change_number.isChecked()
