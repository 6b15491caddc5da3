"""Paying a table's check: the whole bill, or a split (분할 계산) part by part, from any
register and at any time; a paid part refunded on its own; 이월 of open checks at 마감.

The :class:`~kspos.sales.checks.CheckService` part that touches money. Every tender goes
through :meth:`SalesService.take_tender` (its VAN approval, 현금영수증, outbox facts and
receipts as for any sale) with the part it pays kept on the payment row; the recorder refuses,
inside the tender's transaction, a tender that would pay a part more than its amount (two
registers paying one part).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.sales.audit import audit
from kspos.sales.orders import OrderError, OrderState
from kspos.sales.payments import PaymentError, TenderRequest, TenderResult
from kspos.sales.split_bill import SplitError, SplitKind, SplitPart, SplitPlan
from kspos.sales.staff import StaffMember, require
from kspos.store import checks as store
from kspos.store import days as day_rows
from kspos.store import orders as order_rows

if TYPE_CHECKING:
    from kspos.sales.checks import Check
    from kspos.sales.giving_back import RefundOutcome
    from kspos.sales.service import SalesService
    from kspos.store.db import Database


def plan_to_json(plan: SplitPlan) -> str:
    return json.dumps([{"amount": p.amount, "lines": [list(x) for x in p.lines]}
                       for p in plan.parts])


def plan_from_json(kind: str, parts_json: str) -> SplitPlan:
    parts = json.loads(parts_json)
    return SplitPlan(SplitKind(kind), tuple(
        SplitPart(i, int(p["amount"]), tuple((int(a), int(b)) for a, b in p["lines"]))
        for i, p in enumerate(parts)))


class CheckPayments:
    """Splits, tenders and refunds of a check, and 이월 (mixed into CheckService)."""

    db: Database
    sales: SalesService
    clock: Callable[[], datetime]

    def load_check(self, order_id: int) -> Check:
        raise NotImplementedError  # CheckService's

    def _payable(self, check: Check) -> None:
        from kspos.sales.checks import CheckError

        if check.order.id is None:
            raise CheckError("check.not_sent")
        if check.draft_lines:
            raise CheckError("check.unsent_lines")

    # --- splits ---------------------------------------------------------------------------

    def set_split(self, check: Check, plan: SplitPlan, staff: StaffMember | None) -> Check:
        """Split what is due on the check by ``plan`` (its parts must add up to
        ``check.due``). A split may be replaced while no part has a tender; a split by item
        only while nothing at all is paid."""
        from kspos.sales.checks import CheckError

        member = require(staff, "sell")
        self._payable(check)
        order_id = check.order.id
        assert order_id is not None
        with self.db.session() as s:
            if order_rows.lock_unpaid(s, order_id) is None:  # the write lock, then read
                raise CheckError("check.changed_elsewhere")
            kept = store.part_kept(s, order_id)
            if any(k for p, k in kept.items() if p >= 0):
                raise CheckError("check.split_locked")
            paid = sum(kept.values())
            if plan.kind is SplitKind.ITEMS and paid:
                raise SplitError("split.paid_before")
            due = check.order.total - paid
            if plan.total != due or not plan.parts:
                raise CheckError("check.split_total", total=plan.total, due=due)
            store.put_split(s, order_id, plan.kind.value, plan_to_json(plan), self.clock(),
                            member.id)
            audit(s, "check_split", member.id, order_id, kind=plan.kind.value,
                  parts=[p.amount for p in plan.parts])
        check.split, check.part_paid, check.kept = plan, {}, paid
        return check

    def clear_split(self, check: Check, staff: StaffMember | None) -> Check:
        """Take the split off (refused once a part has a tender)."""
        from kspos.sales.checks import CheckError

        member = require(staff, "sell")
        order_id = check.order.id
        if order_id is None or check.split is None:
            return check
        with self.db.session() as s:
            if order_rows.lock_unpaid(s, order_id) is None:  # the write lock, then read
                raise CheckError("check.changed_elsewhere")
            if any(k for p, k in store.part_kept(s, order_id).items() if p >= 0):
                raise CheckError("check.split_locked")
            store.drop_split(s, order_id)
            audit(s, "check_split", member.id, order_id, kind=None)
        check.split, check.part_paid = None, {}
        return check

    # --- tenders --------------------------------------------------------------------------

    def pay(self, check: Check, request: TenderRequest, staff: StaffMember | None
            ) -> TenderResult:
        """A tender on the whole bill (no split): any amount up to what is due."""
        from kspos.sales.checks import CheckError

        self._payable(check)
        if check.split is not None:
            raise CheckError("check.split_set")
        return self._tender(check, request, staff, None)

    def pay_part(self, check: Check, part: int, request: TenderRequest,
                 staff: StaffMember | None) -> TenderResult:
        """A tender on part ``part`` of the split: up to what that part still has to pay.
        The check is paid (and leaves the floor) when every part is."""
        from kspos.sales.checks import CheckError

        self._payable(check)
        if check.split is None:
            raise CheckError("check.no_split")
        left = check.part_due(part)
        if left <= 0:
            raise CheckError("check.part_paid", part=part + 1)
        if request.amount > left:
            raise PaymentError("payment.amount_range", due=left)
        return self._tender(check, request, staff, part)

    def _tender(self, check: Check, request: TenderRequest, staff: StaffMember | None,
                part: int | None) -> TenderResult:
        require(staff, "sell")
        try:
            return self.sales.take_tender(check.order, request, staff, split_part=part)
        finally:
            self._settle(check)

    def _settle(self, check: Check) -> None:
        """What the check's tenders hold now, as committed (whatever the tender did)."""
        order_id = check.order.id
        if order_id is None:
            return
        with self.db.session() as s:
            kept = store.part_kept(s, order_id)
        check.part_paid = {p: k for p, k in kept.items() if p >= 0}
        check.kept = sum(kept.values())
        check.order.paid = check.kept

    def refund_part(self, order_id: int, part: int, staff: StaffMember | None,
                    reason: str = "", cash_receipt_identity: str | None = None
                    ) -> RefundOutcome:
        """Give back exactly the tenders that paid part ``part`` of a paid check (card
        취소, cash back), through the refund path; needs refund rights."""
        from kspos.sales.checks import CheckError

        require(staff, "refund")
        ids = store.part_payments(self.db, order_id, part)
        if not ids:
            raise CheckError("check.part_not_paid", part=part + 1)
        state = self.sales.load(order_id).state
        if state is OrderState.OPEN:
            raise CheckError("check.refund_open")
        return self.sales.refund(order_id, staff, None, reason,
                                 cash_receipt_identity=cash_receipt_identity,
                                 payment_ids=ids)

    # --- 마감 -------------------------------------------------------------------------------

    def carry_over(self, staff: StaffMember | None) -> int:
        """이월: mark every open check of the open day to move onto the next business day
        when it opens (the owner's, before 마감); how many. Refused while a check holds
        tenders (they count in this day's cash: settle it, or undo them, first)."""
        from kspos.sales.checks import CheckError

        member = require(staff, "close_day")
        with self.db.session() as s:
            day = day_rows.open_day(s)
            if day is None or day.id is None:
                raise OrderError("day.none_open")
            paid = store.open_tables(s, day.id, paid=True)
            if paid:  # its tenders counted in this day's drawer: they cannot move to the next
                raise CheckError("check.carry_paid", tables=", ".join(paid))
            ids = store.mark_carry_over(s, day.id)
            if ids:
                audit(s, "check_carry_over", member.id, None, day=day.day, orders=ids,
                      tables=store.open_tables(s, day.id))
        return len(ids)
