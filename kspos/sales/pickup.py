"""The pickup board (주문번호 호출): numbered takeout/cafe orders from 준비 중 to 완료.

A paid order's 주문번호 is taken by the sales service in its payment transaction
(:mod:`kspos.store.pickup`); this service reads the open day's numbered orders for the board,
moves a number to 완료 (and back, after a mis-tap), and tells the 진동벨 transmitter. Qt-free
and blocking: the screens call :meth:`PickupService.mark_ready` and :meth:`PickupService.page`
on a worker; :meth:`PickupService.board` is a couple of quick plain reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.ports import DeviceError
from kspos.sales.audit import audit
from kspos.store import pickup as table
from kspos.store.sql import moment

if TYPE_CHECKING:
    from kspos.ports import Pager
    from kspos.store.db import Database


class PickupError(Exception):
    """No order on the board has that number (or not in the state asked for)."""


@dataclass(frozen=True)
class PickupTicket:
    """One numbered order on the board; ``lines`` as the bar reads them ("아메리카노 (ICE) ×2")."""

    number: int
    order_id: int
    receipt_no: str
    paid_at: datetime
    ready_at: datetime | None
    lines: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return self.ready_at is not None


@dataclass(frozen=True)
class PickupBoard:
    """What the board shows: 준비 중 oldest first, 완료 newest first (only those called less
    than the store's clear time ago)."""

    preparing: tuple[PickupTicket, ...]
    ready: tuple[PickupTicket, ...]


def line_text(name: str, options_json: str, qty: int) -> str:
    """``아메리카노 (ICE, 샷 추가) ×2``: the item, its chosen options, how many."""
    try:
        options = [str(o[1]) for o in json.loads(options_json or "[]")]
    except (ValueError, TypeError, IndexError):  # an odd row still shows its name
        options = []
    chosen = f" ({', '.join(options)})" if options else ""
    return f"{name}{chosen} ×{qty}"


def pickup_number(db: Database, order_id: int) -> int | None:
    """The paid order's 주문번호 (None: numbering off, a table's check, a 연습 order)."""
    return table.number_of(db, order_id)


class PickupService:
    """The board's reads and the 완료 taps on one database; ``pager`` is told "call N"."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now,
                 clear_after_s: float = 180.0, pager: Pager | None = None) -> None:
        self.db, self.clock = db, clock
        self.clear_after_s = clear_after_s
        self.pager = pager

    def _tickets(self) -> list[PickupTicket]:
        rows = table.board_rows(self.db)
        lines = table.lines_of(self.db, [int(r[0]) for r in rows])
        return [PickupTicket(number=int(number), order_id=int(order_id), receipt_no=receipt_no,
                             paid_at=moment(paid_at),
                             ready_at=moment(ready_at) if ready_at else None,
                             lines=tuple(line_text(*ln) for ln in lines.get(int(order_id), ())))
                for order_id, number, receipt_no, paid_at, ready_at in rows]

    def board(self) -> PickupBoard:
        """The open day's board; refunded and voided orders never show."""
        now = self.clock()
        tickets = self._tickets()
        preparing = tuple(t for t in tickets if t.ready_at is None)
        ready = [t for t in tickets if t.ready_at is not None
                 and (now - t.ready_at).total_seconds() < self.clear_after_s]
        ready.sort(key=lambda t: (t.ready_at, t.order_id), reverse=True)
        return PickupBoard(preparing, tuple(ready))

    def _find(self, number: int, ready: bool) -> PickupTicket:
        """The ticket with ``number``, preferring one in the state asked for (after a wrap
        past 999 a number may come twice in a day: the newest one is meant)."""
        found = [t for t in self._tickets() if t.number == number]
        if not found:
            raise PickupError(f"no order {number} on the board")
        wanted = [t for t in found if t.ready == ready]
        return (wanted or found)[-1]

    def mark_ready(self, number: int, staff_id: int | None = None) -> PickupTicket:
        """준비 중 → 완료 (audited); a number already 완료 stays as it was."""
        ticket = self._find(number, ready=False)
        if ticket.ready:
            return ticket
        at = self.clock()
        with self.db.session() as s:
            if table.set_ready(s, ticket.order_id, at):
                audit(s, "pickup_ready", staff_id, ticket.order_id, number=number)
        return self._find(number, ready=True)

    def undo_ready(self, number: int, staff_id: int | None = None) -> PickupTicket:
        """완료 → 준비 중 (a mis-tap); a number still 준비 중 stays as it was."""
        ticket = self._find(number, ready=True)
        if not ticket.ready:
            return ticket
        with self.db.session() as s:
            if table.set_ready(s, ticket.order_id, None):
                audit(s, "pickup_undo", staff_id, ticket.order_id, number=number)
        return self._find(number, ready=False)

    def page(self, number: int) -> None:
        """Tell the 진동벨 transmitter "call N" (nothing when none is configured); DeviceError
        when it is down. Blocking (≤ ~2 s): call it on the pager's worker."""
        if self.pager is None:
            return
        try:
            self.pager.call(number)
        except OSError as exc:  # a driver's bare socket or port error, in the cashier's words
            raise DeviceError(f"진동벨 호출 실패 (pager call failed): {exc}") from None

    def complete(self, number: int, staff_id: int | None = None
                 ) -> tuple[PickupTicket, str | None]:
        """:meth:`mark_ready` then :meth:`page`: the 완료 is saved first, so a pager that is
        down only costs the buzz; returns the ticket and why the pager failed (or None)."""
        ticket = self.mark_ready(number, staff_id)
        try:
            self.page(number)
        except DeviceError as exc:
            return ticket, str(exc)
        return ticket, None
