"""Money given back: the ``refund`` table, the refund claim on ``sale_order`` and what a
refund marks on the order, its tenders (``payment.refunded``) and lines (``refunded_qty``).

Why a refund claims its order first, and how a stale claim is recognised, is
:mod:`kspos.sales.refunds`; here are its statements. Each marking update is conditional (never
past what was paid or sold) and says whether it applied, so the caller can roll back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kspos.store.sql import execute, insert_row

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit


def take_claim(unit: Unit, order_id: int, token: str, states: Sequence[str],
               held_by: str | None = None) -> bool:
    """Claim the order for a refund if it is in ``states`` and unclaimed (``held_by`` None)
    or still claimed by ``held_by`` (taking over a stale claim); whether it was taken."""
    marks = ", ".join("?" * len(states))
    held = "IS NULL" if held_by is None else "IS ?"
    extra: tuple[str, ...] = () if held_by is None else (held_by,)
    return bool(execute(unit, f"UPDATE sale_order SET refund_claim = ? WHERE id = ? AND state "
                              f"IN ({marks}) AND refund_claim {held}",
                        (token, order_id, *states, *extra)).rowcount)


def claim_of(unit: Unit, order_id: int) -> tuple[str, str | None] | None:
    """(state, refund claim) of the order; None: no such order."""
    found = execute(unit, "SELECT state, refund_claim FROM sale_order WHERE id = ?",
                    (order_id,)).fetchone()
    return None if found is None else (str(found[0]), found[1])


def release_claim(db: Database, order_id: int, token: str) -> None:
    """Clear the order's claim if it is still ``token`` (its own committed statement)."""
    db.write("UPDATE sale_order SET refund_claim = NULL WHERE id = ? AND refund_claim = ?",
             (order_id, token))


def claims(db: Database) -> list[tuple[int, str]]:
    """Every order claimed for a refund: (order id, claim)."""
    return [(int(i), str(t)) for i, t in db.read(
        "SELECT id, refund_claim FROM sale_order WHERE refund_claim IS NOT NULL")]


def give_back_on_payment(unit: Unit, payment_id: int, order_id: int, amount: int) -> bool:
    """Add ``amount`` to what tender ``payment_id`` gave back (its status follows); False,
    nothing changed, when that would pass what it took."""
    return bool(execute(unit, "UPDATE payment SET refunded = refunded + ?, status = CASE WHEN "
                              "refunded + ? >= amount THEN 'cancelled' ELSE 'partly_cancelled' "
                              "END WHERE id = ? AND order_id = ? AND refunded + ? <= amount",
                        (amount, amount, payment_id, order_id, amount)).rowcount)


def refund_state(unit: Unit, order_id: int) -> tuple[str, int, int, str | None]:
    """(state, total, given back so far, refund claim) of an order that exists."""
    state, total, refunded, claim = execute(
        unit, "SELECT state, total, refunded, refund_claim FROM sale_order WHERE id = ?",
        (order_id,)).fetchone()
    return str(state), int(total), int(refunded), claim


def add_refunded(unit: Unit, order_id: int, amount: int, state: str) -> None:
    """``amount`` more given back on the order, which is now in ``state``."""
    execute(unit, "UPDATE sale_order SET refunded = refunded + ?, state = ? WHERE id = ?",
            (amount, state, order_id))


def mark_line(unit: Unit, line_id: int, qty: int) -> bool:
    """``qty`` more of the line given back; False, nothing changed, past what was sold."""
    return bool(execute(unit, "UPDATE order_line SET refunded_qty = refunded_qty + ? WHERE "
                              "id = ? AND refunded_qty + ? <= qty", (qty, line_id, qty)).rowcount)


def insert_refund(unit: Unit, values: Mapping[str, object]) -> int:
    """A new ``refund`` row; returns its id."""
    from kspos.store.models import Refund  # the ORM's import waits for the first refund

    return insert_row(unit, Refund, values)


def last_refund_id(db: Database, order_id: int) -> int:
    """The order's latest refund row id (0: none yet)."""
    found = db.read("SELECT coalesce(max(id), 0) FROM refund WHERE order_id = ?", (order_id,))
    return int(found[0][0])


def state_now(db: Database, order_id: int) -> str:
    """The committed state of an order that exists."""
    return str(db.read("SELECT state FROM sale_order WHERE id = ?", (order_id,))[0][0])
