"""What the owner's history screens (거래내역, 매출) read that no other repository offers: an
order's stored lines as sold (``order_line``) and whether any business day was ever closed
(``business_day``). Reads only: the sales repositories write these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import OrderLine
    from kspos.store.unit import Unit


def order_lines(unit: Unit, order_id: int) -> list[OrderLine]:
    """The order's lines as stored (with what was refunded of each), in receipt order."""
    from sqlmodel import Session, col, select

    from kspos.store.models import OrderLine

    assert isinstance(unit, Session), "order lines are read as model rows: a Session"
    return list(unit.exec(select(OrderLine).where(OrderLine.order_id == order_id)
                          .order_by(col(OrderLine.position))))


def any_day_closed(db: Database) -> bool:
    """Whether some business day has been closed in this store."""
    return bool(db.read("SELECT 1 FROM business_day WHERE closed_at IS NOT NULL LIMIT 1"))
