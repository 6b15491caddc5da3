"""The outbox table and the reads that turn a fact's rows into what the office is sent.

Statements only: what a fact looks like as JSON is :mod:`kspos.sync.outbox`. Everything here
runs on the caller's unit of work (a Session or a Core Connection), so an outbox row commits
or rolls back with its fact.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store.sql import driver, records, stamp
from kspos.sync.identity import DEMO_IDENTITY, Identity

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    Unit = Session | Connection

_APPEND = ("INSERT INTO outbox (uuid, kind, version, body, created_at, sent_at) "
           "VALUES (?, ?, ?, ?, ?, NULL)")


def identity_of(unit: Unit) -> Identity:
    """The store code and terminal of the database ``unit`` writes to (``Database`` puts it
    on every connection; an engine made elsewhere, a test's, is the demo terminal)."""
    pooled = unit.connection() if callable(unit.connection) else unit
    found = pooled.info.get("identity")
    return found if isinstance(found, Identity) else DEMO_IDENTITY


def append(unit: Unit, kind: str, uuid: str, version: int, body: dict[str, Any],
           at: datetime) -> None:
    """Add the fact ``body`` to the outbox in ``unit``'s transaction."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    driver(unit).execute(_APPEND, (uuid, kind, version, text, stamp(at)))


# --- the rows a fact is made of ---------------------------------------------------------------

_ORDER = ("SELECT o.id, o.uuid, o.receipt_no, o.state, o.training, o.table_no, o.created_at, "
          "o.paid_at, o.gross, o.discount_total, o.service_total, o.total, o.supply, o.vat, "
          "o.tax_free, o.refunded, o.guests, o.zone, o.table_id, d.uuid AS day_uuid, d.day AS business_day, "
          "st.uuid AS staff_uuid FROM sale_order AS o "
          "JOIN business_day AS d ON d.id = o.business_day_id "
          "LEFT JOIN staff AS st ON st.id = o.staff_id WHERE o.id = ?")
_LINES = ("SELECT uuid, position, item_id, category_name, name, name_en, options_json, "
          "unit_price, qty, discount_amount, complimentary, tax_free, amount, "
          "(SELECT uuid FROM item WHERE item.id = order_line.item_id) AS item_uuid "
          "FROM order_line WHERE order_id = ? ORDER BY position")
_PAYMENT = ("SELECT p.*, o.uuid AS order_uuid, o.receipt_no FROM payment AS p "
            "JOIN sale_order AS o ON o.id = p.order_id WHERE p.id = ?")
# report_day: the business day open when the refund was made (the day it counts on in the
# reports, kspos.reports.facts.RefundCalendar), so the office need not rebuild the calendar
_REFUND = ("SELECT r.*, o.uuid AS order_uuid, o.receipt_no, p.uuid AS payment_uuid, "
           "p.method, st.uuid AS staff_uuid, (SELECT CASE WHEN d.closed_at IS NULL OR "
           "r.created_at <= d.closed_at THEN d.day END FROM business_day AS d "
           "WHERE d.opened_at <= r.created_at ORDER BY d.opened_at DESC LIMIT 1) AS report_day "
           "FROM refund AS r "
           "JOIN sale_order AS o ON o.id = r.order_id JOIN payment AS p ON p.id = r.payment_id "
           "LEFT JOIN staff AS st ON st.id = r.staff_id WHERE r.id = ?")


def order_rows(unit: Unit, order_id: int) -> tuple[Any, list[Any]]:
    """The order (with its day's and cashier's UUIDs) and its lines."""
    return records(unit, _ORDER, (order_id,))[0], records(unit, _LINES, (order_id,))


def payment_row(unit: Unit, payment_id: int) -> Any:
    return records(unit, _PAYMENT, (payment_id,))[0]


def refund_row(unit: Unit, refund_id: int) -> Any:
    return records(unit, _REFUND, (refund_id,))[0]


def line_uuids(unit: Unit, line_ids: list[int]) -> dict[int, str]:
    if not line_ids:
        return {}
    marks = ", ".join("?" * len(line_ids))
    return {r.id: r.uuid for r in records(
        unit, f"SELECT id, uuid FROM order_line WHERE id IN ({marks})", line_ids)}


def reversal_row(unit: Unit, entry_id: int) -> Any:
    return records(unit, "SELECT * FROM van_reversal WHERE id = ?", (entry_id,))[0]


NAMED = ("staff", "item", "category", "option_group", "sale_order")  # what a change names


def uuid_of(unit: Unit, table: str, row_id: object) -> str | None:
    """The UUID of row ``row_id`` of ``table`` (None: gone, or no id)."""
    if table not in NAMED or isinstance(row_id, bool) or not isinstance(row_id, int):
        return None
    found = driver(unit).execute(f"SELECT uuid FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return str(found[0]) if found else None


def day_of(unit: Unit, day: str) -> Any:
    found = records(unit, "SELECT uuid, day, opening_float, opened_at, closed_at "
                          "FROM business_day WHERE day = ?", (day,))
    return found[0] if found else None


# --- the pusher's side ------------------------------------------------------------------------


def unsent(unit: Unit, after_seq: int, limit: int) -> list[Any]:
    """The next ``limit`` rows the office does not have yet, oldest first."""
    return records(unit, "SELECT seq, uuid, kind, version, body, created_at FROM outbox "
                         "WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
                   (after_seq, limit))


def mark_sent(unit: Unit, seqs: list[int], at: datetime) -> int:
    """Mark rows the office acknowledged; returns how many were still unsent."""
    if not seqs:
        return 0
    marks = ", ".join("?" * len(seqs))
    return driver(unit).execute(
        f"UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq IN ({marks})",
        (stamp(at), *seqs)).rowcount


def delete_sent(unit: Unit, sent_before: datetime) -> int:
    """Drop the rows the office has had since before ``sent_before`` (never an unsent one:
    a trigger of migration 0012 refuses that too). The facts stay in their own tables."""
    return driver(unit).execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?",
                                (stamp(sent_before),)).rowcount


def count_unsent(unit: Unit) -> int:
    """How many rows the office does not have yet (the status line's 미전송 N건)."""
    found = driver(unit).execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()
    return int(found[0]) if found else 0
