"""Card, easy-pay and cash(+현금영수증) tenders over the VAN client, as PaymentGateways.

The VAN client calls ``on_response`` inside the transaction that clears its network-cancel
journal entry; we record the Payment (or Refund) right there, so an approval is either recorded
or reversed, never lost. Training orders go to a separate client whose link is the in-process
simulator (never the real host).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kspos.devices.cards import mask_identity
from kspos.devices.scanning import WALLET_NAMES
from kspos.sales.payments import (
    SELF_ISSUED_ID,
    CancelRequest,
    CashGateway,
    CashReceiptRequest,
    Method,
    PaymentError,
    Recorder,
    TenderRequest,
    TenderResult,
    check_cash_received,
)

if TYPE_CHECKING:
    from kspos.store.unit import Unit
    from kspos.van.client import VanClient
    from kspos.van.result import VanResult

log = logging.getLogger(__name__)
PURPOSE_CODES = {"deduction": "00", "expense": "01"}
PURPOSE_WORDS = {"deduction": "소득공제", "expense": "지출증빙"}
REQUIRED_FROM_KRW = 100_000  # korean-rules: listed industries, cash sales from 100,000원


def _van_errors() -> tuple[type[BaseException], ...]:
    from kspos.van.client import VanError

    return (VanError,)


def explain(result: VanResult) -> str:
    """What the cashier reads after a VAN call that did not go through."""
    if result.approved:
        return result.message
    if result.network_cancel is not None:
        state = "망취소 완료" if result.network_cancel.status == "done" else "망취소 대기 중"
        why = result.message.split(";")[0].removeprefix("응답 없음:").strip()
        return f"응답 없음 ({why}) — {state}; 결제되지 않았습니다"
    return f"{result.message} ({result.code})" if result.code else result.message


def _tender_from(result: VanResult, method: Method, amount: int, **extra: Any) -> TenderResult:
    return TenderResult(
        approved=result.approved, method=method, amount=amount, message=explain(result),
        code=result.code, approval_no=result.approval_no or None,
        approval_date=result.approval_date or None, approved_at=result.approved_at or None,
        masked_pan=result.masked_pan or None, card_bin=result.bin or None,
        brand=result.brand or None, issuer_code=result.issuer_code or None,
        issuer=result.issuer or None, acquirer_code=result.acquirer_code or None,
        acquirer=result.acquirer or None, merchant_no=result.merchant_no or None,
        installment=result.installment, wallet=result.wallet or None, van_class=result.klass,
        van_serial=result.serial, van_txn_id=result.van_txn_id or None, **extra)


class _VanTender:
    """Shared plumbing: which client (live or training) and the atomic recorder."""

    method: Method
    saves_order_before_send = False
    needs_receipt_identity = False

    def __init__(self, live: VanClient | None, training: VanClient | None) -> None:
        self.live, self.training = live, training

    def client(self, training: bool) -> VanClient:
        client = self.training if training else self.live
        if client is None:
            raise PaymentError("VAN이 설정되지 않았습니다 (no VAN link configured)")
        return client

    def _call(self, call: Any, method: Method, amount: int, record: Recorder,
              **extra: Any) -> TenderResult:
        holder: dict[str, TenderResult] = {}

        def on_response(session: Unit, result: VanResult) -> None:
            tender = _tender_from(result, method, amount, **extra)
            holder["tender"] = tender
            if tender.approved:
                record(session, tender)

        try:
            result = call(on_response)
        except _van_errors() as exc:
            raise PaymentError(str(exc)) from None
        return holder.get("tender") or _tender_from(result, method, amount, **extra)


class CardGateway(_VanTender):
    """Card tenders: the UI reads the card (and the signature above 50,000원) first."""

    method = Method.CARD
    saves_order_before_send = True  # runs TenderRequest.prepare in the intent's transaction

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        if request.card is None:
            raise PaymentError("카드를 읽지 못했습니다 (no card read)")
        client = self.client(request.training)
        return self._call(lambda on: client.approve_card(
            request.amount, card=request.card, installment=request.installment,
            signature=request.signature, tax_free=request.tax_free, service=request.service,
            pos_ref=request.receipt_no, on_response=on, before_send=request.prepare),
            Method.CARD, request.amount, record)

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        client = self.client(request.training)
        return self._call(lambda on: client.cancel_card(
            approval_no=request.approval_no or "", approval_date=request.approval_date or "",
            amount=request.amount, partial=request.amount < request.remaining,
            klass=request.van_class or "IC", installment=request.installment,
            tax_free=request.tax_free, van_txn_id=request.van_txn_id or "",
            pos_ref=request.receipt_no, on_response=on), Method.CARD, request.amount, record)


class EasyPayGateway(_VanTender):
    """Easy pay: the customer's scanned code; the wallet detected or picked by hand."""

    method = Method.EASYPAY
    saves_order_before_send = True  # runs TenderRequest.prepare in the intent's transaction

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        if not request.code:
            raise PaymentError("고객 바코드를 스캔하세요 (scan the customer's code)")
        client = self.client(request.training)
        return self._call(lambda on: client.approve_easy_pay(
            request.amount, code=request.code, wallet=request.wallet,
            tax_free=request.tax_free, service=request.service, pos_ref=request.receipt_no,
            on_response=on, before_send=request.prepare), Method.EASYPAY, request.amount,
            record)

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        if not request.wallet:
            raise PaymentError("간편결제 지갑 정보가 없습니다 (wallet unknown)")
        client = self.client(request.training)
        return self._call(lambda on: client.cancel_easy_pay(
            approval_no=request.approval_no or "", approval_date=request.approval_date or "",
            amount=request.amount, wallet=request.wallet,
            partial=request.amount < request.remaining, tax_free=request.tax_free,
            van_txn_id=request.van_txn_id or "", pos_ref=request.receipt_no,
            on_response=on), Method.EASYPAY, request.amount, record)


class CashWithReceiptGateway(CashGateway, _VanTender):
    """Cash, issuing a 현금영수증 when asked. The cash is taken whatever the VAN says: a
    receipt that could not be issued is reported to the cashier, the sale still stands.

    ``receipt_required`` (a 현금영수증 의무발행업종, ``[store] cash_receipt_required``): cash of
    100,000원 and more gets a receipt even when nobody asked, self-issued (자진발급)."""

    method = Method.CASH
    needs_receipt_identity = True  # a receipt is cancelled at the host with its number

    def __init__(self, db: Any, live: VanClient | None, training: VanClient | None,
                 receipt_required: bool = False) -> None:
        CashGateway.__init__(self, db)
        _VanTender.__init__(self, live, training)
        self.receipt_required = receipt_required

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        receipt = request.cash_receipt
        if receipt is None and self.receipt_required and request.amount >= REQUIRED_FROM_KRW:
            receipt = CashReceiptRequest(SELF_ISSUED_ID, "deduction", self_issued=True)
        if receipt is None:
            return CashGateway.authorize(self, request, record)
        tendered = request.tendered
        check_cash_received(request.amount, tendered)  # before any receipt is issued
        base = TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                            tendered=tendered, change=tendered - request.amount,
                            message="현금 결제")
        client = self.client(request.training)
        holder: dict[str, TenderResult] = {}

        def on_response(session: Unit, result: VanResult) -> None:
            tender = self._with_receipt(base, result, receipt.identity, receipt.purpose)
            holder["tender"] = tender
            record(session, tender)

        try:
            result = client.approve_cash_receipt(
                request.amount, identity=receipt.identity, purpose=PURPOSE_CODES[receipt.purpose],
                tax_free=request.tax_free, service=request.service, pos_ref=request.receipt_no,
                on_response=on_response)
        except _van_errors() as exc:
            raise PaymentError(f"현금영수증: {exc}") from None
        if "tender" in holder:
            return holder["tender"]
        # No valid answer (the 망취소 ran): the cash is still taken, without a receipt.
        tender = replace(base, message=f"현금영수증 발급 실패: {explain(result)}")
        with self.db.session() as session:
            record(session, tender)
        return tender

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        if not request.cash_receipt_approval_no:
            return CashGateway.cancel(self, request, record)
        identity = request.cash_receipt_identity
        if not identity:
            raise PaymentError("현금영수증을 취소하려면 고객 번호가 필요합니다 "
                               "(enter the cash receipt number to refund)")
        purpose = request.cash_receipt_purpose or "deduction"
        from kspos.store import orders

        client = self.client(request.training)
        left = request.remaining - request.amount
        holder: dict[str, TenderResult] = {}

        def on_cancelled(session: Unit, result: VanResult) -> None:
            if not result.approved:
                return
            tender = TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                                  message="현금 환불 · 현금영수증 취소",
                                  approval_no=result.approval_no,
                                  approval_date=result.approval_date)
            holder["tender"] = tender
            record(session, tender)
            payment = orders.payment(session, request.payment_id) if left > 0 else None
            if payment is not None:
                # The receipt is cancelled at the host: forget it in the same transaction, so
                # a re-issue that never comes (no answer, a crash) leaves no pointer to a dead
                # receipt that would make the next refund fail with 7102.
                orders.set_cash_receipt(session, payment, None)

        try:
            result = client.cancel_cash_receipt(
                approval_no=request.cash_receipt_approval_no,
                approval_date=request.cash_receipt_date or "", amount=request.remaining,
                identity=identity, purpose=PURPOSE_CODES[purpose],
                tax_free=request.remaining_tax_free, pos_ref=request.receipt_no,
                on_response=on_cancelled)
            if "tender" not in holder:
                raise PaymentError(f"현금영수증 취소 실패: {explain(result)}")
        except _van_errors() as exc:
            raise PaymentError(f"현금영수증: {exc}") from None
        tender = holder["tender"]
        if left > 0:  # the customer keeps some of the purchase: a receipt for the rest
            problem = self._reissue(client, request, identity, purpose, left)
            if problem:  # the refund stands; the cashier must know the rest has no receipt
                self._note_unissued(request, left, problem)
                warning = (f"남은 {left:,}원의 현금영수증은 발급되지 않았습니다: {problem} "
                           f"(no cash receipt was issued for the {left:,} kept)")
                tender = replace(tender, extra={**tender.extra, "warning": warning})
        return tender

    def _reissue(self, client: VanClient, request: CancelRequest, original: str, purpose: str,
                 amount: int) -> str | None:
        """A new 현금영수증 for the cash kept (to the original number, or the one the customer
        asked for instead); what went wrong, or None when it was issued. The payment keeps
        the masked number and the approval actually used, and the audit log says so."""
        from kspos.sales.audit import audit
        from kspos.store import orders

        identity = request.cash_receipt_new_identity or original

        def on_issued(session: Unit, result: VanResult) -> None:
            payment = orders.payment(session, request.payment_id)
            if payment is None:
                return
            if not result.approved:
                orders.set_cash_receipt(session, payment, None)
                return
            before, masked = payment.cash_receipt_id_masked, mask_identity(identity)
            orders.set_cash_receipt(session, payment, result.approval_no, result.approval_date,
                                    masked)
            audit(session, "cash_receipt_reissued", None, payment.order_id,
                  payment_id=payment.id, amount=amount, approval_no=result.approval_no,
                  identity=masked, original=before, changed=masked != before)

        try:
            # the 면세 of what the customer keeps: the cancelled receipt's less the refund's
            tax_free = min(amount, max(0, request.remaining_tax_free - request.tax_free))
            result = client.approve_cash_receipt(
                amount, identity=identity, purpose=PURPOSE_CODES[purpose], tax_free=tax_free,
                pos_ref=request.receipt_no, on_response=on_issued)
        except _van_errors() as exc:  # after the refund was recorded: said, not raised
            log.warning("cash receipt re-issue for %s failed: %s", request.receipt_no, exc)
            return str(exc)
        return None if result.approved else explain(result)

    def _note_unissued(self, request: CancelRequest, amount: int, problem: str) -> None:
        """A lasting trace of cash kept without a 현금영수증 (it may have to be issued by
        hand): the audit log, and the log file."""
        from kspos.sales.audit import audit_now

        log.warning("no cash receipt re-issued for %s (%d won kept): %s", request.receipt_no,
                    amount, problem)
        try:
            audit_now(self.db, "cash_receipt_not_reissued", None, None,
                      payment_id=request.payment_id, receipt_no=request.receipt_no,
                      amount=amount, reason=problem)
        except Exception as exc:  # noqa: BLE001 - the refund is recorded; the note is extra
            log.error("could not audit the missing cash receipt: %s", exc)

    @staticmethod
    def _with_receipt(base: TenderResult, result: VanResult, identity: str,
                      purpose: str) -> TenderResult:
        if not result.approved:
            return replace(base, message=f"현금영수증 발급 실패: {explain(result)}")
        return replace(base, message="현금 결제 · 현금영수증 발급",
                              cash_receipt_purpose=purpose,
                              cash_receipt_id_masked=mask_identity(identity),
                              cash_receipt_approval_no=result.approval_no,
                              approval_date=result.approval_date, van_class=result.klass,
                              van_serial=result.serial)


def wallet_name(code: str | None, lang: str = "ko") -> str:
    names = WALLET_NAMES.get(code or "")
    if names is None:
        return code or ""
    return names[1] if lang == "en" else names[0]
