"""The business day (영업일): opened with a cash float, closed with counted cash → over/short."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kspos.sales.audit import audit
from kspos.sales.orders import OrderError
from kspos.sales.staff import StaffMember, require
from kspos.store import DuplicateRow, checks, orders
from kspos.store import days as table

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import BusinessDay
    from kspos.store.unit import Unit

DENOMINATIONS = (50_000, 10_000, 5_000, 1_000, 500, 100, 50, 10)

log = logging.getLogger("kspos.sales")


@dataclass(frozen=True)
class DayInfo:
    """A business day; a closed one also says when, who closed it and (since the count was
    kept) the cash counted by denomination — what its Z report needs to be printed again."""

    id: int
    day: str  # YYYY-MM-DD
    opening_float: int
    closed: bool
    expected_cash: int | None = None
    counted_cash: int | None = None
    over_short: int | None = None
    closed_at: datetime | None = None
    closed_by: str = ""  # the closer's name
    pieces: tuple[tuple[int, int], ...] = ()  # (denomination, pieces), largest first

    @property
    def counts(self) -> dict[int, int]:
        """The cash count as denomination → pieces (empty for a day closed without one)."""
        return dict(self.pieces)


def _info(row: BusinessDay, closed_by: str = "",
          pieces: dict[int, int] | None = None) -> DayInfo:
    assert row.id is not None
    kept = tuple(sorted(((d, n) for d, n in (pieces or {}).items() if n), reverse=True))
    return DayInfo(row.id, row.day, row.opening_float, row.closed_at is not None,
                   row.expected_cash, row.counted_cash, row.over_short, row.closed_at,
                   closed_by, kept)


def _counts_of(detail: str) -> tuple[str, dict[int, int]] | None:
    """(day, pieces) from a ``day_close`` audit detail; None when it holds no count (a day
    closed before counts were kept) or is not what we wrote."""
    import json

    try:
        data = json.loads(detail)
        day, raw = data["day"], data["pieces"]
        pieces = {int(d): int(n) for d, n in raw.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(day, str) or any(d not in DENOMINATIONS or n < 0
                                       for d, n in pieces.items()):
        return None
    return day, pieces


def count_cash(counts: dict[int, int]) -> int:
    """Total of a cash count by denomination (won → pieces)."""
    total = 0
    for denomination, pieces in counts.items():
        if denomination not in DENOMINATIONS:
            shown = f"{denomination:,}" if isinstance(denomination, int) else repr(denomination)
            raise OrderError("day.no_denomination", note=shown)
        if isinstance(pieces, bool) or not isinstance(pieces, int) or not 0 <= pieces <= 100_000:
            raise OrderError("day.bad_count", note=denomination, pieces=pieces)
        total += denomination * pieces
    return total


def cash_in_drawer(session: Unit, day_id: int, opening_float: int) -> int:
    """Float + cash kept from the day's sales − cash given back while the day was open,
    training excluded. A refund counts when it happened (it left today's drawer), whatever
    day its sale was on — the same rule as the reports."""
    day = table.get(session, day_id)
    assert day is not None
    paid = table.cash_taken(session, day_id)
    refunded = table.cash_given_back(session, day.opened_at, day.closed_at)
    return opening_float + paid - refunded


def _next_day(now: datetime, last: str | None) -> str:
    """Today, unless the last 영업일 is today or later: then the day after it."""
    today = now.date()
    if last:
        try:
            after_last = date.fromisoformat(last) + timedelta(days=1)
        except ValueError:  # not a date we wrote: start from the calendar
            return today.isoformat()
        today = max(today, after_last)
    return today.isoformat()


class BusinessDays:
    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.clock = clock
        # Called after a day opened (the store applies a menu the office sent for 개점).
        self.on_open: list[Callable[[], object]] = []

    def current(self) -> DayInfo | None:
        """The open day, if any."""
        with self.db.session() as s:
            row = table.open_day(s)
            return _info(row) if row else None

    def next_day(self) -> str:
        """The 영업일 (YYYY-MM-DD) that :meth:`open` opens now, no day being open: today's
        date, or the day after the last one when today's was already closed (a Z before a
        late customer, a 24-hour store). The key stays a date, so reports, receipt numbers
        and the closed days' list need no second kind of key."""
        return _next_day(self.clock(), table.last_key_now(self.db))

    def open(self, staff: StaffMember | None, opening_float: int = 0) -> DayInfo:
        """Open the next 영업일 (:meth:`next_day`) with a cash float; refused only while a
        day is still open."""
        if isinstance(opening_float, bool) or not isinstance(opening_float, int) \
                or not 0 <= opening_float <= 100_000_000:
            raise OrderError("day.bad_float")
        try:
            with self.db.session() as s:
                if table.open_day(s):
                    raise OrderError("day.already_open")
                day = _next_day(self.clock(), table.last_key(s))
                row = table.add(s, day, self.clock(), opening_float,
                                staff.id if staff else None)
                audit(s, "day_open", staff.id if staff else None, float=opening_float, day=day)
                assert row.id is not None
                carried = checks.carry_onto(s, row.id)
                if carried:  # 이월: checks carried over at the last 마감 now count on this day
                    audit(s, "check_carry_in", staff.id if staff else None, None, day=day,
                          orders=carried)
                opened = _info(row)
        except DuplicateRow:  # another register opened the same day a moment before
            raise OrderError("day.already_open") from None
        for listener in list(self.on_open):
            try:
                listener()
            except Exception:  # noqa: BLE001 - the day is open whatever a listener does
                log.exception("after the day opened")
        return opened

    def expected_cash(self, day_id: int) -> int:
        with self.db.session() as s:
            row = table.get(s, day_id)
            if row is None:
                raise OrderError("day.not_found")
            return cash_in_drawer(s, day_id, row.opening_float)

    def close(self, staff: StaffMember | None, counted_cash: int,
              pieces: dict[int, int] | None = None) -> DayInfo:
        """Close the open day with the counted cash; over/short = counted − expected.

        ``pieces`` (denomination → pieces) is the count behind ``counted_cash``; it is kept
        in the ``day_close`` audit entry so the Z report can be reprinted as it was.
        """
        require(staff, "close_day")
        assert staff is not None
        if isinstance(counted_cash, bool) or not isinstance(counted_cash, int) or counted_cash < 0:
            raise OrderError("day.bad_counted")
        if pieces is not None and (total := count_cash(pieces)) != counted_cash:
            raise OrderError("day.count_mismatch", total=total, counted=counted_cash)
        with self.db.session() as s:
            row = table.open_day(s)
            if row is None or row.id is None:
                raise OrderError("day.none_open")
            tables = checks.open_tables(s, row.id, carried=False)
            if tables:  # 후불 checks still on the floor: settle them or carry them over
                raise OrderError("day.checks_open", tables=", ".join(tables))
            open_orders = orders.unsettled_on(s, row.id) - checks.carried_count(s, row.id)
            if open_orders:
                raise OrderError("day.orders_open", count=open_orders)
            expected = cash_in_drawer(s, row.id, row.opening_float)
            # the close's own row is written first: its outbox fact reads it (kspos/sync)
            table.close(s, row, expected, counted_cash, self.clock(), staff.id)
            detail: dict[str, Any] = {"expected": expected, "counted": counted_cash,
                                      "over_short": row.over_short, "day": row.day}
            if pieces is not None:  # JSON keys are text: "50000": 2
                detail["pieces"] = {str(d): n for d, n in sorted(pieces.items(), reverse=True)
                                    if n}
            audit(s, "day_close", staff.id, **detail)
            return _info(row, staff.name, pieces)

    def closed_days(self, limit: int = 60) -> list[DayInfo]:
        """The last ``limit`` closed days, most recent first, with who closed them and the
        cash count kept at close (none for days closed before counts were kept)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise OrderError("day.bad_limit", limit=limit)
        with self.db.session() as s:
            rows = table.closed(s, limit)
            counts = self._counts(s, [row.day for row, _ in rows])
            return [_info(row, name or "", counts.get(row.day)) for row, name in rows]

    def closed_day(self, day: str) -> DayInfo | None:
        """One closed day (``YYYY-MM-DD``), as :meth:`closed_days` describes it."""
        with self.db.session() as s:
            found = table.closed_one(s, day)
            if found is None:
                return None
            row, name = found
            return _info(row, name or "", self._counts(s, [day]).get(day))

    @staticmethod
    def _counts(s: Unit, days: list[str]) -> dict[str, dict[int, int]]:
        """The cash counts of ``days`` from their ``day_close`` audit entries."""
        if not days:
            return {}
        found: dict[str, dict[int, int]] = {}
        for detail in table.close_details(s, days):
            counted = _counts_of(detail)
            if counted is not None:
                found[counted[0]] = counted[1]  # the latest entry wins
        return found
