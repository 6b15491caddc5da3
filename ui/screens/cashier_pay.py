"""The cashier screen's payment actions: which dialog each tender opens, and what happens once
a tender went through (drawer, receipt). Mixed into CashierScreen."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kspos.sales.orders import OrderError
from kspos.sales.payments import Method, PaymentError, TenderRequest
from kspos.sales.staff import AuthError
from kspos.store.db import StoreError
from ui.dialogs.cash import CashDialog
from ui.i18n import Shown, t, won
from ui.ops import run_op
from ui.widgets.order_view import partly_paid

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.sales.register import Register

log = logging.getLogger(__name__)
USER_ERRORS = (OrderError, PaymentError, AuthError, StoreError)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget as _Base
else:
    _Base = object


class PaymentActions(_Base):
    """Needs ``context``, ``register``, ``say``, ``refresh``, ``guarded`` and ``ensure_ready``
    from the screen it is mixed into."""

    context: AppContext
    register: Register
    split: Any

    if TYPE_CHECKING:
        def say(self, text: Shown, ok: bool = False) -> None: ...
        def refresh(self, select: int | None = None) -> None: ...
        def guarded(self, action: Any, *args: Any) -> Any: ...
        def ensure_ready(self) -> bool: ...

    def pay(self, key: str) -> None:
        if not self.ensure_ready() or self.register.order.is_empty:
            return
        due = self.guarded(self.register.remaining)
        if due is None:
            return
        if key == "cash_receipt":
            from ui.dialogs.cash_receipt import CashReceiptDialog

            self.context.customer.ask_tender("cash", due)
            dialog = CashReceiptDialog(self, feed=self.context.customer)
            if dialog.exec() == CashReceiptDialog.DialogCode.Accepted:
                self.pay_cash(due, receipt=dialog.request)
            else:
                self._tender_ended()
        elif key == "split":
            from ui.dialogs.split import SplitDialog

            self.split = SplitDialog(self.context, self.take_part, self)
            self.split.exec()
            self.split = None
        else:
            self.take_part(key, due)

    def take_part(self, method: str, amount: int, then: Any = None) -> None:
        """Take ``amount`` by ``method`` (all of it, or a part in 복합결제)."""
        if method == "cash":
            self.pay_cash(amount)
            return
        self.context.customer.ask_tender(method, amount)
        if method == "card":
            from ui.dialogs.card import CardDialog

            dialog = CardDialog(self.context, amount, self)
            if dialog.exec() == CardDialog.DialogCode.Accepted:
                self._paid(dialog.result)
            else:
                self._tender_ended()
        elif method == "easypay":
            from ui.dialogs.easypay import EasyPayDialog

            easy = EasyPayDialog(self.context, amount, self)  # takes the scans while open
            if easy.exec() == EasyPayDialog.DialogCode.Accepted:
                self._paid(easy.result)
            else:
                self._tender_ended()

    def _tender_ended(self) -> None:
        """A tender was not taken (or took a part): the customer sees the order again."""
        order = self.register.order
        self.context.customer.tender_ended(order, order.paid)

    def pay_cash(self, amount: int, receipt: Any = None) -> None:
        self.context.customer.ask_tender("cash", amount)
        dialog = CashDialog(amount, self, receipts=self.context.has_van,
                            receipt=receipt,
                            required=self.context.settings.store.cash_receipt_required,
                            feed=self.context.customer)
        accepted = dialog.exec() == CashDialog.DialogCode.Accepted
        tendered, cash_receipt = dialog.tendered, dialog.receipt
        dialog.deleteLater()  # one per sale: not kept alive under the screen all day
        if not accepted:
            self._tender_ended()
            return
        request = TenderRequest(Method.CASH, amount, "", tendered=tendered,
                                cash_receipt=cash_receipt)
        register = self.register
        run_op(self, lambda: register.pay(request), on_success=self._paid,
               on_error=self._failed, label=t("결제") + "...", device="van")

    def _paid(self, result: Any) -> None:
        self.refresh()
        split = getattr(self, "split", None)
        if split is not None:
            split.refresh()
        if not result.approved:
            self._tender_ended()
            self.say(result.message)
            return
        order = self.register.order
        partly = self.register.last_paid is None and order.paid > 0  # a part of 복합결제
        words = paid_message(result, partly_paid(order) if partly else None)
        if self.register.last_paid is None:
            self._tender_ended()
        else:
            number = self.order_number(self.register.last_paid)
            self.context.customer.settled(result.change, number)
            if number is not None:  # the cashier calls it out: said with the rest
                words += f" · {t('주문번호')} {number}"
        self.say(words, ok="실패" not in (result.message or ""))
        self.after_payment(result)

    def undo_tenders(self, confirmed: bool = False) -> None:
        """주문취소 of a partly paid order: the tenders go back (card 취소, cash out of the
        drawer) off the GUI thread, then the order is voided."""
        register = self.register

        def done(outcome: Any) -> None:
            self.refresh()
            back = f" · {t('현금')} {won(outcome.cash_back)} {t('돌려주세요')}" \
                if outcome.cash_back else ""
            self.say(f"{t('받은 결제를 되돌렸습니다')} ({won(outcome.amount)}){back}")
            if outcome.cash_back:
                run_op(self, lambda: self.context.open_drawer("split undone"), device="printer",
                       on_success=lambda _r: None,
                       on_error=lambda e: self.say(f"{t('프린터')}: {e}"))

        run_op(self, lambda: register.void("주문취소", confirmed), on_success=done, on_error=self._failed,
               label=t("결제 취소") + "...", device="van")

    def after_payment(self, result: Any) -> None:
        """Once a tender went through: cash opens the drawer; a settled order prints."""
        if result.method is Method.CASH and not self.register.training:
            run_op(self, lambda: self.context.open_drawer("cash sale"), device="printer",
                   on_success=lambda _r: None,
                   on_error=lambda e: self.say(f"{t('프린터')}: {e}"))
        paid, self.register.last_paid = self.register.last_paid, None
        if paid is not None and paid.id is not None and self.register.order.id != paid.id:
            self.print_receipt(paid.id)

    def print_receipt(self, order_id: int, reprint: bool = False) -> None:
        from ui.printing import print_order

        feed = self.context.customer  # a receipt not printed: its QR on the customer's side
        print_order(self, self.context, order_id, reprint, self.say,
                    on_paperless=None if reprint else lambda _id, text: feed.show_receipt_qr(text))

    def order_number(self, order: Any) -> int | None:
        """The pickup number the paid ``order`` got (None: numbers are off)."""
        if self.context.settings.store.order_numbers == "off" or order.id is None:
            return None
        from kspos.sales.pickup import pickup_number

        return pickup_number(self.context.db, order.id)  # one indexed read

    def _failed(self, error: BaseException) -> None:
        self._tender_ended()
        self.refresh()
        if isinstance(error, USER_ERRORS):
            self.say(error)
        else:
            log.error("payment failed: %r", error)
            self.say(f"{t('오류')}: {error}")


def paid_message(result: Any, headline: str | None = None) -> str:
    """결제 완료 (or ``headline``: what is still due of a 복합결제) with what the cashier tells
    the customer: the change, the card's approval number, the 현금영수증's, and a warning the
    core added (a 현금영수증 that failed)."""
    parts = [headline or t("결제 완료")]
    if result.change:
        parts.append(f"{t('거스름돈')} {won(result.change)}")
    if result.approval_no:
        parts.append(f"{t('승인번호')} {result.approval_no}")
    if result.cash_receipt_approval_no:
        parts.append(f"{t('현금영수증')} {result.cash_receipt_approval_no}")
    if "실패" in (result.message or ""):
        parts.append(result.message)
    return " · ".join(parts)
