"""Orders, their lines and their tenders: the ``sale_order``, ``order_line`` and ``payment``
tables (refunds and refund claims: :mod:`kspos.store.refunds`).

Every checkout runs the statements of this module, so the ones a sale needs are plain
statements on the unit's own sqlite3 connection (:mod:`kspos.store.sql`), each a few dozen
µs; the ORM serves the reads that build a screen (history, an order recalled, a refund's
plan). Conditional updates (``... AND state IN ('open', 'held')``) are how two registers on
one file find out that the other changed an order first: a function returns None or False
then, and the caller says why (:func:`state_of`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store.orm import session_of
from kspos.store.sql import execute, insert_row, insert_rows

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import OrderLine, Payment, SaleOrder
    from kspos.store.unit import Unit

# The open day's next receipt number, taken in one statement (the UPDATE begins the write
# transaction, so two registers on one file can never take the same number).
_NEXT_RECEIPT = ("UPDATE business_day SET next_receipt_seq = next_receipt_seq + 1 WHERE id = "
                 "(SELECT id FROM business_day WHERE closed_at IS NULL ORDER BY id LIMIT 1) "
                 "RETURNING id, day, next_receipt_seq - 1")
_KEPT = "SELECT coalesce(sum(amount - refunded), 0) FROM payment WHERE order_id = ?"
_TAKEN = "SELECT coalesce(sum(amount), 0) FROM payment WHERE order_id = ?"
UNSETTLED = ("open", "held")  # an order still on a counter or in 보류목록


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


# --- writing an order ----------------------------------------------------------------------


def next_receipt(unit: Unit) -> tuple[int, str, int] | None:
    """Take the open day's next receipt sequence: (day id, day, sequence); None when no day
    is open."""
    found = execute(unit, _NEXT_RECEIPT).fetchone()
    return None if found is None else (int(found[0]), str(found[1]), int(found[2]))


def insert_order(unit: Unit, values: Mapping[str, object]) -> int:
    """A new ``sale_order`` row (model defaults fill the rest); returns its id."""
    from kspos.store.models import SaleOrder

    return insert_row(unit, SaleOrder, values)


def update_unsettled(unit: Unit, order_id: int, columns: Mapping[str, object]) -> str | None:
    """Set ``columns`` of an order still open or held; its receipt number, or None when
    another register paid, voided or took it meanwhile (nothing changed)."""
    found = execute(unit, "UPDATE sale_order SET " + ", ".join(f"{k} = ?" for k in columns)
                    + " WHERE id = ? AND state IN ('open', 'held') RETURNING receipt_no",
                    (*columns.values(), order_id)).fetchone()
    return None if found is None else str(found[0])


def delete_lines(unit: Unit, order_id: int) -> None:
    """Drop the order's lines (an open order's are written again whole at each save)."""
    execute(unit, "DELETE FROM order_line WHERE order_id = ?", (order_id,))


def insert_lines(unit: Unit, rows: Sequence[Mapping[str, object]]) -> None:
    """Add ``order_line`` rows in one statement (give every column: the table's inserts
    apply no model defaults)."""
    from kspos.store.models import OrderLine

    insert_rows(unit, OrderLine, rows)


def check_rev(unit: Unit, order_id: int) -> int:
    """A table check's revision as ``unit`` sees it (0 for an order that is not one)."""
    found = execute(unit, "SELECT check_rev FROM sale_order WHERE id = ?",
                    (order_id,)).fetchone()
    return 0 if found is None else int(found[0])


def part_over(unit: Unit, order_id: int, part: int) -> tuple[int, int] | None:
    """(taken on the part, its amount) when the tenders recorded on part ``part`` of the
    order's split pass the part's amount; None while they do not."""
    found = execute(unit, "SELECT (SELECT coalesce(sum(amount), 0) FROM payment WHERE "
                          "order_id = ? AND split_part = ?), json_extract(parts_json, '$[' "
                          "|| ? || '].amount') FROM check_split WHERE order_id = ?",
                    (order_id, part, part, order_id)).fetchone()
    if found is None or found[1] is None:
        return None
    taken_, amount = int(found[0]), int(found[1])
    return (taken_, amount) if taken_ > amount else None


def state_of(unit: Unit, order_id: int) -> str | None:
    """The order's state as ``unit`` sees it (None: no such order)."""
    found = execute(unit, "SELECT state FROM sale_order WHERE id = ?", (order_id,)).fetchone()
    return None if found is None else str(found[0])


def reopen_held(unit: Unit, order_id: int, terminal: str | None) -> bool:
    """Take a held order back to ``terminal``'s counter; False when it is held no more."""
    return bool(execute(unit, "UPDATE sale_order SET state = 'open', terminal = ? WHERE id = ? "
                              "AND state = 'held'", (terminal, order_id)).rowcount)


def void(unit: Unit, order_id: int, states: Sequence[str]) -> int | None:
    """Void the order if it is in one of ``states``; its total, or None when it is not."""
    found = execute(unit, "UPDATE sale_order SET state = 'voided' WHERE id = ? AND state IN "
                          f"({_marks(states)}) RETURNING total",
                    (order_id, *states)).fetchone()
    return None if found is None else int(found[0])


def lock_unpaid(unit: Unit, order_id: int) -> tuple[int, bool, int] | None:
    """The order still unpaid, with the write lock taken in the same statement (a no-op
    UPDATE): (total, training, already given back); None when another register paid or
    voided it."""
    found = execute(unit, "UPDATE sale_order SET state = state WHERE id = ? AND state IN "
                          "('open', 'held') RETURNING total, training, refunded",
                    (order_id,)).fetchone()
    return None if found is None else (int(found[0]), bool(found[1]), int(found[2]))


def uncarry(unit: Unit, order_id: int) -> None:
    """A table's check taking a tender stays on this business day (no 이월)."""
    execute(unit, "UPDATE sale_order SET carry_over = 0 WHERE id = ? AND carry_over = 1",
            (order_id,))


def mark_paid(unit: Unit, order_id: int, state: str, at: datetime) -> None:
    """The order settled: its new ``state`` and when."""
    execute(unit, "UPDATE sale_order SET state = ?, paid_at = ? WHERE id = ?",
            (state, at, order_id))


def hold_interrupted(db: Database, order_id: int) -> None:
    """At start-up, on the plain connection: an order left open by a register that is gone
    goes to 보류목록 (unless it was settled meanwhile)."""
    db.write("UPDATE sale_order SET state = 'held' WHERE id = ? AND state = 'open'",
             (order_id,))


def open_orders(db: Database) -> list[tuple[int, str | None]]:
    """Every order open on some counter: (id, the terminal that has it); a table's check
    sits on the floor, on no counter, and is not one of them."""
    return [(int(i), t) for i, t in db.read(
        "SELECT id, terminal FROM sale_order WHERE state = 'open' AND table_id IS NULL")]


# --- tenders -------------------------------------------------------------------------------


def insert_payment(unit: Unit, values: Mapping[str, object]) -> int:
    """A new ``payment`` row; returns its id."""
    from kspos.store.models import Payment

    return insert_row(unit, Payment, values)


def kept(unit: Unit, order_id: int) -> int:
    """What the order's tenders took and still hold (taken − given back)."""
    return int(execute(unit, _KEPT, (order_id,)).fetchone()[0])


def taken(unit: Unit, order_id: int) -> int:
    """The tenders recorded on the order, as the session sees them (its pending ORM rows
    flushed first: raw SQL does not autoflush)."""
    session_of(unit).flush()
    return int(execute(unit, _TAKEN, (order_id,)).fetchone()[0] or 0)


def payments(unit: Unit, order_id: int) -> list[Payment]:
    """The order's tenders, oldest first."""
    from sqlmodel import col, select

    from kspos.store.models import Payment

    return list(session_of(unit).exec(select(Payment).where(Payment.order_id == order_id)
                          .order_by(col(Payment.id))).all())


def payment(unit: Unit, payment_id: int) -> Payment | None:
    """Tender ``payment_id`` as an ORM row (changes to it are written at commit)."""
    from kspos.store.models import Payment

    return session_of(unit).get(Payment, payment_id)


def set_cash_receipt(unit: Unit, row: Payment, approval_no: str | None,
                     approval_date: str | None = None, id_masked: str | None = None) -> None:
    """The 현금영수증 a tender now carries: one issued again (approval, date, masked number),
    or none (``approval_no`` None: the others are left as they were)."""
    row.cash_receipt_approval_no = approval_no
    if approval_no is not None:
        row.approval_date = approval_date
        row.cash_receipt_id_masked = id_masked
    session_of(unit).add(row)


# --- reads on the plain connection (checks before a sale; no ORM session) -------------------


def taken_now(db: Database, order_id: int) -> int:
    """Tenders taken on the order so far (the transaction that saves it checks again)."""
    return int(db.read(_TAKEN, (order_id,))[0][0])


def has_kept_tenders(db: Database, order_id: int) -> bool:
    """Whether a tender on the order still holds money (taken, not all given back)."""
    return bool(db.read("SELECT 1 FROM payment WHERE order_id = ? AND amount > refunded "
                        "LIMIT 1", (order_id,)))


def being_given_back(db: Database, order_id: int) -> bool:
    """Whether some of the order's money was already given back (an undo cut short)."""
    return bool(db.read("SELECT 1 FROM sale_order WHERE id = ? AND refunded > 0", (order_id,)))


def exists(db: Database, order_id: int) -> bool:
    """Whether the order is committed (its first save may have been rolled back)."""
    return bool(db.read("SELECT 1 FROM sale_order WHERE id = ?", (order_id,)))


def committed_state(db: Database, order_id: int) -> tuple[str, int] | None:
    """(state, what its tenders hold) as committed; None: no such order."""
    found = db.read("SELECT state, (SELECT coalesce(sum(amount - refunded), 0) FROM payment "
                    "WHERE order_id = ?) FROM sale_order WHERE id = ?", (order_id, order_id))
    return (str(found[0][0]), int(found[0][1])) if found else None


# --- reading orders back (ORM: screens, refunds) ---------------------------------------------


def order(unit: Unit, order_id: int) -> SaleOrder | None:
    """Order ``order_id`` as an ORM row; None when there is none."""
    from kspos.store.models import SaleOrder

    return session_of(unit).get(SaleOrder, order_id)


def lines(unit: Unit, order_id: int) -> list[OrderLine]:
    """The order's lines in their order on the receipt."""
    from sqlmodel import col, select

    from kspos.store.models import OrderLine

    return list(session_of(unit).exec(select(OrderLine).where(OrderLine.order_id == order_id)
                          .order_by(col(OrderLine.position))).all())


def unsettled_on(unit: Unit, day_id: int) -> int:
    """How many of the day's orders are still open or held."""
    from sqlmodel import col, func, select

    from kspos.store.models import SaleOrder

    return int(session_of(unit).exec(select(func.count()).select_from(SaleOrder).where(
        SaleOrder.business_day_id == day_id, col(SaleOrder.state).in_(UNSETTLED))).one())


def recent(unit: Unit, limit: int, states: Sequence[str] | None = None,
           day_id: int | None = None) -> list[SaleOrder]:
    """The latest ``limit`` orders, newest first (only ``states``, only day ``day_id``)."""
    from sqlmodel import col, select

    from kspos.store.models import SaleOrder

    query = select(SaleOrder).order_by(col(SaleOrder.id).desc()).limit(limit)
    if states:
        query = query.where(col(SaleOrder.state).in_(states))
    if day_id is not None:
        query = query.where(SaleOrder.business_day_id == day_id)
    return list(session_of(unit).exec(query))


def methods_of(unit: Unit, order_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each order's tender methods, in the order they were taken."""
    from sqlmodel import col, select

    from kspos.store.models import Payment

    found: dict[int, list[str]] = {}
    for p in session_of(unit).exec(select(Payment).where(col(Payment.order_id).in_(order_ids))):
        found.setdefault(p.order_id, []).append(p.method)
    return found


def lines_of(unit: Unit, order_ids: Sequence[int]) -> dict[int, list[OrderLine]]:
    """Each order's lines in receipt order."""
    from sqlmodel import col, select

    from kspos.store.models import OrderLine

    found: dict[int, list[Any]] = {}
    for ln in session_of(unit).exec(select(OrderLine).where(col(OrderLine.order_id).in_(order_ids))
                        .order_by(col(OrderLine.position))):
        found.setdefault(ln.order_id, []).append(ln)
    return found
