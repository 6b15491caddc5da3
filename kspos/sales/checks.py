"""A restaurant's checks (후불): an order that lives on a table, grows in rounds sent to the
kitchen, moves, merges, and is paid in parts.

A check IS a ``sale_order`` (state ``open``, ``table_id`` set, ``terminal`` NULL while it sits
on the floor), so VAT, tenders, refunds, the Z report and the office's facts work on it as on
any sale. Nothing is written until the first round is sent; from then on the check is durable
(the round, its lines, its audit entry and its kitchen slip commit together).

The API the screens use (all blocking, Qt-free; a refusal is a :class:`CheckError` or another
:class:`~kspos.messages.DomainError` whose ``text(lang)`` is the sentence to show):

* the floor: ``floor() -> FloorView`` (one read); the owner's editor (action ``floor_edit``):
  ``add_zone``, ``rename_zone``, ``delete_zone``, ``add_table``, ``update_table``,
  ``delete_table``; ``seed_floor`` for demo data (kspos/sales/floor_editor.py);
* a table: ``open_check(table_id, staff, guests)`` → :class:`Check` (its open check, or a new
  one not saved yet), ``load_check(order_id)``; lines are added to ``check.order`` with the
  Order's own methods (``order.add(OrderLine(..., note="덜 맵게"))``) -- only draft lines
  (``round_no == 0``) can be changed or removed that way;
* ``send_round(check, staff, memo)``, ``repeat_round(check)`` ("같은 메뉴 한 번 더"),
  ``reprint_round(check, staff)`` (재출력), ``set_guests``,
  ``cancel_sent_line(check, index, qty, reason, staff)``; ``refresh(check)`` re-reads it
  (after ``check.changed_elsewhere``) keeping this register's draft lines;
* ``move(check, to_table_id, staff)``, ``merge(into, from_table_id, staff)`` (합석),
  ``print_prebill(check, staff)`` (중간 계산서: the ``on_prebill`` hook prints it);
* paying (kspos/sales/check_payments.py): ``pay(check, request, staff)`` for the whole bill,
  or a split -- ``set_split(check, plan, staff)`` with a plan from kspos/sales/split_bill.py
  over ``check.due`` (``split_items`` takes ``check.bill_lines()``), ``pay_part(check, part,
  request, staff)``, ``clear_split``; ``refund_part(order_id, part, staff, reason)`` later;
* 마감: ``carry_over(staff)`` (이월) before ``BusinessDays.close`` when checks are still open.

The register (kspos/sales/register.py) shows a check through ``Register.check``; its ``pay``
then takes tenders on the check's order (the whole bill, no split).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.messages import DomainError
from kspos.receipts.kitchen_slip import KitchenSlip, SlipLine
from kspos.sales.audit import audit
from kspos.sales.check_payments import CheckPayments
from kspos.sales.floor import TablePlace
from kspos.sales.floor_editor import FloorEditor
from kspos.sales.orders import Order, OrderError, OrderLine, OrderState, _totals_of
from kspos.sales.split_bill import BillLine, SplitPlan
from kspos.sales.staff import StaffMember, require
from kspos.store import checks as store
from kspos.store import orders as order_rows
from kspos.store.sql import moment
from kspos.sync.outbox import record_order

if TYPE_CHECKING:
    from kspos.sales.service import SalesService
    from kspos.store.db import Database
    from kspos.store.unit import Unit

log = logging.getLogger(__name__)

MAX_GUESTS = 99
MEMO_LONGEST = 80
MERGE_REASON = "합석"


class CheckError(DomainError, ValueError):
    """A refused change to a table's check: a message code (kspos.messages)."""


@dataclass(frozen=True, slots=True)
class Round:
    """One round sent to the kitchen."""

    no: int
    sent_at: datetime
    server: str
    memo: str = ""


@dataclass
class Check:
    """A table's check as a register holds it: its order (lines carry their ``round_no``),
    where it sits, its rounds, its split and what each part's tenders hold."""

    order: Order
    place: TablePlace
    zone: str = ""
    rounds: tuple[Round, ...] = ()
    split: SplitPlan | None = None
    part_paid: dict[int, int] = field(default_factory=dict)  # part index → kept won
    bill_printed_at: datetime | None = None
    opened_at: datetime | None = None  # the first round sent
    carried: bool = False  # 이월 from an earlier business day
    kept: int = 0  # what all its tenders took and still hold

    @property
    def guests(self) -> int:
        return self.order.guests

    @property
    def draft_lines(self) -> list[OrderLine]:
        """Lines not sent to the kitchen yet (the next round)."""
        return [line for line in self.order.lines if not line.round_no]

    @property
    def sent(self) -> bool:
        """Whether a round was sent (the check is saved)."""
        return self.order.id is not None

    @property
    def due(self) -> int:
        """What is still to pay: the total less the tenders kept."""
        return self.order.total - self.kept

    def part_due(self, part: int) -> int:
        """What part ``part`` of the split still has to pay."""
        if self.split is None or not 0 <= part < len(self.split.parts):
            raise CheckError("check.no_such_part")
        return self.split.parts[part].amount - self.part_paid.get(part, 0)

    def bill_lines(self) -> list[BillLine]:
        """The lines as :func:`~kspos.sales.split_bill.split_items` needs them (same
        indexes as ``order.lines``)."""
        return [BillLine(line.name, line.qty, line.amount) for line in self.order.lines]


def _memo(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MEMO_LONGEST:
        raise CheckError("check.memo_long", most=MEMO_LONGEST)
    return text


def _slip_lines(lines: list[OrderLine]) -> tuple[SlipLine, ...]:
    return tuple(SlipLine(line.name, line.qty, line.category_name, line.options_text(),
                          line.note) for line in lines)


class CheckService(CheckPayments, FloorEditor):
    """Tables and their checks on one database, over the sales service that writes orders
    and takes tenders. ``on_kitchen(unit, slip)`` runs inside the transaction that commits a
    round or a cancel (the kitchen's queue commits with it: no slip is ever lost)."""

    def __init__(self, db: Database, sales: SalesService,
                 clock: Callable[[], datetime] = datetime.now,
                 on_kitchen: Callable[[Unit, KitchenSlip], object] | None = None,
                 terminal: str | None = None,
                 on_prebill: Callable[[Check], object] | None = None) -> None:
        self.db, self.sales, self.clock = db, sales, clock
        self.on_kitchen = on_kitchen
        self.on_prebill = on_prebill
        self.terminal = terminal

    # --- opening and reading a check ------------------------------------------------------

    def open_check(self, table_id: int, staff: StaffMember | None, guests: int = 0) -> Check:
        """The table's open check, or a new one (not saved until its first round)."""
        require(staff, "sell")
        found = store.open_on_now(self.db, table_id)
        if found is not None:
            return self.load_check(found)
        if guests and not 1 <= guests <= MAX_GUESTS:
            raise CheckError("check.guests_range", most=MAX_GUESTS)
        with self.db.session() as s:
            row = store.table(s, table_id)
        if row is None:
            raise CheckError("check.no_such_table")
        order = Order(table_no=row.name, table_id=row.id, zone=row.zone, guests=guests)
        return Check(order, _place(row), row.zone)

    def load_check(self, order_id: int) -> Check:
        """The check of order ``order_id`` as committed."""
        order = self.sales.load(order_id)
        with self.db.session() as s:
            return self._check_of(s, order)

    def _check_of(self, s: Unit, order: Order) -> Check:
        assert order.id is not None
        row = store.check_of(s, order.id)
        if row is None or row.table_id is None:
            raise CheckError("check.not_a_check")
        place_row = store.table(s, row.table_id)
        place = _place(place_row) if place_row else TablePlace(row.table_id, 0,
                                                               order.table_no or "", 0, 0)
        rounds = tuple(Round(int(n), moment(at), str(who), str(memo))
                       for n, at, who, memo in store.rounds(s, order.id))
        kept = store.part_kept(s, order.id)
        split = _plan_of(store.split_of(s, order.id))
        return Check(order, place, row.zone, rounds, split,
                     {p: k for p, k in kept.items() if p >= 0},
                     moment(row.bill_printed_at) if row.bill_printed_at else None,
                     moment(row.created_at), bool(row.carry_over), sum(kept.values()))

    def refresh(self, check: Check) -> Check:
        """The check as committed now, keeping this register's draft lines."""
        if check.order.id is None:
            return check
        fresh = self.load_check(check.order.id)
        for line in check.draft_lines:
            if fresh.order.state is OrderState.OPEN:
                fresh.order.add(line)
        return fresh

    # --- rounds ---------------------------------------------------------------------------

    def send_round(self, check: Check, staff: StaffMember | None, memo: str = "") -> Check:
        """Send the draft lines to the kitchen as the next round, in one transaction: the
        order written (the first round gives it its receipt number), the lines marked, the
        round, its audit entry and its kitchen slip."""
        member = require(staff, "sell")
        memo = _memo(memo)
        drafts = check.draft_lines
        if not drafts:
            raise CheckError("check.empty_round")
        order = check.order
        before = (list(order.lines), order.id, order.receipt_no, order.check_rev)
        now = self.clock()
        try:
            with self.db.session() as s:
                # read before the write lock: a stale number is caught by the bump below
                number = 1 if order.id is None else store.last_round(s, order.id) + 1
                order.lines = [replace(ln, round_no=number) if not ln.round_no else ln
                               for ln in order.lines]
                try:
                    self.sales._write_order(s, order, member)  # takes the write lock
                except store.TableTaken:  # the file's one open check per table
                    raise CheckError("check.table_taken", table=order.table_no or "") from None
                assert order.id is not None and order.table_id is not None
                if store.split_of(s, order.id) is not None:
                    raise CheckError("check.split_set")  # the parts would not cover it
                if not store.bump(s, order.id, order.check_rev, bill_printed_at=None):
                    raise OrderError("check.changed_elsewhere")
                store.insert_round(s, order.id, number, now, member.id, memo)
                audit(s, "check_round", member.id, order.id, round=number, memo=memo,
                      lines=[[ln.name, ln.qty] for ln in drafts], table=order.table_no)
                if self.on_kitchen is not None:
                    self.on_kitchen(s, KitchenSlip(
                        order.table_no or "", number, now, member.name, _slip_lines(drafts),
                        memo, order.guests, order.zone, order_ref=order.receipt_no or ""))
        except BaseException:
            order.lines, order.id, order.receipt_no, order.check_rev = before
            raise
        order.check_rev += 1
        check.rounds = (*check.rounds, Round(number, now, member.name, memo))
        check.bill_printed_at = None
        check.opened_at = check.opened_at or now
        return check

    def repeat_round(self, check: Check, round_no: int | None = None) -> Check:
        """같은 메뉴 한 번 더: the last (or given) round's lines again as draft lines, memos
        kept."""
        number = round_no if round_no is not None else (check.rounds[-1].no if check.rounds
                                                        else 0)
        lines = [ln for ln in check.order.lines if number and ln.round_no == number]
        if not lines:
            raise CheckError("check.no_round")
        for line in lines:
            check.order.add(replace(line, round_no=0))
        return check

    def reprint_round(self, check: Check, staff: StaffMember | None,
                      round_no: int | None = None) -> KitchenSlip:
        """재출력: round ``round_no`` (the last by default) to the kitchen again, marked as a
        reprint, with the lines of that round still on the check; audited."""
        member = require(staff, "reprint")
        number = round_no if round_no is not None else (check.rounds[-1].no if check.rounds
                                                        else 0)
        found = next((r for r in check.rounds if r.no == number), None)
        lines = [ln for ln in check.order.lines if number and ln.round_no == number]
        if found is None or check.order.id is None:
            raise CheckError("check.no_round")
        order = check.order
        slip = KitchenSlip(order.table_no or "", number, self.clock(), member.name,
                           _slip_lines(lines), found.memo, order.guests, order.zone,
                           reprint=True, order_ref=order.receipt_no or "")
        with self.db.session() as s:
            audit(s, "check_reprint", member.id, order.id, round=number)
            if self.on_kitchen is not None:
                self.on_kitchen(s, slip)
        return slip

    def set_guests(self, check: Check, guests: int, staff: StaffMember | None) -> Check:
        """인원: 1-99 guests (saved at once on a check already sent)."""
        member = require(staff, "sell")
        if isinstance(guests, bool) or not isinstance(guests, int) \
                or not 1 <= guests <= MAX_GUESTS:
            raise CheckError("check.guests_range", most=MAX_GUESTS)
        order = check.order
        if order.id is not None:
            with self.db.session() as s:
                if not store.bump(s, order.id, order.check_rev, guests=guests):
                    raise CheckError("check.changed_elsewhere")
                audit(s, "check_guests", member.id, order.id, guests=guests,
                      before=order.guests)
            order.check_rev += 1
        order.guests = guests
        return check

    def cancel_sent_line(self, check: Check, index: int, qty: int, reason: str,
                         staff: StaffMember | None) -> Check:
        """주문 취소 of ``qty`` of a sent line: the line goes down (removed at 0), audited,
        and a 취소 slip goes to the kitchen, in one transaction. Refused without a reason,
        under what is already paid, and while the bill is split."""
        member = require(staff, "sell")
        reason = _memo(reason)
        if not reason:
            raise CheckError("check.reason_required")
        order = check.order
        if not 0 <= index < len(order.lines) or not order.lines[index].round_no:
            raise CheckError("check.line_not_sent")
        line = order.lines[index]
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= line.qty:
            raise CheckError("check.cancel_qty", most=line.qty)
        if check.split is not None:
            raise CheckError("check.split_set")
        lines = list(order.lines)
        if qty == line.qty:
            del lines[index]
        else:
            lines[index] = replace(line, qty=line.qty - qty)
        before = order.lines
        now = self.clock()
        try:
            with self.db.session() as s:
                assert order.id is not None
                order.lines = lines
                self.sales._write_order(s, order, member)  # takes the write lock
                kept = order_rows.kept(s, order.id)
                if _totals_of(lines, order.order_discount).total < kept:
                    raise OrderError("order.below_paid", paid=kept)
                if not store.bump(s, order.id, order.check_rev):
                    raise CheckError("check.changed_elsewhere")
                audit(s, "check_cancel", member.id, order.id, name=line.name, qty=qty,
                      reason=reason, round=line.round_no, amount=line.unit_price * qty)
                if self.on_kitchen is not None:
                    self.on_kitchen(s, KitchenSlip(
                        order.table_no or "", line.round_no, now, member.name,
                        _slip_lines([replace(line, qty=qty)]), "", order.guests, order.zone,
                        cancel=True, reason=reason, order_ref=order.receipt_no or ""))
        except BaseException:
            order.lines = before
            raise
        order.check_rev += 1
        if not order.lines and not check.kept:  # nothing left: the table is free again
            self.sales.void(order, member, reason)
        return check

    # --- moving and merging ---------------------------------------------------------------

    def move(self, check: Check, to_table_id: int, staff: StaffMember | None) -> Check:
        """테이블 이동: refused when the target has an open check (merge instead)."""
        member = require(staff, "sell")
        order = check.order
        with self.db.session() as s:
            target = store.table(s, to_table_id)
            if target is None:
                raise CheckError("check.no_such_table")
            if order.id is None:  # nothing sent yet: only this register knows the check
                if store.open_on(s, to_table_id) is not None:
                    raise CheckError("check.table_occupied", table=target.name)
            elif not store.move(s, order.id, order.check_rev, target.id, target.name,
                                target.zone):
                if store.open_on(s, to_table_id) is not None:
                    raise CheckError("check.table_occupied", table=target.name)
                raise CheckError("check.changed_elsewhere")
            else:
                audit(s, "check_move", member.id, order.id, to=target.name,
                      **{"from": order.table_no})
        if order.id is not None:
            order.check_rev += 1
        order.table_id, order.table_no, order.zone = target.id, target.name, target.zone
        check.place, check.zone = _place(target), target.zone
        return check

    def merge(self, into: Check, from_table_id: int, staff: StaffMember | None) -> Check:
        """합석: the other table's check (lines with their rounds, and its guests) joins
        ``into``; the other order is voided (reason 합석) in the same transaction. Refused
        when either check has tenders or a split."""
        member = require(staff, "sell")
        order = into.order
        if order.id is None:
            raise CheckError("check.merge_unsent")
        other_id = store.open_on_now(self.db, from_table_id)
        if other_id is None or other_id == order.id:
            raise CheckError("check.table_empty")
        other = self.load_check(other_id)
        if into.kept or other.kept or into.split or other.split:
            raise CheckError("check.merge_paid")
        drafts = into.draft_lines
        sent = [ln for ln in order.lines if ln.round_no]
        before = (order.lines, order.guests)
        now = self.clock()
        try:
            with self.db.session() as s:
                # the other check first (the write lock): a stale copy must not lose a round
                if not store.bump(s, other_id, other.order.check_rev):
                    raise CheckError("check.changed_elsewhere")
                if order_rows.kept(s, order.id) or order_rows.kept(s, other_id) or \
                        store.split_of(s, order.id) or store.split_of(s, other_id):
                    raise CheckError("check.merge_paid")
                order.lines = sent + other.order.lines
                order.guests += other.order.guests
                self.sales._write_order(s, order, member)
                if not store.bump(s, order.id, order.check_rev):
                    raise CheckError("check.changed_elsewhere")
                total = order_rows.void(s, other_id, ("open",))
                assert total is not None
                record_order(s, other_id, now)  # the office learns of the void
                audit(s, "void", member.id, other_id, reason=MERGE_REASON, total=total,
                      after_payment=False)
                audit(s, "check_merge", member.id, order.id, table=order.table_no,
                      other=other.order.table_no, other_order=other_id)
        except BaseException:
            order.lines, order.guests = before
            raise
        order.check_rev += 1
        order.lines = order.lines + drafts  # the joined lines keep their round numbers;
        return into  # the rounds (check_round) stay those this table sent, as on reload

    def print_prebill(self, check: Check, staff: StaffMember | None) -> Check:
        """중간 계산서: the tile shows 계산서 출력됨 until the next round; ``on_prebill``
        prints it."""
        member = require(staff, "sell")
        order = check.order
        if order.id is None:
            raise CheckError("check.not_sent")
        now = self.clock()
        with self.db.session() as s:
            if not store.set_bill_printed(s, order.id, now):
                raise CheckError("check.changed_elsewhere")
            audit(s, "prebill", member.id, order.id, total=order.total)
        check.bill_printed_at = now
        if self.on_prebill is not None:
            try:
                self.on_prebill(check)
            except Exception:  # noqa: BLE001 - a printer fault must not undo the state
                log.exception("printing the pre-bill")
        return check


def _place(row: Any) -> TablePlace:
    return TablePlace(int(row.id), int(row.zone_id), str(row.name), int(row.x), int(row.y),
                      int(row.w), int(row.h), int(row.seats))


def _plan_of(found: tuple[str, str] | None) -> SplitPlan | None:
    from kspos.sales.check_payments import plan_from_json

    return None if found is None else plan_from_json(*found)
