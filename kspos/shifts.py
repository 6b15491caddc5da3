"""The business day (영업일): opened with a cash float, closed with counted cash → over/short."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from kspos.audit import audit
from kspos.orders import OrderError
from kspos.store.db import Database
from kspos.store.models import BusinessDay, Payment, Refund, SaleOrder
from kspos.users import StaffMember, require

DENOMINATIONS = (50_000, 10_000, 5_000, 1_000, 500, 100, 50, 10)


@dataclass(frozen=True)
class DayInfo:
    id: int
    day: str  # YYYY-MM-DD
    opening_float: int
    closed: bool
    expected_cash: int | None = None
    counted_cash: int | None = None
    over_short: int | None = None


def _info(row: BusinessDay) -> DayInfo:
    assert row.id is not None
    return DayInfo(row.id, row.day, row.opening_float, row.closed_at is not None,
                   row.expected_cash, row.counted_cash, row.over_short)


def count_cash(counts: dict[int, int]) -> int:
    """Total of a cash count by denomination (won → pieces)."""
    total = 0
    for denomination, pieces in counts.items():
        if denomination not in DENOMINATIONS:
            raise OrderError(f"{denomination}원권은 없습니다 (no such denomination)")
        if isinstance(pieces, bool) or not isinstance(pieces, int) or not 0 <= pieces <= 100_000:
            raise OrderError(f"{denomination:,}원 수량이 잘못되었습니다 (bad count {pieces!r})")
        total += denomination * pieces
    return total


def cash_in_drawer(session: Session, day_id: int, opening_float: int) -> int:
    """Float + cash kept from the day's sales − cash given back while the day was open,
    training excluded. A refund counts when it happened (it left today's drawer), whatever
    day its sale was on — the same rule as the reports."""
    day = session.get(BusinessDay, day_id)
    assert day is not None
    paid = session.exec(
        select(func.coalesce(func.sum(Payment.amount), 0))
        .join(SaleOrder, col(SaleOrder.id) == Payment.order_id)
        .where(SaleOrder.business_day_id == day_id, Payment.method == "cash",
               Payment.training == False)  # noqa: E712 - SQL expression
    ).one()
    given_back = (select(func.coalesce(func.sum(Refund.amount), 0))
                  .join(Payment, col(Payment.id) == Refund.payment_id)
                  .where(Payment.method == "cash", Refund.training == False,  # noqa: E712
                         col(Refund.created_at) >= day.opened_at))
    if day.closed_at is not None:
        given_back = given_back.where(col(Refund.created_at) <= day.closed_at)
    refunded = session.exec(given_back).one()
    return opening_float + int(paid) - int(refunded)


class BusinessDays:
    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.clock = clock

    def current(self) -> DayInfo | None:
        """The open day, if any."""
        with self.db.session() as s:
            row = s.exec(select(BusinessDay).where(col(BusinessDay.closed_at).is_(None))
                         .order_by(col(BusinessDay.id).desc())).first()
            return _info(row) if row else None

    def open(self, staff: StaffMember | None, opening_float: int = 0) -> DayInfo:
        if isinstance(opening_float, bool) or not isinstance(opening_float, int) \
                or not 0 <= opening_float <= 100_000_000:
            raise OrderError("시재금이 잘못되었습니다 (bad cash float)")
        today = self.clock().strftime("%Y-%m-%d")
        with self.db.session() as s:
            if s.exec(select(BusinessDay).where(col(BusinessDay.closed_at).is_(None))).first():
                raise OrderError("이미 영업 중입니다 (a business day is already open)")
            if s.exec(select(BusinessDay).where(BusinessDay.day == today)).first():
                raise OrderError(f"{today} 영업일은 이미 마감되었습니다 (that day is closed)")
            row = BusinessDay(day=today, opened_at=self.clock(), opening_float=opening_float,
                              opened_by=staff.id if staff else None)
            s.add(row)
            s.flush()
            audit(s, "day_open", staff.id if staff else None, float=opening_float, day=today)
            return _info(row)

    def expected_cash(self, day_id: int) -> int:
        with self.db.session() as s:
            row = s.get(BusinessDay, day_id)
            if row is None:
                raise OrderError("영업일이 없습니다 (no such business day)")
            return cash_in_drawer(s, day_id, row.opening_float)

    def close(self, staff: StaffMember | None, counted_cash: int) -> DayInfo:
        """Close the open day with the counted cash; over/short = counted − expected."""
        require(staff, "close_day")
        assert staff is not None
        if isinstance(counted_cash, bool) or not isinstance(counted_cash, int) or counted_cash < 0:
            raise OrderError("현금 시재가 잘못되었습니다 (bad counted cash)")
        with self.db.session() as s:
            row = s.exec(select(BusinessDay).where(col(BusinessDay.closed_at).is_(None))).first()
            if row is None or row.id is None:
                raise OrderError("열린 영업일이 없습니다 (no open business day)")
            open_orders = s.exec(select(func.count()).select_from(SaleOrder).where(
                SaleOrder.business_day_id == row.id,
                col(SaleOrder.state).in_(("open", "held")))).one()
            if open_orders:
                raise OrderError(f"진행 중이거나 보류된 주문 {open_orders}건을 먼저 처리하세요 "
                                 f"({open_orders} open or held orders)")
            expected = cash_in_drawer(s, row.id, row.opening_float)
            row.expected_cash, row.counted_cash = expected, counted_cash
            row.over_short = counted_cash - expected
            row.closed_at, row.closed_by = self.clock(), staff.id
            s.add(row)
            audit(s, "day_close", staff.id, expected=expected, counted=counted_cash,
                  over_short=row.over_short)
            return _info(row)
