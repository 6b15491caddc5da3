"""주문번호 (order numbers) and the pickup board's rows: ``sale_order.pickup_no`` and
``pickup_ready_at``, and ``business_day.next_pickup_no`` (migration 0017).

A number is taken inside the transaction that marks the order paid (:func:`assign`, on the
unit's own connection, after that transaction already holds the write lock): a crash never
leaves a paid order without its number, and two registers on one file never take the same one.
The board's reads are plain queries on the database's reader connection: a board window polls
them every second or two, and they must cost no ORM session.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store.sql import execute, stamp

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

LAST_NUMBER = 999  # sequential numbers wrap after it; random ones are 100-999
RANDOM_FIRST = 100
SHOWN_STATES = ("paid", "partly_refunded")  # a refunded or voided order leaves the board

# The sequential counter, moved on in one statement (the day row's lock is the transaction's).
_TAKE_NEXT = (f"UPDATE business_day SET next_pickup_no = next_pickup_no % {LAST_NUMBER} + 1 "
              "WHERE id = ? RETURNING next_pickup_no")
_OPEN_DAY = "(SELECT id FROM business_day WHERE closed_at IS NULL ORDER BY id LIMIT 1)"
_BOARD = ("SELECT id, pickup_no, receipt_no, paid_at, pickup_ready_at FROM sale_order "
          f"WHERE business_day_id = {_OPEN_DAY} AND pickup_no IS NOT NULL "
          f"AND state IN {SHOWN_STATES!r} ORDER BY paid_at, id")


def assign(unit: Unit, order_id: int, mode: str, pick: random.Random | None = None
           ) -> int | None:
    """Give a just-paid order its 주문번호 in the caller's transaction; the number, or None
    when the order gets none (``mode`` "off", a table's check, a 연습 order). An order that
    has one keeps it. ``mode``: "sequential" or "random"."""
    found = execute(unit, "SELECT business_day_id, table_id, training, pickup_no "
                          "FROM sale_order WHERE id = ?", (order_id,)).fetchone()
    if found is None or mode == "off":
        return None
    day_id, table_id, training, number = found
    if number is not None:
        return int(number)
    if table_id is not None or training:
        return None
    if mode == "random":
        number = _random_number(unit, int(day_id), pick or random.SystemRandom())
    else:
        after = int(execute(unit, _TAKE_NEXT, (day_id,)).fetchone()[0])
        number = LAST_NUMBER if after == 1 else after - 1
    execute(unit, "UPDATE sale_order SET pickup_no = ? WHERE id = ?", (number, order_id))
    return int(number)


def _random_number(unit: Unit, day_id: int, pick: random.Random) -> int:
    """A 3-digit number no order of the day has, while one is free (then any)."""
    used = {int(row[0]) for row in execute(
        unit, "SELECT pickup_no FROM sale_order WHERE business_day_id = ? AND pickup_no "
              "IS NOT NULL", (day_id,)).fetchall()}
    free = [n for n in range(RANDOM_FIRST, LAST_NUMBER + 1) if n not in used]
    return pick.choice(free or range(RANDOM_FIRST, LAST_NUMBER + 1))


def number_of(db: Database, order_id: int) -> int | None:
    """The order's 주문번호, or None."""
    found = db.read("SELECT pickup_no FROM sale_order WHERE id = ?", (order_id,))
    return None if not found or found[0][0] is None else int(found[0][0])


def board_rows(db: Database) -> list[tuple[Any, ...]]:
    """The open day's numbered orders still to hand over or handed: (id, number, receipt no,
    paid at, ready at), oldest payment first; datetimes as stored text."""
    return db.read(_BOARD)


def lines_of(db: Database, order_ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Each order's lines still owed to the customer: (name, options json, qty left)."""
    if not order_ids:
        return {}
    marks = ", ".join("?" * len(order_ids))
    rows = db.read(f"SELECT order_id, name, options_json, qty - refunded_qty FROM order_line "
                   f"WHERE order_id IN ({marks}) AND qty > refunded_qty "
                   "ORDER BY order_id, position", tuple(order_ids))
    found: dict[int, list[tuple[Any, ...]]] = {}
    for order_id, name, options, qty in rows:
        found.setdefault(int(order_id), []).append((name, options, int(qty)))
    return found


def set_ready(unit: Unit, order_id: int, at: datetime | None) -> bool:
    """Mark the order called (``at``) or back to 준비 중 (None); False when nothing changed
    (already so, or no longer shown: refunded meanwhile)."""
    params: tuple[object, ...]
    if at is None:
        sql, params = ("UPDATE sale_order SET pickup_ready_at = NULL WHERE id = ? AND "
                       "pickup_ready_at IS NOT NULL", (order_id,))
    else:
        sql, params = ("UPDATE sale_order SET pickup_ready_at = ? WHERE id = ? AND "
                       "pickup_ready_at IS NULL", (stamp(at), order_id))
    cursor = execute(unit, f"{sql} AND state IN {SHOWN_STATES!r}", params)
    return cursor.rowcount > 0
