"""Giving money back: refunds of paid orders and the undoing of an abandoned split's tenders.

Part of :class:`kspos.sales.service.SalesService` (it inherits :class:`GivingBack`), kept in
its own module so each stays a size one can read. The order is claimed first
(kspos/sales/refunds.py); each tender's refund is recorded, with its outbox row, in the
transaction that clears the host's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.devices.cards import mask_identity
from kspos.money import div_half_up, share
from kspos.sales import refunds
from kspos.sales.audit import audit
from kspos.sales.orders import Order, OrderError, OrderState
from kspos.sales.payments import (
    SELF_ISSUED_ID,
    CancelRequest,
    Method,
    PaymentError,
    PaymentGateway,
    TenderResult,
)
from kspos.sales.staff import StaffMember, require
from kspos.store import orders
from kspos.store import refunds as refund_rows

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import OrderLine as LineRow
    from kspos.store.models import Payment, SaleOrder
    from kspos.store.unit import Unit


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    method: Method
    amount: int
    refunded: int
    tendered: int
    change: int
    row: Payment

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded


@dataclass(frozen=True)
class RefundOutcome:
    amount: int
    cash_back: int  # opens the drawer when > 0 (never in training)
    results: tuple[TenderResult, ...]
    state: OrderState

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the cashier must be told although the refund went through (e.g. the
        현금영수증 for the part kept could not be issued again)."""
        return tuple(str(r.extra["warning"]) for r in self.results if r.extra.get("warning"))



def _check_receipt_identity(plan: list[tuple[PaymentInfo, int]], identity: str | None,
                            new_identity: str | None, required: bool = True) -> None:
    """Before anything is given back: a 현금영수증 the refund cancels needs the customer's
    number again, and it must be the number of the receipt (its visible digits); a different
    number for the receipt of the cash kept is asked for explicitly (``new_identity``)."""
    from kspos.van.rules import identity_ok

    if new_identity is not None and not identity_ok(new_identity):
        raise PaymentError("payment.new_identity_invalid")
    for info, _take in plan:
        shown = info.row.cash_receipt_id_masked
        if not info.row.cash_receipt_approval_no or shown == mask_identity(SELF_ISSUED_ID):
            continue
        if not identity and required:
            raise PaymentError("payment.receipt_identity_needed")
        if identity and mask_identity(identity) != shown:
            raise PaymentError("payment.identity_mismatch", shown=shown)


def _cash_needs_identity(gateways: dict[Method, PaymentGateway]) -> bool:
    """Whether this store's cash tender cancels 현금영수증 at the host (it needs the number)."""
    cash = gateways.get(Method.CASH)
    return cash is not None and cash.needs_receipt_identity


class GivingBack:
    """The refund and undo paths of the sale service (what they need of it is declared here)."""

    db: Database
    gateways: dict[Method, PaymentGateway]
    clock: Callable[[], datetime]
    on_refunded: Callable[[int, int], object] | None

    def void(self, order: Order, staff: StaffMember | None, reason: str = "") -> Order:
        raise NotImplementedError  # SalesService's

    @staticmethod
    def _kept(s: Unit, order_id: int) -> int:
        raise NotImplementedError  # SalesService's

    @staticmethod
    def _payment_infos(s: Unit, order_id: int) -> list[PaymentInfo]:
        raise NotImplementedError  # SalesService's

    def undo_tenders(self, order: Order, staff: StaffMember | None, reason: str = "",
                     cash_receipt_identity: str | None = None) -> RefundOutcome:
        """An abandoned 복합결제: give back every tender taken on the unpaid ``order`` (card
        취소, cash back), each audited, then void it. Claimed like a refund, so two registers
        never give the same tender back."""
        if staff is None:
            raise OrderError("staff.login_required")
        if order.id is None or order.state not in (OrderState.OPEN, OrderState.HELD):
            raise OrderError("order.not_being_paid")
        token = refunds.new_claim()
        with self.db.session() as s:
            refunds.claim(s, order.id, token, ("open", "held"), staff.id)
            row = orders.order(s, order.id)
            assert row is not None
            plan = self._plan(self._payment_infos(s, order.id), self._kept(s, order.id))
        try:
            results, cash_back = self._give_back(row, plan, [], staff, reason or "주문취소",
                                                 token, (cash_receipt_identity, None),
                                                 unpaid=True)
        finally:
            refunds.release(self.db, order.id, token)
        order.paid = 0
        self.void(order, staff, reason or "주문취소")
        given = sum(r.amount for r in results)
        return RefundOutcome(given, 0 if row.training else cash_back, tuple(results),
                             OrderState.VOIDED)

    def _refund_amount(self, s: Unit, row: SaleOrder,
                       line_qty: dict[int, int] | None) -> tuple[int, list[tuple[LineRow, int]]]:
        assert row.id is not None
        lines = orders.lines(s, row.id)
        refundable = row.total - row.refunded
        if line_qty is None:
            picks = [(ln, ln.qty - ln.refunded_qty) for ln in lines if ln.qty > ln.refunded_qty]
            return refundable, picks
        subtotal = sum(ln.amount for ln in lines)
        picks, amount = [], 0
        for position, qty in line_qty.items():
            line = next((ln for ln in lines if ln.position == position), None)
            if line is None:
                raise OrderError("refund.no_such_line")
            if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
                raise OrderError("refund.bad_qty")
            if qty > line.qty - line.refunded_qty:
                raise OrderError("refund.more_than_remains", item=line.name,
                                 left=line.qty - line.refunded_qty)
            amount += div_half_up(line.amount * qty * row.total, line.qty * subtotal) \
                if subtotal else 0
            picks.append((line, qty))
        everything_left = all(ln.qty - ln.refunded_qty == dict(
            (p.position, q) for p, q in picks).get(ln.position, 0) for ln in lines)
        return (refundable if everything_left else min(amount, refundable)), picks

    def refund(self, order_id: int, staff: StaffMember | None,
               line_qty: dict[int, int] | None = None, reason: str = "",
               cash_receipt_identity: str | None = None,
               new_cash_receipt_identity: str | None = None,
               payment_ids: Sequence[int] | None = None) -> RefundOutcome:
        """Refund the whole order (``line_qty`` None) or lines {position: qty}, back to the
        original tenders, latest tender first. Needs an owner or technician.
        ``payment_ids`` (with ``line_qty`` None): give back exactly those tenders, whole
        (a part of a split check, kspos/sales/check_payments.py).

        The order is claimed (kspos/sales/refunds.py) before any money goes back: a second register
        refunding it meanwhile is refused before it sends anything. A cash tender with a
        현금영수증 needs its number again (``cash_receipt_identity``, checked against the
        masked original); the receipt for the cash kept goes to that number, or to
        ``new_cash_receipt_identity`` when the customer asks for another (audited).
        Whatever it recorded (all of it, or the tenders refunded before one failed) gets its
        slip."""
        since = self._last_refund_id(order_id)
        try:
            return self._refund(order_id, staff, line_qty, reason, cash_receipt_identity,
                                new_cash_receipt_identity, payment_ids)
        finally:
            if self.on_refunded is not None:
                self.on_refunded(order_id, since)

    def _last_refund_id(self, order_id: int) -> int:
        return refund_rows.last_refund_id(self.db, order_id)

    def _refund(self, order_id: int, staff: StaffMember | None,
                line_qty: dict[int, int] | None = None, reason: str = "",
                cash_receipt_identity: str | None = None,
                new_cash_receipt_identity: str | None = None,
                payment_ids: Sequence[int] | None = None) -> RefundOutcome:
        require(staff, "refund")
        assert staff is not None
        token = refunds.new_claim()
        with self.db.session() as s:
            refunds.claim(s, order_id, token, staff_id=staff.id)
            row = orders.order(s, order_id)
            assert row is not None
            amount, picks = self._refund_amount(s, row, line_qty)
            if amount <= 0 and row.total > 0:
                raise OrderError("refund.nothing_left")
            infos = self._payment_infos(s, order_id)
            if payment_ids is not None:
                chosen = [i for i in infos if i.id in payment_ids and i.refundable > 0]
                plan = [(i, i.refundable) for i in sorted(chosen, key=lambda i: -i.id)]
                picks = []  # money back, no lines: the part's guests ate what they paid for
                if not plan:
                    raise OrderError("refund.nothing_left")
            else:
                plan = self._plan(infos, amount)
            _check_receipt_identity(plan, cash_receipt_identity, new_cash_receipt_identity,
                                    _cash_needs_identity(self.gateways))
        try:
            results, cash_back = self._give_back(
                row, plan, picks, staff, reason, token,
                (cash_receipt_identity, new_cash_receipt_identity))
        finally:
            refunds.release(self.db, order_id, token)
        final = OrderState(refund_rows.state_now(self.db, order_id))
        given = sum(r.amount for r in results)
        return RefundOutcome(given, 0 if row.training else cash_back, tuple(results), final)

    @staticmethod
    def _plan(infos: list[PaymentInfo], amount: int) -> list[tuple[PaymentInfo, int]]:
        """``amount`` spread over the tenders, latest first: (tender, what it gives back)."""
        plan, left = [], amount
        for info in sorted(infos, key=lambda p: -p.id):
            take = min(left, info.refundable)
            if take > 0:
                plan.append((info, take))
                left -= take
        return plan

    def _give_back(self, row: SaleOrder, plan: list[tuple[PaymentInfo, int]],
                   picks: list[tuple[LineRow, int]], staff: StaffMember, reason: str,
                   token: str, identities: tuple[str | None, str | None] = (None, None),
                   unpaid: bool = False) -> tuple[list[TenderResult], int]:
        """Give back each tender's part of ``plan``; the results and the cash handed back."""
        assert row.id is not None
        results, cash_back = [], 0
        for info, take in plan:
            given = refunds.Given(row.id, info.id, take, [(ln.id or 0, q) for ln, q in picks],
                                  token, unpaid)
            results.append(self._cancel_tender(info, given, row, staff, reason, identities))
            if info.method is Method.CASH:
                cash_back += take
            picks = []  # lines are marked once, with the first tender's refund
        return results, cash_back

    def _cancel_tender(self, info: PaymentInfo, given: refunds.Given, order_row: SaleOrder,
                       staff: StaffMember, reason: str,
                       identities: tuple[str | None, str | None] = (None, None)
                       ) -> TenderResult:
        gateway = self.gateways.get(info.method)
        if gateway is None:
            raise PaymentError("payment.not_configured", method=info.method.value)
        p, amount = info.row, given.amount
        training = order_row.training
        request = CancelRequest(
            payment_id=info.id, method=info.method, amount=amount, remaining=info.refundable,
            tax_free=share(order_row.tax_free, amount, order_row.total),
            approval_no=p.approval_no, approval_date=p.approval_date,
            receipt_no=order_row.receipt_no, training=training, installment=p.installment,
            wallet=p.wallet, van_class=p.van_class, van_txn_id=p.van_txn_id,
            cash_receipt_approval_no=p.cash_receipt_approval_no,
            cash_receipt_date=p.approval_date if p.cash_receipt_approval_no else None,
            cash_receipt_purpose=p.cash_receipt_purpose,
            cash_receipt_identity=identities[0] or (
                SELF_ISSUED_ID if p.cash_receipt_id_masked == mask_identity(SELF_ISSUED_ID)
                else None), cash_receipt_new_identity=identities[1],
            remaining_tax_free=share(order_row.tax_free, info.refundable, order_row.total))

        def record(s: Unit, result: TenderResult) -> None:
            refunds.record(s, given, staff_id=staff.id, reason=reason, training=training,
                           approval_no=result.approval_no, approval_date=result.approval_date,
                           at=self.clock())
            audit(s, "tender_cancel" if given.unpaid else "refund", staff.id, given.order_id,
                  method=info.method.value, amount=amount, reason=reason)

        result = gateway.cancel(request, record)
        if not result.approved:
            raise PaymentError("refund.declined", reason=result.message, answer=result.code)
        return result
