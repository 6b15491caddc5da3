"""Business days (영업일): the ``business_day`` table, the cash the drawer should hold, and
the cash counts kept at close (read back from the ``day_close`` entries of ``audit_log``).

The domain (:mod:`kspos.sales.days`) decides when a day opens and closes; here are the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.store.db import DuplicateRow
from kspos.store.orm import session_of

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import BusinessDay
    from kspos.store.unit import Unit


def open_day(unit: Unit) -> BusinessDay | None:
    """The day not yet closed (the latest, should there ever be two)."""
    from sqlmodel import col, select

    from kspos.store.models import BusinessDay

    return session_of(unit).exec(select(BusinessDay).where(col(BusinessDay.closed_at).is_(None))
                     .order_by(col(BusinessDay.id).desc())).first()


def open_day_key(db: Database) -> str | None:
    """The open day's ``YYYY-MM-DD``, on the plain connection (the first paint: no ORM)."""
    rows = db.read("SELECT day FROM business_day WHERE closed_at IS NULL "
                   "ORDER BY id DESC LIMIT 1")
    return str(rows[0][0]) if rows else None


def get(unit: Unit, day_id: int) -> BusinessDay | None:
    """Business day ``day_id`` as an ORM row; None when there is none."""
    from kspos.store.models import BusinessDay

    return session_of(unit).get(BusinessDay, day_id)


def last_key(unit: Unit) -> str | None:
    """The latest 영업일 ever opened (``YYYY-MM-DD``), None on a new store."""
    from sqlmodel import func, select

    from kspos.store.models import BusinessDay

    return session_of(unit).exec(select(func.max(BusinessDay.day))).one()


def last_key_now(db: Database) -> str | None:
    """:func:`last_key` on the plain connection."""
    found = db.read("SELECT max(day) FROM business_day")[0][0]
    return None if found is None else str(found)


def keys(unit: Unit) -> set[str]:
    """Every 영업일 the store has (open or closed)."""
    from sqlmodel import select

    from kspos.store.models import BusinessDay

    return set(session_of(unit).exec(select(BusinessDay.day)))


def add(unit: Unit, day: str, opened_at: datetime, opening_float: int,
        opened_by: int | None) -> BusinessDay:
    """Open day ``day`` (its row is written now, so its id is known).

    Raises :class:`DuplicateRow` when the day exists (another register opened it a moment
    before)."""
    from sqlalchemy.exc import IntegrityError

    from kspos.store.models import BusinessDay

    row = BusinessDay(day=day, opened_at=opened_at, opening_float=opening_float,
                      opened_by=opened_by)
    session = session_of(unit)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise DuplicateRow(f"영업일 {day}이(가) 이미 있습니다 (business day {day} exists)") \
            from exc
    return row


def close(unit: Unit, row: BusinessDay, expected: int, counted: int, at: datetime,
          by: int) -> None:
    """Close the day with its cash figures; written now (what is read next in the same
    transaction, its outbox fact, sees it)."""
    row.expected_cash, row.counted_cash = expected, counted
    row.over_short = counted - expected
    row.closed_at, row.closed_by = at, by
    session = session_of(unit)
    session.add(row)
    session.flush()


def cash_taken(unit: Unit, day_id: int) -> int:
    """Cash tenders taken on the day's orders, training excluded."""
    from sqlmodel import col, func, select

    from kspos.store.models import Payment, SaleOrder

    return int(session_of(unit).exec(
        select(func.coalesce(func.sum(Payment.amount), 0))
        .join(SaleOrder, col(SaleOrder.id) == Payment.order_id)
        .where(SaleOrder.business_day_id == day_id, Payment.method == "cash",
               Payment.training == False)  # noqa: E712 - SQL expression
    ).one())


def cash_given_back(unit: Unit, since: datetime, until: datetime | None) -> int:
    """Cash refunded between ``since`` and ``until`` (open-ended: None), whatever day its
    sale was on; training excluded."""
    from sqlmodel import col, func, select

    from kspos.store.models import Payment, Refund

    given_back = (select(func.coalesce(func.sum(Refund.amount), 0))
                  .join(Payment, col(Payment.id) == Refund.payment_id)
                  .where(Payment.method == "cash", Refund.training == False,  # noqa: E712
                         col(Refund.created_at) >= since))
    if until is not None:
        given_back = given_back.where(col(Refund.created_at) <= until)
    return int(session_of(unit).exec(given_back).one())


def closed(unit: Unit, limit: int) -> list[tuple[BusinessDay, str | None]]:
    """The last ``limit`` closed days, latest first, each with its closer's name."""
    from sqlmodel import col, select

    from kspos.store.models import BusinessDay, Staff

    return [(row, name) for row, name in session_of(unit).exec(
        select(BusinessDay, Staff.name)
        .join(Staff, col(Staff.id) == BusinessDay.closed_by, isouter=True)
        .where(col(BusinessDay.closed_at).is_not(None))
        .order_by(col(BusinessDay.day).desc()).limit(limit)).all()]


def closed_one(unit: Unit, day: str) -> tuple[BusinessDay, str | None] | None:
    """Closed day ``day`` with its closer's name; None when it is not closed (or none)."""
    from sqlmodel import col, select

    from kspos.store.models import BusinessDay, Staff

    found = session_of(unit).exec(select(BusinessDay, Staff.name)
                      .join(Staff, col(Staff.id) == BusinessDay.closed_by, isouter=True)
                      .where(BusinessDay.day == day,
                             col(BusinessDay.closed_at).is_not(None))).first()
    return None if found is None else (found[0], found[1])


def close_details(unit: Unit, days: Sequence[str]) -> list[str]:
    """The details (JSON text) of the ``day_close`` audit entries of ``days``, oldest first."""
    from sqlalchemy import case
    from sqlmodel import col, func, select

    from kspos.store.models import AuditEntry

    # CASE, not AND: SQLite does not promise to test json_valid before json_extract, and
    # one hand-edited detail must not fail the whole list.
    valid_day = case((func.json_valid(AuditEntry.detail) == 1,
                      func.json_extract(AuditEntry.detail, "$.day")), else_=None)
    return list(session_of(unit).exec(select(AuditEntry.detail)
                          .where(AuditEntry.action == "day_close", valid_day.in_(days))
                          .order_by(col(AuditEntry.id))).all())
