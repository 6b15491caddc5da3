"""What the owner's history screens ask of the sales records beyond :class:`SalesService`:
an order's lines as stored (what was refunded of each) and whether any day was closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kspos.store import days, orders

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import OrderLine


def sold_lines(db: Database, order_id: int) -> list[OrderLine]:
    """The order's lines as sold, in receipt order (records: read, never changed)."""
    with db.session() as s:
        return orders.lines(s, order_id)


def any_day_closed(db: Database) -> bool:
    """Whether the store has closed a business day (else it has no history to show yet)."""
    with db.session() as s:
        return bool(days.closed(s, 1))
