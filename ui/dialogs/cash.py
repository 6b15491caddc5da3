"""현금 결제: amount due large, tendered by keypad and quick buttons, change large in green."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kspos.devices.cards import mask_identity
from kspos.sales.payments import (
    MAX_CHANGE_KRW,
    SELF_ISSUED_ID,
    CashReceiptRequest,
    PaymentError,
    check_cash_received,
)
from kspos.sales.register import CASH_RECEIPT_OFFER_KRW
from ui.dialogs.base import TouchDialog
from ui.i18n import t, won
from ui.widgets.common import Keypad, button, label

if TYPE_CHECKING:
    from kspos.sales.customer_view import CustomerFeed

QUICK = (("딱맞게", 0), ("1만원", 10_000), ("5만원", 50_000), ("10만원", 100_000))


class CashDialog(TouchDialog):
    """``tendered`` is what the customer handed over; accepted only when it was typed (or
    딱맞게), covers ``due`` and leaves at most 1,000,000원 change (kspos.sales.payments)."""

    def __init__(self, due: int, parent: QWidget | None = None, title: str = "",
                 receipts: bool = False, receipt: CashReceiptRequest | None = None,
                 required: bool = False, feed: CustomerFeed | None = None) -> None:
        super().__init__(parent, title or t("현금 결제"))
        self.setObjectName("CashDialog")
        self.due = due
        self.tendered = 0
        self.feed = feed  # the customer display: the change shows there too
        # 현금영수증: offered when the VAN is there; self-issued by default from 100,000원. In a
        # listed industry ([store] cash_receipt_required) it cannot be turned off from there.
        if receipt is None and receipts and due >= CASH_RECEIPT_OFFER_KRW:
            receipt = CashReceiptRequest(SELF_ISSUED_ID, "deduction", self_issued=True)
        self.receipt = receipt
        self.required = required and receipts and due >= CASH_RECEIPT_OFFER_KRW
        columns = QHBoxLayout()
        columns.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(6)
        right_align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left.addWidget(label(t("받을 금액"), "muted"))
        self.due_label = label(won(due), "big-amount", name="cash-due", align=right_align)
        left.addWidget(self.due_label)
        left.addWidget(label(t("받은 금액"), "muted"))
        self.tendered_label = label("0원", "big-amount", name="cash-tendered",
                                    align=right_align)
        left.addWidget(self.tendered_label)
        left.addWidget(label(t("거스름돈"), "muted"))
        self.change_label = label("0원", "change", name="cash-change", align=right_align)
        left.addWidget(self.change_label)
        left.addStretch(1)
        quick = QGridLayout()
        quick.setSpacing(8)
        for n, (text, amount) in enumerate(QUICK):
            b = button(t(text), "", lambda a=amount: self.quick(a), name=f"quick-{amount}")
            b.setMinimumHeight(64)
            quick.addWidget(b, n // 2, n % 2)
        left.addLayout(quick)
        if receipts:
            self.receipt_button = button("", "choice", self._edit_receipt, name="cash-receipt")
            self.receipt_button.setCheckable(True)
            self.receipt_button.setMinimumHeight(56)
            left.addWidget(self.receipt_button)
            self._show_receipt()
        columns.addLayout(left, 3)
        self.keypad = Keypad(max_digits=9)
        self.keypad.changed.connect(self._typed)
        self.keypad.setMinimumWidth(340)
        columns.addWidget(self.keypad, 2)
        self.body.addLayout(columns)
        self.ok = self.add_ok(t("결제"), self._confirm, name="cash-pay")
        self.setMinimumSize(900, 560)
        self._refresh()

    def _show_receipt(self) -> None:
        r = self.receipt
        if r is None:
            text = f"{t('현금영수증')}: {t('미발급')}"
        elif r.self_issued:
            text = f"{t('현금영수증')}: {t('자진발급')}"
            if self.required:
                text += f" ({t('의무발행')})"
        else:
            purpose = t("소득공제") if r.purpose == "deduction" else t("지출증빙")
            text = f"{t('현금영수증')}: {purpose} {mask_identity(r.identity)}"
        self.receipt_button.setText(text)
        self.receipt_button.setChecked(r is not None)

    def _edit_receipt(self) -> None:
        from ui.dialogs.cash_receipt import CashReceiptDialog

        if self.receipt is not None and not self.required:
            self.receipt = None  # a tap on an issued receipt turns it off
        elif self.receipt is not None:  # required: the customer's number may replace 자진발급
            dialog = CashReceiptDialog(self, feed=self.feed)
            if dialog.exec() == CashReceiptDialog.DialogCode.Accepted \
                    and dialog.request is not None:
                self.receipt = dialog.request
        else:
            dialog = CashReceiptDialog(self, feed=self.feed)
            if dialog.exec() == CashReceiptDialog.DialogCode.Accepted:
                self.receipt = dialog.request
        self._show_receipt()

    def quick(self, amount: int) -> None:
        self.tendered = self.due if amount == 0 else self.tendered + amount
        self.keypad.text = str(self.tendered)
        self._refresh()

    def _typed(self, text: str) -> None:
        self.tendered = int(text) if text else 0
        self._refresh()

    def _refresh(self) -> None:
        self.tendered_label.setText(won(self.tendered))
        change = self.tendered - self.due
        too_much = change > MAX_CHANGE_KRW  # a typo, not cash: the core refuses it too
        self.change_label.setText(won(max(change, 0)) if not too_much else "—")
        if self.feed is not None and not too_much:
            self.feed.cash_counted(self.tendered, max(change, 0))
        self.ok.setEnabled(not too_much and (change >= 0 or self.tendered == 0))
        if too_much:
            self.show_error(f"{t('거스름돈은 최대')} {won(MAX_CHANGE_KRW)} · "
                            f"{t('받은 금액을 확인하세요')}")
        else:
            self.show_error("" if change >= 0 or self.tendered == 0 else
                            f"{won(-change)} {t('남은 금액')}")

    def _confirm(self) -> None:
        try:  # nothing typed is not exact cash: the amount, or 딱맞게
            check_cash_received(self.due, self.tendered)
        except PaymentError:
            self.show_error(t("받은 금액을 입력하거나 딱맞게를 누르세요")
                            if self.tendered == 0 else f"{won(self.due - self.tendered)} "
                            f"{t('남은 금액')}")
            return
        self.accept()
