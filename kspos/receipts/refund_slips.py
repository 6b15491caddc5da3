"""The 취소/환불 영수증: what a refund gave back, for the customer, from what the database
recorded (the ``refund`` rows of one refund, or of every refund of the order for a reprint).

A refund has no receipt number of its own: the slip carries the sale's, the refund's date and
time, the original sale's, the lines returned and, per tender, what went back: the card's
cancel approval number beside the original one, the cash handed back, the 현금영수증 cancelled.
Amounts print negative. The refunded amount is spread over the returned lines by largest
remainder (the order discount and rounding included), so the lines add up to the total.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from kspos.money import vat_split
from kspos.receipts import rows as parts
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
from kspos.reports.tally import allocate
from kspos.store import slips
from kspos.store.sql import moment

if TYPE_CHECKING:
    from kspos.config import StoreSettings
    from kspos.store.unit import Unit

FOOTER = ("환불 처리되었습니다.", "이용해 주셔서 감사합니다.")


def refund_receipt_in(s: Unit, store: StoreSettings, order_id: int, after_id: int = 0,
                      reprint: bool = False) -> Receipt | None:
    """The slip of the order's refunds with an id above ``after_id``; None when there are none."""
    order = slips.order(s, order_id)
    if order is None:
        raise KeyError(f"no order {order_id}")
    refunds = slips.refunds_after(s, order_id, after_id)
    if not refunds:
        return None
    payments = {p.id: p for p in slips.payments(s, order_id)}
    rows = {ln.id: ln for ln in slips.lines(s, order_id)}
    total = sum(r.amount for r in refunds)
    lines = _returned_lines(rows, refunds, total)
    tax_free = sum(line.charged for line in lines if line.tax_free)
    kind = ReceiptKind.CANCEL if total >= order.total else ReceiptKind.REFUND
    sold_at = moment(order.paid_at or order.created_at)
    return Receipt(
        store=StoreHeader.from_settings(store), kind=kind, receipt_no=order.receipt_no,
        issued_at=moment(refunds[-1].created_at), lines=lines,
        totals=Totals.from_split(vat_split(total, tax_free)),
        tenders=tuple(_tender(r, payments[r.payment_id]) for r in refunds),
        training=bool(order.training), reprint=reprint, cashier=refunds[-1].staff_name or "",
        extra=(("원거래일시", f"{sold_at:%Y-%m-%d %H:%M:%S}"),), footer=FOOTER)


def _returned_lines(rows: dict[int, Any], refunds: list[Any], total: int
                    ) -> tuple[ReceiptLine, ...]:
    returned: dict[int, int] = {}
    for refund in refunds:
        for line_id, qty in json.loads(refund.lines_json or "[]"):
            if line_id in rows:
                returned[line_id] = returned.get(line_id, 0) + int(qty)
    picked = [(rows[line_id], qty) for line_id, qty in returned.items() if qty > 0]
    scale = math.lcm(*(row.qty for row, _ in picked)) if picked else 1
    weights = [0 if row.complimentary else row.amount * qty * scale // row.qty
               for row, qty in picked]
    if not picked or (total and not any(weights)):  # nothing marked: the amount as one line
        return (ReceiptLine(name="환불", qty=1, amount=total),)
    shares = allocate(total, weights)
    return tuple(_line(row, qty, share) for (row, qty), share in zip(picked, shares, strict=True))


def _line(row: Any, qty: int, share: int) -> ReceiptLine:
    options = parts.options(row.options_json)
    if row.complimentary:
        return ReceiptLine(name=row.name, qty=qty, amount=row.unit_price * qty, options=options,
                           service=True, tax_free=bool(row.tax_free))
    return ReceiptLine(name=row.name, qty=qty, amount=share, options=options,
                       tax_free=bool(row.tax_free))


def _tender(refund: Any, p: Any) -> Tender:
    """What went back on one tender (magnitudes; the layout prints them negative)."""
    if p.method == "card":
        return CardTender(amount=refund.amount, issuer=p.issuer or p.brand or "",
                          masked_pan=p.masked_pan or "", approval_no=refund.approval_no or "",
                          installment=p.installment, merchant_no=p.merchant_no or "",
                          acquirer=p.acquirer or "", approved_at=moment(refund.created_at),
                          original_approval_no=p.approval_no or "")
    if p.method == "easypay":
        return EasyPayTender(amount=refund.amount, wallet=parts.wallet_name(p.wallet),
                             approval_no=refund.approval_no or "",
                             original_approval_no=p.approval_no or "")
    if not (refund.approval_no and p.cash_receipt_id_masked):  # no 현금영수증 cancelled
        return CashTender(amount=refund.amount)
    cancelled = parts.cash_receipt(p, refund.approval_no)
    kept = p.amount - p.refunded
    reissued = None
    if kept > 0 and p.cash_receipt_approval_no:  # the receipt now standing for the rest
        reissued = parts.cash_receipt(p, p.cash_receipt_approval_no)
    return CashTender(amount=refund.amount, cash_receipt=cancelled, reissued=reissued,
                      kept=kept if reissued is not None else 0)
