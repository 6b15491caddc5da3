"""Receipts for orders: the sales tables mapped onto ``kspos.receipts``' model, and the print
queue the screens use. Queuing is a database write; printing is a blocking device call that the
UI runs on the printer's worker thread, so a sale never waits for paper."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.receipts import rows
from kspos.receipts.rows import (
    CardTender,
    CashTender,
    EasyPayTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    StoreHeader,
    Tender,
    Totals,
)
from kspos.store import slips
from kspos.store.sql import moment

SKIP_CARD = "카드 영수증은 요청 시 출력 (print_card_receipt = false)"
SKIP_NONE = "영수증 출력 안 함 (receipt = none)"
SKIP_ASK = "영수증 출력 여부 확인 중 (receipt = ask)"
"""The notes a kept sale slip carries (``print_job.last_error``): why it was not printed."""

if TYPE_CHECKING:
    from kspos.config import StoreSettings
    from kspos.receipts.queue import PrintJob, PrintQueue
    from kspos.sales.staff import StaffMember
    from kspos.store.db import Database
    from kspos.store.unit import Session, Unit


def _line(row: Any) -> ReceiptLine:  # an order_line row
    gross = row.unit_price * row.qty
    return ReceiptLine(name=row.name, qty=row.qty, amount=gross,
                       options=rows.options(row.options_json),
                       service=bool(row.complimentary), discount=row.discount_amount,
                       tax_free=bool(row.tax_free))


def _approved_at(text: str | None) -> datetime | None:
    try:
        return datetime.strptime(text, "%y%m%d%H%M%S") if text else None
    except ValueError:  # a VAN's odd stamp: the slip prints without the time, not at all
        return None


def _tender(p: Any) -> Tender:  # a payment row
    if p.method == "card":
        return CardTender(amount=p.amount, issuer=p.issuer or p.brand or "",
                          masked_pan=p.masked_pan or "", approval_no=p.approval_no or "",
                          installment=p.installment, merchant_no=p.merchant_no or "",
                          acquirer=p.acquirer or "", approved_at=_approved_at(p.approved_at))
    if p.method == "easypay":
        return EasyPayTender(amount=p.amount, wallet=rows.wallet_name(p.wallet),
                             approval_no=p.approval_no or "")
    receipt = None
    if p.cash_receipt_approval_no:
        receipt = rows.cash_receipt(p, p.cash_receipt_approval_no)
    tendered = p.tendered or p.amount
    return CashTender(amount=p.amount, received=tendered, change=tendered - p.amount,
                      cash_receipt=receipt)


def receipt_for_order(db: Database, store: StoreSettings, order_id: int,
                      reprint: bool = False) -> Receipt:
    """The sale slip of a paid order, from what the database recorded."""
    with db.session() as s:
        return receipt_in(s, store, order_id, reprint)


def receipt_in(s: Unit, store: StoreSettings, order_id: int, reprint: bool = False
               ) -> Receipt:
    """:func:`receipt_for_order` inside the caller's transaction (sees its own writes)."""
    # Plain rows rather than ORM objects: this runs inside every checkout, and loading
    # objects costs more than the queries (the slip only reads columns). It also sees what the
    # transaction itself wrote with plain statements (an ORM object loaded earlier might not).
    order = slips.order(s, order_id)
    if order is None:
        raise KeyError(f"no order {order_id}")
    lines = slips.lines(s, order_id)
    payments = slips.payments(s, order_id)
    line_discounts = sum(ln.discount_amount for ln in lines if not ln.complimentary)
    extra = (("테이블", order.table_no),) if order.table_no else ()
    return Receipt(
        store=StoreHeader.from_settings(store), kind=ReceiptKind.SALE,
        receipt_no=order.receipt_no, issued_at=moment(order.paid_at or order.created_at),
        lines=tuple(_line(ln) for ln in lines),
        totals=Totals(total=order.total, supply=order.supply, vat=order.vat,
                      tax_free=order.tax_free),
        tenders=tuple(_tender(p) for p in payments),
        order_discount=order.discount_total - line_discounts, training=bool(order.training),
        reprint=reprint, qr=f"KSPOS:{order.receipt_no}",
        cashier=order.cashier or "", extra=extra, order_no=order.pickup_no,
        footer=("이용해 주셔서 감사합니다.",))


class PrintingService:
    """Sale slips into the queue, and the queue onto the printer."""

    def __init__(self, db: Database, store: StoreSettings, queue: PrintQueue) -> None:
        self.db, self.store, self.queue = db, store, queue

    def queue_prebill(self, check: Any) -> int:
        """Store a table's 중간 계산서 (kspos/receipts/prebill.py) to print; returns the job id."""
        from kspos.receipts.model import StoreHeader
        from kspos.receipts.prebill import lay_out_prebill

        layout = lay_out_prebill(check, StoreHeader.from_settings(self.store),
                                 columns=self.queue.columns)
        return self.queue.enqueue(layout, "prebill", check.order.receipt_no or "")

    def queue_order(self, order_id: int, reprint: bool = False) -> int:
        """Render and store the order's slip (no device touched); returns the job id.

        A sale slip is queued once: when the sale already queued it (:meth:`queue_paid`), its
        job is returned. A reprint is always a new job.
        """
        if not reprint:
            from kspos.store.print_queue import sale_job_id

            found = sale_job_id(self.db, order_id)
            if found is not None:
                return found
        receipt = receipt_for_order(self.db, self.store, order_id, reprint=reprint)
        job_id = self.queue.enqueue(receipt, "reprint" if reprint else "sale", receipt.receipt_no,
                                    skip=None if reprint else self.skip_reason(receipt))
        if reprint:  # a refunded order's reprint shows the cancellation: its refund slip follows
            self.queue_refund(order_id, reprint=True)
        return job_id

    def queue_refund(self, order_id: int, after_id: int = 0, reprint: bool = False
                     ) -> int | None:
        """Render and store the 취소/환불 영수증 of the order's refunds after ``after_id`` (all of
        them for a reprint); None when there are none. Returns the job id."""
        from kspos.receipts.refund_slips import refund_receipt_in

        with self.db.session() as s:
            receipt = refund_receipt_in(s, self.store, order_id, after_id, reprint)
        if receipt is None:
            return None
        return self.queue.enqueue(receipt, "refund", receipt.receipt_no)

    def reprint(self, order_id: int, staff: StaffMember | None) -> int:
        """재발행: a new job for the order's slip, marked 재발행, for a logged-in member whose
        role may reprint (a logged-out counter hands no copy of anyone's receipt)."""
        from kspos.sales.staff import require

        require(staff, "reprint")
        return self.queue_order(order_id, reprint=True)

    def queue_paid(self, session: Session, order_id: int) -> int | None:
        """Queue the sale slip in the transaction that marks the order paid.

        A slip that cannot be drawn (no Korean font) must not undo a payment: it is logged and
        left to :meth:`queue_order` (the screen queues it after the sale); database errors
        propagate, as they fail the payment's transaction anyway.
        """
        receipt = receipt_in(session, self.store, order_id)
        try:
            payload = self.queue.render(receipt)
        except Exception as exc:  # noqa: BLE001 - whatever breaks a slip, the sale stands
            import logging

            logging.getLogger(__name__).warning("slip %s not queued with the sale: %s",
                                                receipt.receipt_no, exc)
            return None
        return self.queue.enqueue_in(session, payload, "sale", receipt.receipt_no,
                                     self.skip_reason(receipt))

    def skip_reason(self, receipt: Receipt) -> str | None:
        """Why a sale slip is kept but not printed, or None to print it (docs/paperless.md).

        A sale with a 할부 card tender always prints (the customer's copy of the installment
        terms). Otherwise ``[store] receipt = "none"`` keeps every sale slip, ``"ask"`` keeps it
        until the customer answers (:meth:`print_asked`), and ``"print"`` prints it, except
        that ``print_card_receipt = false`` keeps an all-card sale's slip for a request."""
        tenders = receipt.tenders
        if any(isinstance(t, CardTender) and t.installment > 1 for t in tenders):
            return None
        mode = self.store.receipt
        if mode == "none":
            return SKIP_NONE
        if mode == "ask":
            return SKIP_ASK
        if self.store.print_card_receipt or not tenders:
            return None
        if all(isinstance(t, CardTender) for t in tenders):
            return SKIP_CARD
        return None

    def print_asked(self, order_id: int) -> int:
        """The customer wants the slip after all: the sale's kept job becomes a normal print of
        the original slip (not marked 재발행), which :meth:`print_pending` prints; returns the
        job id. Only a kept (skipped) job changes, in one conditional update, so two taps or
        two registers print it once: a job already released or printed is left as it is."""
        job_id = self.queue_order(order_id)  # the sale's job (queued now if the sale could not)
        self.queue.release(job_id)
        return job_id

    def asking(self, job_id: int) -> bool:
        """Whether the job is a sale slip kept until the customer answers (``receipt = ask``)."""
        from kspos.receipts.queue import SKIPPED

        job = self.queue.get(job_id)
        return job is not None and job.state == SKIPPED and job.last_error == SKIP_ASK

    def receipt_qr(self, order_id: int) -> str:
        """The paid order's 승인 data as the customer display's QR text
        (:func:`kspos.receipts.receipt_qr.receipt_qr_text`)."""
        from kspos.receipts.receipt_qr import receipt_qr_text

        return receipt_qr_text(receipt_for_order(self.db, self.store, order_id))

    def print_pending(self) -> list[PrintJob]:
        """Send what is queued (blocking: the printer's worker thread calls this)."""
        return self.queue.retry_pending()

    def pending(self) -> list[PrintJob]:
        return self.queue.pending()

    def preview_png(self, order_id: int, columns: int = 48) -> bytes:
        """The order's slip as an image; a refunded order's refund slip is shown under it."""
        from kspos.receipts.layout import FeedLine, Layout, lay_out
        from kspos.receipts.raster import preview_png
        from kspos.receipts.refund_slips import refund_receipt_in

        with self.db.session() as s:
            sale = receipt_in(s, self.store, order_id)
            refund = refund_receipt_in(s, self.store, order_id)
        if refund is None:
            return preview_png(sale, columns)
        first, second = lay_out(sale, columns), lay_out(refund, columns)
        both = Layout(columns, (*first.lines, FeedLine(3), *second.lines), first.training)
        return preview_png(both, columns)
