"""The rows a receipt is printed from: an order, its lines, its payments and its refunds.

Reads only (of ``sale_order``, ``staff``, ``order_line``, ``payment`` and ``refund``), on the
caller's unit of work: a sale slip is drawn inside every checkout's transaction and must see
what it wrote. Plain records rather than ORM objects (kspos/store/sql.py): the slip only reads
columns, and loading objects costs more than the queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kspos.store.sql import records

if TYPE_CHECKING:
    from kspos.store.unit import Unit


def order(unit: Unit, order_id: int) -> Any:
    """The order with its cashier's name (``cashier``); None when there is none."""
    found = records(unit, "SELECT o.*, s.name AS cashier FROM sale_order o "
                          "LEFT JOIN staff s ON s.id = o.staff_id WHERE o.id = ?", (order_id,))
    return found[0] if found else None


def lines(unit: Unit, order_id: int) -> list[Any]:
    """The order's lines in the order they were rung up."""
    return records(unit, "SELECT * FROM order_line WHERE order_id = ? ORDER BY position",
                   (order_id,))


def payments(unit: Unit, order_id: int) -> list[Any]:
    """The order's payments, first first."""
    return records(unit, "SELECT * FROM payment WHERE order_id = ? ORDER BY id", (order_id,))


def refunds_after(unit: Unit, order_id: int, after_id: int) -> list[Any]:
    """The order's refund rows with an id above ``after_id``, with who made them
    (``staff_name``), oldest first."""
    return records(unit, "SELECT r.*, st.name AS staff_name FROM refund r LEFT JOIN staff st "
                         "ON st.id = r.staff_id WHERE r.order_id = ? AND r.id > ? ORDER BY r.id",
                   (order_id, after_id))
