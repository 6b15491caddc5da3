"""The tender choice for an amount that is not the register's order (a part of a table's
check): 현금, 카드, 간편결제, 현금영수증, each opening the same dialog as at the counter.

``pay(request)`` takes the tender (the check service's ``pay_part`` for one part); it runs
off the GUI thread for cash (the card and easy-pay dialogs run it themselves), and ``done``
gets the TenderResult on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kspos.sales.payments import Method, TenderRequest
from ui.dialogs.base import TouchDialog
from ui.i18n import t, won
from ui.ops import run_op
from ui.widgets.common import button, label

if TYPE_CHECKING:
    from kspos.context import AppContext

TENDERS = (("현금", "cash"), ("카드", "card"), ("간편결제", "easypay"),
           ("현금영수증", "cash_receipt"))


class TenderChoiceDialog(TouchDialog):
    def __init__(self, parent: QWidget | None, title: str, amount: int) -> None:
        super().__init__(parent, title)
        self.setObjectName("TenderChoiceDialog")
        self.method = ""
        self.body.addWidget(label(won(amount), "big-amount", name="tender-amount"))
        grid = QGridLayout()
        grid.setSpacing(8)
        for n, (text, key) in enumerate(TENDERS):
            b = button(t(text), "pay", lambda k=key: self.choose(k), name=f"tender-{key}")
            b.setMinimumSize(180, 72)
            grid.addWidget(b, n // 2, n % 2)
        self.body.addLayout(grid)
        self.cancel_button.setMinimumHeight(64)

    def choose(self, method: str) -> None:
        self.method = method
        self.accept()


def take_tender(parent: QWidget, context: AppContext, method: str, amount: int,
                pay: Callable[[TenderRequest], Any], done: Callable[[Any], None],
                failed: Callable[[BaseException], None],
                part: tuple[int, int] | None = None) -> None:
    """Open ``method``'s dialog for ``amount``; ``done(result)`` once it was taken.
    ``part``: (k, n) of a split bill, which the customer display shows with the amount."""
    feed = context.customer
    feed.ask_tender("card" if method == "card" else "easypay" if method == "easypay"
                    else "cash", amount, part)

    def not_taken() -> None:
        order = context.register.order
        feed.tender_ended(order, order.paid)

    def went_wrong(error: BaseException) -> None:
        not_taken()
        failed(error)

    if method in ("cash", "cash_receipt"):
        receipt = None
        if method == "cash_receipt":
            from ui.dialogs.cash_receipt import CashReceiptDialog

            ask = CashReceiptDialog(parent, feed=feed)
            if ask.exec() != CashReceiptDialog.DialogCode.Accepted:
                not_taken()
                return
            receipt = ask.request
        from ui.dialogs.cash import CashDialog

        dialog = CashDialog(amount, parent, receipts=context.has_van, receipt=receipt,
                            required=context.settings.store.cash_receipt_required, feed=feed)
        accepted = dialog.exec() == CashDialog.DialogCode.Accepted
        request = TenderRequest(Method.CASH, amount, "", tendered=dialog.tendered,
                                cash_receipt=dialog.receipt)
        dialog.deleteLater()
        if accepted:
            run_op(parent, lambda: pay(request), on_success=done, on_error=went_wrong,
                   label=t("결제") + "...", device="van")
        else:
            not_taken()
        return
    if method == "card":
        from ui.dialogs.card import CardDialog

        card = CardDialog(context, amount, parent, pay=pay)
        if card.exec() == CardDialog.DialogCode.Accepted:
            done(card.result)
        else:
            not_taken()
    elif method == "easypay":
        from ui.dialogs.easypay import EasyPayDialog

        easy = EasyPayDialog(context, amount, parent, pay=pay)
        if easy.exec() == EasyPayDialog.DialogCode.Accepted:
            done(easy.result)
        else:
            not_taken()


def choose_and_take(parent: QWidget, context: AppContext, title: str, amount: int,
                    pay: Callable[[TenderRequest], Any], done: Callable[[Any], None],
                    failed: Callable[[BaseException], None],
                    part: tuple[int, int] | None = None) -> None:
    """The tender choice, then that tender's dialog."""
    choice = TenderChoiceDialog(parent, title, amount)
    accepted = choice.exec() == TenderChoiceDialog.DialogCode.Accepted
    method = choice.method
    choice.deleteLater()
    if accepted and method:
        take_tender(parent, context, method, amount, pay, done, failed, part)
