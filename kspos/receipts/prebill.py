"""중간 계산서 (pre-bill): what a table has ordered and still owes, printed before paying.

Not a receipt (no 영수증 title, no VAT block, no tenders as proof of payment): the customer
checks the bill with it. Laid out on the same grid as receipts (:class:`~kspos.receipts.layout
.Builder`), so both renderers print it. ``CheckService(on_prebill=...)`` is where the store
wires it: ``lay_out_prebill(check, store_header, columns)`` then the receipt printer's queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kspos.receipts.layout import WEEKDAYS, Builder, Layout, amount_text, store_block

if TYPE_CHECKING:
    from kspos.receipts.model import StoreHeader
    from kspos.sales.checks import Check

TITLE = "중간 계산서"
NOT_A_RECEIPT = "영수증이 아닙니다 (결제 전 확인용)"


def lay_out_prebill(check: Check, store: StoreHeader | None = None, columns: int = 48,
                    now: datetime | None = None) -> Layout:
    """The pre-bill of ``check``: table, guests, its lines, the total, what was paid and what
    is still due (and each part of a split)."""
    b = Builder(columns)
    if store is not None:
        store_block(b, store)
    b.rule("=")
    b.text(TITLE, "center", bold=True, double=True)
    b.text(NOT_A_RECEIPT, "center")
    order = check.order
    b.field("테이블", order.table_no or "")
    if check.zone:
        b.field("구역", check.zone)
    if order.guests:
        b.field("인원", f"{order.guests}명")
    when = now or datetime.now()
    b.field("출력일시", f"{when:%Y-%m-%d}({WEEKDAYS[when.weekday()]}) {when:%H:%M}")
    b.rule("=")
    b.row("메뉴", "수량", "금액")
    b.rule("-")
    for line in order.lines:
        b.row(line.name, str(line.qty), "서비스" if line.complimentary else
              amount_text(line.gross))
        if line.options:
            b.indented(f"+ {line.options_text()}", 2)
        if line.discount_amount:
            b.row("할인", "", amount_text(line.discount_amount, True), indent=2)
    totals = order.totals()
    b.rule("-")
    if totals.order_discount:
        b.pair("주문 할인", amount_text(totals.order_discount, True))
    b.pair("합계", amount_text(totals.total), bold=True, double=True)
    if check.kept:
        b.pair("받은 금액", amount_text(check.kept, True))
        b.pair("남은 금액", amount_text(check.due), bold=True)
    if check.split is not None:
        b.rule("-")
        count = len(check.split.parts)
        for part in check.split.parts:
            left = check.part_due(part.index)
            state = "결제 완료" if left == 0 else amount_text(left)
            b.pair(f"{part.index + 1}/{count} ({amount_text(part.amount)})", state)
    b.rule("=")
    return b.layout(training=order.training)
