"""The sales service: orders into the database, tenders, holds, voids and refunds.

Every step that involves money writes first and asks the device or host second (the gateway
records inside the transaction that finishes its own bookkeeping). All methods are blocking and
Qt-free; the cashier screen calls the slow ones through its background-operation helper.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.money import share
from kspos.sales.audit import audit
from kspos.sales.days import BusinessDays
from kspos.sales.giving_back import GivingBack, PaymentInfo
from kspos.sales.giving_back import RefundOutcome as RefundOutcome  # its old home, re-exported
from kspos.sales.orders import (
    ChosenOption,
    Discount,
    Order,
    OrderError,
    OrderLine,
    OrderState,
    changed_elsewhere,
    check_transition,
)
from kspos.sales.payments import (
    Method,
    PaymentError,
    PaymentGateway,
    TenderRequest,
    TenderResult,
    check_cash_received,
)
from kspos.sales.staff import StaffMember, require
from kspos.store import orders as table
from kspos.store.days import open_day_key
from kspos.store.models import OrderLine as LineRow
from kspos.store.models import Payment
from kspos.store.outbox import identity_of
from kspos.store.pickup import assign as assign_pickup
from kspos.sync.identity import receipt_number
from kspos.sync.outbox import record_order, record_payment

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit


@dataclass(frozen=True)
class OrderSummary:
    """One row of 거래내역 (history) or 보류목록 (held orders)."""

    id: int
    receipt_no: str
    state: OrderState
    total: int
    refunded: int
    paid_at: datetime | None
    created_at: datetime
    methods: tuple[str, ...]
    first_line: str
    line_count: int
    training: bool
    table_no: str | None


def _line_values(order_id: int, position: int, line: OrderLine) -> dict[str, object]:
    """An order_line row's columns (every one: table inserts apply no model defaults)."""
    options = [[o.group, o.name, o.name_en, o.price_delta] for o in line.options]
    return dict(
        order_id=order_id, position=position, item_id=line.item_id,
        category_id=line.category_id, category_name=line.category_name, name=line.name,
        name_en=line.name_en, options_json=json.dumps(options, ensure_ascii=False),
        unit_price=line.unit_price, qty=line.qty,
        discount_kind=line.discount.kind if line.discount else None,
        discount_value=line.discount.value if line.discount else 0,
        discount_amount=line.discount_amount, complimentary=line.complimentary,
        tax_free=line.tax_free, amount=line.amount, refunded_qty=0, note=line.note,
        round_no=line.round_no)


def _row_to_line(row: LineRow) -> OrderLine:
    options = tuple(ChosenOption(g, n, e, d) for g, n, e, d in json.loads(row.options_json))
    base = row.unit_price - sum(o.price_delta for o in options)
    discount = Discount(row.discount_kind, row.discount_value) if row.discount_kind else None
    return OrderLine(item_id=row.item_id, name=row.name, base_price=base, qty=row.qty,
                     options=options, name_en=row.name_en, category_id=row.category_id,
                     category_name=row.category_name, tax_free=row.tax_free,
                     discount=discount, complimentary=row.complimentary, note=row.note,
                     round_no=row.round_no)


# An unpaid order some of whose tenders were already given back (주문취소 of a split, cut
# short by a crash): paying it again would count the money given back as paid.
class SalesService(GivingBack):
    """Orders, tenders and refunds on one database (refunds: kspos/sales/giving_back.py)."""

    def __init__(self, db: Database, gateways: dict[Method, PaymentGateway],
                 clock: Callable[[], datetime] = datetime.now,
                 on_paid: Callable[[Unit, int], object] | None = None,
                 on_refunded: Callable[[int, int], object] | None = None,
                 terminal: str | None = None, order_numbers: str = "off") -> None:
        self.db = db
        # [store] order_numbers: a takeout/cafe order takes its 주문번호 in the transaction
        # that marks it paid (kspos/store/pickup.py), before on_paid draws its slips
        self.order_numbers = order_numbers
        self.terminal = terminal  # this register's name, kept on the orders it saves
        self.gateways = gateways
        self.clock = clock
        self.days = BusinessDays(db, clock)
        # Runs in the transaction that marks an order paid (the store queues the sale slip
        # there: a crash cannot leave a paid order without its receipt, and it costs no commit).
        self.on_paid = on_paid
        # Runs after a refund, with the order and the last refund row before it (the store
        # queues the 환불 영수증 of what the refund recorded); it must not raise.
        self.on_refunded = on_refunded

    # --- persistence ----------------------------------------------------------------------------

    def _write_order(self, s: Unit, order: Order, staff: StaffMember | None) -> None:
        """Insert or update the order row and replace its lines (only while open/held).

        Plain statements on the session's connection: this runs in every sale."""
        totals = order.totals()
        columns: dict[str, object] = dict(
            state=order.state.value, table_no=order.table_no, note=order.note,
            order_discount_kind=order.order_discount.kind if order.order_discount else None,
            order_discount_value=order.order_discount.value if order.order_discount else 0,
            gross=totals.gross, discount_total=totals.discounts, service_total=totals.service,
            total=totals.total, supply=totals.split.supply, vat=totals.split.vat,
            tax_free=totals.split.tax_free, terminal=self.terminal)
        if order.table_id is not None:  # a table's check sits on the floor, on no register
            columns.update(terminal=None, table_id=order.table_id, zone=order.zone,
                           guests=order.guests)
        if order.id is None:
            taken = table.next_receipt(s)  # (the write transaction begins here)
            if taken is None:
                raise OrderError("day.not_open")
            day_id, day, seq = taken
            receipt_no = receipt_number(day, identity_of(s).terminal, seq)
            order_id = table.insert_order(s, dict(
                columns, receipt_no=receipt_no, business_day_id=day_id,
                training=order.training, staff_id=staff.id if staff else None,
                created_at=self.clock()))
        else:
            order_id = order.id
            # Conditional: another register may have paid, voided or held it meanwhile.
            found = table.update_unsettled(s, order_id, columns)
            if found is None:
                raise self._changed_elsewhere(s, order_id)
            # read with the write lock held: a stale copy of a table's check must not write
            # over a round (or a cancel, a move) another register committed
            if order.table_id is not None and table.check_rev(s, order_id) != order.check_rev:
                raise OrderError("check.changed_elsewhere")
            receipt_no = found
            table.delete_lines(s, order_id)
        table.insert_lines(s, [_line_values(order_id, position, line)
                               for position, line in enumerate(order.lines)])
        order.id, order.receipt_no = order_id, receipt_no

    def save(self, order: Order, staff: StaffMember | None) -> Order:
        """Persist an open order (assigns its receipt number on first save); a saved order
        may be saved again empty (the cashier took every line off)."""
        if order.is_empty and order.id is None:
            raise OrderError("order.empty")
        with self.db.session() as s:
            self._write_order(s, order, staff)
        return order

    def load(self, order_id: int) -> Order:
        with self.db.session() as s:
            row = table.order(s, order_id)
            if row is None:
                raise OrderError("order.not_found")
            lines = table.lines(s, order_id)
            discount = Discount(row.order_discount_kind, row.order_discount_value) \
                if row.order_discount_kind else None
            paid = table.kept(s, order_id)
            return Order(lines=[_row_to_line(r) for r in lines], order_discount=discount,
                         state=OrderState(row.state), table_no=row.table_no, note=row.note,
                         training=row.training, id=row.id, receipt_no=row.receipt_no,
                         paid=paid, table_id=row.table_id, zone=row.zone, guests=row.guests,
                         check_rev=row.check_rev)

    # --- hold, recall, void -----------------------------------------------------------------------

    def hold(self, order: Order, staff: StaffMember | None) -> Order:
        check_transition(order.state, OrderState.HELD)
        if order.is_empty:
            raise OrderError("order.nothing_to_hold")
        with self.db.session() as s:
            if self._paid_sum(s, order.id) if order.id else 0:
                raise OrderError("order.hold_partly_paid")
            order.state = OrderState.HELD
            self._write_order(s, order, staff)
            audit(s, "hold", staff.id if staff else None, order.id)
        return order

    def recall(self, order_id: int, staff: StaffMember | None) -> Order:
        """Take a held order back to the counter; only one register can (conditional)."""
        order = self.load(order_id)
        check_transition(order.state, OrderState.OPEN)
        with self.db.session() as s:
            if not table.reopen_held(s, order_id, self.terminal):
                raise self._changed_elsewhere(s, order_id)  # on this register's counter now
            audit(s, "recall", staff.id if staff else None, order_id)
        order.state = OrderState.OPEN
        return order

    @staticmethod
    def _changed_elsewhere(s: Unit, order_id: int) -> OrderError:
        """Why a conditional state change found nothing to change."""
        state = table.state_of(s, order_id)
        if state is None:
            return OrderError("order.not_found")
        return changed_elsewhere(state)

    def void(self, order: Order, staff: StaffMember | None, reason: str = "") -> Order:
        """Void an unpaid order; a paid one needs owner rights and is refunded in full first."""
        if order.state in (OrderState.PAID, OrderState.PARTLY_REFUNDED):
            require(staff, "void_paid")
            assert order.id is not None
            self.refund(order.id, staff, None, reason or "주문취소")
            order.state = OrderState.REFUNDED
        if order.id is None:
            check_transition(order.state, OrderState.VOIDED)
            order.state = OrderState.VOIDED
            return order
        if order.state in (OrderState.OPEN, OrderState.HELD) and table.has_kept_tenders(
                self.db, order.id):
            self.undo_tenders(order, staff, reason)  # voids it too
            return order
        refunded = order.state is OrderState.REFUNDED
        # From the state this register saw (conditional): a stale copy of an order paid
        # elsewhere must not void it with the money kept.
        expected = ("refunded",) if refunded else table.UNSETTLED
        with self.db.session() as s:
            if not refunded and order.state is OrderState.OPEN:
                self._write_order(s, order, staff)  # as on the counter, not as last saved
            total = table.void(s, order.id, expected)
            if total is None:
                raise self._changed_elsewhere(s, order.id)
            if not refunded and self._kept(s, order.id):
                raise OrderError("order.void_partly_paid")
            if not refunded:  # never paid: the office learns of it (and its tenders') here
                record_order(s, order.id, self.clock())
            audit(s, "void", staff.id if staff else None, order.id, reason=reason,
                  total=total, after_payment=refunded)
        order.state = OrderState.VOIDED
        return order

    @staticmethod
    def _kept(s: Unit, order_id: int) -> int:
        """What the order's tenders took and still hold (taken − given back)."""
        return table.kept(s, order_id)

    # --- tenders --------------------------------------------------------------------------------

    @staticmethod
    def _paid_sum(s: Unit, order_id: int | None) -> int:
        """Tenders recorded on the order, as the session sees them (its pending rows flushed).

        A plain statement: it runs twice in every checkout, and the ORM query costs several
        times the statement."""
        return 0 if order_id is None else table.taken(s, order_id)

    def remaining(self, order: Order) -> int:
        """What is still due on the order (its total minus the tenders taken so far)."""
        with self.db.session() as s:
            return order.total - self._paid_sum(s, order.id)

    def payments(self, order_id: int) -> list[PaymentInfo]:
        with self.db.session() as s:
            return self._payment_infos(s, order_id)

    @staticmethod
    def _payment_infos(s: Unit, order_id: int) -> list[PaymentInfo]:
        rows = table.payments(s, order_id)
        return [PaymentInfo(r.id, Method(r.method), r.amount, r.refunded, r.tendered,
                            r.change, r) for r in rows if r.id is not None]

    def _recorder(self, order: Order, staff: StaffMember | None, save_first: bool = False,
                  split_part: int | None = None) -> Callable[[Unit, TenderResult], None]:
        def record(s: Unit, result: TenderResult) -> None:
            if not result.approved:
                return
            if save_first:
                self._write_order(s, order, staff)
            assert order.id is not None
            # What the database holds for the order, still unpaid: a no-op UPDATE, so the
            # check and the write lock come in one statement (another register may have paid
            # or voided it; raising here rolls back, and a host tender is then reversed).
            found = table.lock_unpaid(s, order.id)
            if found is None:
                raise self._changed_elsewhere(s, order.id)
            total, training, given_back = found
            if given_back:
                raise OrderError("order.undoing")
            if order.table_id is not None:  # paid on this day now: 이월 no longer (마감 asks)
                table.uncarry(s, order.id)
            fields = {f.name: getattr(result, f.name) for f in dataclass_fields(result)
                      if f.name in Payment.model_fields and f.name not in ("amount", "method")}
            now = self.clock()
            payment_id = table.insert_payment(s, dict(
                fields, order_id=order.id, method=result.method.value, amount=result.amount,
                training=training, created_at=now, split_part=split_part))
            if split_part is not None:  # two registers paying one part: the second is over
                over = table.part_over(s, order.id, split_part)
                if over is not None:
                    raise PaymentError("payment.over_total", taken=over[0], total=over[1])
            record_payment(s, payment_id, now)  # the tender's outbox row, in its transaction
            taken = self._paid_sum(s, order.id)
            if taken > total and result.amount:
                raise PaymentError("payment.over_total", taken=taken, total=total)
            paid = taken >= total
            if paid:
                table.mark_paid(s, order.id, OrderState.PAID.value, now)
                if self.order_numbers != "off" and order.table_id is None:
                    assign_pickup(s, order.id, self.order_numbers)
                record_order(s, order.id, now)
            audit(s, "tender", staff.id if staff else None, order.id,
                  method=result.method.value, amount=result.amount)
            if paid and self.on_paid is not None:
                self.on_paid(s, order.id)

        return record

    def take_tender(self, order: Order, request: TenderRequest,
                    staff: StaffMember | None, split_part: int | None = None) -> TenderResult:
        """Take one tender (of possibly several) on ``order``; the order is saved first.

        When the tenders cover the total the order becomes paid. ``split_part``: the part
        of a table check's split this tender pays (kept on the payment row; the recorder
        refuses a tender that would pay the part more than its amount).
        """
        if order.state is not OrderState.OPEN:
            raise OrderError("order.not_payable")
        if order.id is not None and table.being_given_back(self.db, order.id):
            raise OrderError("order.undoing")  # before anything is sent
        if order.table_id is not None and open_day_key(self.db) is None:
            # a table's check carried over (이월) waits for the next day: paid between the Z
            # and the next 개점 it would count on a day already closed
            raise OrderError("day.not_open")
        gateway = self.gateways.get(request.method)
        if gateway is None:
            raise PaymentError("payment.not_configured", method=request.method.value)
        # Cash asks nobody outside, so the order and its tender commit together (one fsync).
        # A host tender saves the order before the host is asked: in the transaction of the
        # request's intent when the gateway offers that, else on its own first.
        cash = request.method is Method.CASH
        folded = not cash and gateway.saves_order_before_send
        if folded or cash:  # cash: saved (again) in the tender's transaction
            due = order.total - self._paid_sum_now(order.id)
        else:
            with self.db.session() as s:
                self._write_order(s, order, staff)
                due = order.total - self._paid_sum(s, order.id)
        self._check_amount(order, request, due)
        tax_free = request.tax_free or share(order.totals().split.tax_free, request.amount,
                                             order.total)
        request = replace(request, receipt_no=order.receipt_no or "", training=order.training,
                          tax_free=tax_free,
                          prepare=self._preparer(order, request, staff) if folded else None)
        record = self._recorder(order, staff, save_first=cash, split_part=split_part)
        unsaved = order.id is None
        try:
            result = gateway.authorize(request, record)
        except BaseException:
            if unsaved and order.id is not None and not self._stored(order.id):
                order.id, order.receipt_no = None, None  # its transaction was rolled back
            raise
        if order.id is not None:  # the database, not the callback, says what was committed
            found = table.committed_state(self.db, order.id)
            order.state = OrderState(found[0]) if found else OrderState.OPEN
            order.paid = found[1] if found else 0
        return result

    @staticmethod
    def _check_amount(order: Order, request: TenderRequest, due: int) -> None:
        if order.total <= 0 and request.amount == 0 and request.method is Method.CASH:
            return  # an all-서비스 order settles with a 0원 cash tender
        if not 0 < request.amount <= due:
            raise PaymentError("payment.amount_range", due=due)
        if request.method is Method.CASH:
            check_cash_received(request.amount, request.tendered)

    def _preparer(self, order: Order, request: TenderRequest,
                  staff: StaffMember | None) -> Callable[[Unit], str]:
        """Save the order (checking the amount again) inside the host request's transaction."""

        def prepare(s: Unit) -> str:
            self._write_order(s, order, staff)
            self._check_amount(order, request, order.total - self._paid_sum(s, order.id))
            return order.receipt_no or ""

        return prepare

    def _stored(self, order_id: int) -> bool:
        return table.exists(self.db, order_id)

    def _paid_sum_now(self, order_id: int | None) -> int:
        """Tenders taken on the order so far, read on the plain connection (no ORM session
        for a check before a sale; the transaction that saves the order checks again)."""
        return 0 if order_id is None else table.taken_now(self.db, order_id)

    # --- history --------------------------------------------------------------------------------

    def history(self, limit: int = 200, states: tuple[str, ...] | None = None,
                day_id: int | None = None) -> list[OrderSummary]:
        with self.db.session() as s:
            orders = table.recent(s, limit, states, day_id)
            ids = [o.id for o in orders if o.id is not None]
            methods = table.methods_of(s, ids)
            lines = table.lines_of(s, ids)
            return [OrderSummary(
                o.id, o.receipt_no, OrderState(o.state), o.total, o.refunded, o.paid_at,
                o.created_at, tuple(methods.get(o.id, [])),
                lines[o.id][0].name if lines.get(o.id) else "", len(lines.get(o.id, [])),
                o.training, o.table_no) for o in orders if o.id is not None]

    def held(self) -> list[OrderSummary]:
        return self.history(states=("held",))
