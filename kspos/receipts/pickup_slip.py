"""The pickup slip (픽업 번호표): a separate small slip with each numbered order.

The store name, the 주문번호 four times the size, the time and what was ordered: the customer
keeps it (or the bar sticks it on the cup) and watches the board for the number. Not a
receipt: no amounts. Queued on the receipt printer in the transaction that marks the order
paid, right after the sale slip (``[store] pickup_slip``, docs/pickup.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.receipts.layout import WEEKDAYS, Builder, Layout
from kspos.store import slips
from kspos.store.sql import moment

if TYPE_CHECKING:
    from kspos.receipts.queue import PrintQueue
    from kspos.store.unit import Unit

log = logging.getLogger(__name__)
TITLE = "주문번호"
HINT = "번호가 호출되면 픽업대에서 받아 가세요"
JOB_KIND = "pickup"  # print_job.kind


@dataclass(frozen=True, slots=True)
class PickupSlip:
    """What a pickup slip prints; ``lines`` as the bar reads them ("아메리카노 (ICE) ×2")."""

    store_name: str
    number: int
    receipt_no: str
    paid_at: datetime
    lines: tuple[str, ...]
    training: bool = False


def lay_out_pickup_slip(slip: PickupSlip, columns: int = 48) -> Layout:
    """The slip on a ``columns`` grid (48, 42 or 32)."""
    b = Builder(columns)
    b.text(slip.store_name, "center", bold=True, double=True)
    b.rule("=")
    b.text(f"{TITLE} ORDER NO.", "center", bold=True)
    b.big(str(slip.number))
    b.text(HINT, "center")
    b.rule("-")
    when = slip.paid_at
    b.field("주문시각", f"{when:%Y-%m-%d}({WEEKDAYS[when.weekday()]}) {when:%H:%M}")
    b.field("영수증번호", slip.receipt_no)
    b.rule("-")
    for line in slip.lines:
        b.text(line)
    b.rule("=")
    return b.layout(training=slip.training)


def pickup_slip_in(s: Unit, store_name: str, order_id: int) -> PickupSlip | None:
    """The order's slip from the caller's transaction (sees its own writes); None when the
    order has no 주문번호."""
    from kspos.sales.pickup import line_text

    order = slips.order(s, order_id)
    if order is None or order.pickup_no is None:
        return None
    lines = tuple(line_text(ln.name, ln.options_json, ln.qty)
                  for ln in slips.lines(s, order_id))
    return PickupSlip(store_name=store_name, number=int(order.pickup_no),
                      receipt_no=order.receipt_no, paid_at=moment(order.paid_at),
                      lines=lines, training=bool(order.training))


def queue_pickup_slip(s: Unit, queue: PrintQueue, store_name: str, order_id: int
                      ) -> int | None:
    """Queue the order's pickup slip in the caller's transaction (the payment's); the job id,
    or None when the order has no number. A slip that cannot be drawn (no Korean font) is
    logged and skipped: it never undoes a payment."""
    slip = pickup_slip_in(s, store_name, order_id)
    if slip is None:
        return None
    try:
        payload = queue.render(lay_out_pickup_slip(slip, queue.columns))
    except Exception as exc:  # noqa: BLE001 - whatever breaks a slip, the sale stands
        log.warning("pickup slip %s not queued with the sale: %s", slip.number, exc)
        return None
    return queue.enqueue_in(s, payload, JOB_KIND, slip.receipt_no)
