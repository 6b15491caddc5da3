"""The reports' statements: reads of the sales tables, and the rollup tables they own.

Owns ``report_rollup`` and ``report_day`` (migration 0004_reports: a closed business day's
sales, stored once with a fingerprint of its paid orders). Reads ``business_day``,
``sale_order``, ``order_line``, ``payment`` and ``refund`` for :mod:`kspos.reports`.

Everything runs on a plain connection of :mod:`kspos.store.readonly` (the caller's, in its
:func:`~kspos.store.readonly.snapshot` when it reads several things) and returns plain tuples:
a year's report walks some 300,000 rows, and ``kspos report`` never imports SQLAlchemy.
"""

from __future__ import annotations

import sqlite3

from kspos.store.errors import PlainStoreError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `kspos report` time
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    Row = tuple[Any, ...]

_CHUNK = 500  # SQLite host parameters per IN (...) list


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _marks(count: int) -> str:
    return ",".join("?" * count)


# --- business days -------------------------------------------------------------------------------


def business_days(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """(id, day, closed_at) of the business days dated ``start``..``end``."""
    return conn.execute("SELECT id, day, closed_at FROM business_day WHERE day BETWEEN ? AND ?",
                        (start, end)).fetchall()


def closed_day_id(conn: sqlite3.Connection, day: str) -> int | None:
    """The id of business day ``day`` when it is closed; None when open or unknown."""
    try:
        row = conn.execute("SELECT id, closed_at FROM business_day WHERE day = ?",
                           (day,)).fetchone()
    except sqlite3.Error as exc:
        raise PlainStoreError(str(exc)) from exc
    return None if row is None or row[1] is None else int(row[0])


def day_opened_before(conn: sqlite3.Connection, moment: str) -> list[Row]:
    """(opened_at, closed_at, day) of the last business day opened at or before ``moment``."""
    return conn.execute("SELECT opened_at, closed_at, day FROM business_day WHERE opened_at <= ? "
                        "ORDER BY opened_at DESC LIMIT 1", (moment,)).fetchall()


def days_opened_after(conn: sqlite3.Connection, lower: str, upper: str | None) -> list[Row]:
    """(opened_at, closed_at, day) of the business days opened after ``lower`` (and before
    ``upper``), in order."""
    return conn.execute(
        "SELECT opened_at, closed_at, day FROM business_day WHERE opened_at > ?"
        + ("" if upper is None else " AND opened_at < ?") + " ORDER BY opened_at",
        (lower,) if upper is None else (lower, upper)).fetchall()


def closings(conn: sqlite3.Connection, date_from: str, date_to: str) -> list[str | None]:
    """closed_at of each business day dated in the range (None: still open)."""
    return [row[0] for row in conn.execute(
        "SELECT closed_at FROM business_day WHERE day BETWEEN ? AND ?", (date_from, date_to))]


# --- the sales of business days --------------------------------------------------------------------

LINE_COLUMNS = ("l.order_id, l.id, l.item_id, l.name, l.category_id, l.category_name, l.qty, "
                "l.complimentary, l.discount_amount, l.amount, l.unit_price")
_ORDER_FILTER = "o.business_day_id IN ({}) AND o.training = 0 AND o.paid_at IS NOT NULL"
_DAY_ORDERS = ("SELECT o.id, o.business_day_id, o.paid_at, o.gross, o.discount_total, "
               "o.service_total, o.total, o.supply, o.vat, o.tax_free, o.guests, o.zone, o.table_no "
               "FROM sale_order o WHERE "
               + _ORDER_FILTER)
_DAY_LINES = (f"SELECT {LINE_COLUMNS} FROM order_line l JOIN sale_order o ON o.id = l.order_id "
              f"WHERE {_ORDER_FILTER} ORDER BY l.order_id, l.position")
_DAY_PAYMENTS = ("SELECT p.order_id, p.method, p.wallet, p.amount, p.cash_receipt_approval_no "
                 f"FROM payment p JOIN sale_order o ON o.id = p.order_id WHERE {_ORDER_FILTER} "
                 "ORDER BY p.order_id, p.id")
_ORDER_LINES = (f"SELECT {LINE_COLUMNS} FROM order_line l WHERE l.order_id IN ({{}})"
                " ORDER BY l.order_id, l.position")


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int]) -> dict[int, list[Row]]:
    """Rows of ``sql`` (its ``IN ({})`` filled with ``ids``), grouped by their first column."""
    out: dict[int, list[Row]] = {}
    for part in _chunks(ids):
        for row in conn.execute(sql.format(_marks(len(part))), tuple(part)):
            out.setdefault(row[0], []).append(row)
    return out


def day_orders(conn: sqlite3.Connection, day_ids: Sequence[int]) -> dict[int, list[Row]]:
    """order id → [(id, business_day_id, paid_at, gross, discount_total, service_total, total,
    supply, vat, tax_free, guests, zone, table_no)]: the paid, non-training orders of the
    business days."""
    return _grouped(conn, _DAY_ORDERS, day_ids)


def day_lines(conn: sqlite3.Connection, day_ids: Sequence[int]) -> dict[int, list[Row]]:
    """order id → its lines (:data:`LINE_COLUMNS`, in position order) for those orders."""
    return _grouped(conn, _DAY_LINES, day_ids)


def day_payments(conn: sqlite3.Connection, day_ids: Sequence[int]) -> dict[int, list[Row]]:
    """order id → [(order_id, method, wallet, amount, cash_receipt_approval_no)]."""
    return _grouped(conn, _DAY_PAYMENTS, day_ids)


def order_lines(conn: sqlite3.Connection, order_ids: Sequence[int]) -> dict[int, list[Row]]:
    """order id → its lines (:data:`LINE_COLUMNS`, in position order)."""
    return _grouped(conn, _ORDER_LINES, order_ids)


# --- refunds -------------------------------------------------------------------------------------

_REFUNDS = (
    "SELECT r.id, r.order_id, r.amount, r.lines_json, r.created_at, p.method, p.wallet, "
    "p.cash_receipt_approval_no, o.total, o.tax_free, o.discount_total, o.zone, o.table_no "
    "FROM refund r "
    "JOIN payment p ON p.id = r.payment_id JOIN sale_order o ON o.id = r.order_id "
    # o.paid_at: the tenders of an order never paid (an abandoned 복합결제, given back) were
    # never a sale, so giving them back is no refund either
    "WHERE r.training = 0 AND o.training = 0 AND o.paid_at IS NOT NULL "
    "AND r.created_at >= ?{upper} ORDER BY r.id")


def refunds_made(conn: sqlite3.Connection, lower: str, upper: str | None) -> Iterator[Row]:
    """(id, order_id, amount, lines_json, created_at, method, wallet, cash_receipt_approval_no,
    order total, order tax_free, order discount_total) of the refunds of paid, non-training
    orders made from ``lower`` (up to ``upper``), by id."""
    sql = _REFUNDS.format(upper="" if upper is None else " AND r.created_at < ?")
    return iter(conn.execute(sql, (lower,) if upper is None else (lower, upper)))


def refund_marks(conn: sqlite3.Connection, order_ids: Sequence[int]) -> Iterator[Row]:
    """(id, order_id, lines_json) of every refund of the orders, by id within each order."""
    for part in _chunks(order_ids):
        yield from conn.execute(
            f"SELECT id, order_id, lines_json FROM refund WHERE order_id IN ({_marks(len(part))}) "
            "ORDER BY id", tuple(part))


# --- rollups -------------------------------------------------------------------------------------

_PAID = ("FROM sale_order INDEXED BY ix_report_order_day WHERE business_day_id BETWEEN ? AND ? "
         "AND training = 0 AND paid_at IS NOT NULL")


def day_fingerprints(conn: sqlite3.Connection, first_id: int, last_id: int) -> list[Row]:
    """(business_day_id, orders, Σ total, max id) of the paid non-training orders of each
    business day with an id in ``first_id``..``last_id``."""
    return conn.execute("SELECT business_day_id, count(*), coalesce(sum(total), 0), "
                        f"coalesce(max(id), 0) {_PAID} GROUP BY business_day_id",
                        (first_id, last_id)).fetchall()


def range_fingerprint(conn: sqlite3.Connection, first_id: int, last_id: int
                      ) -> tuple[int, int, int]:
    """(orders, Σ total, max id) of the whole range's paid non-training orders."""
    count, total, top = conn.execute(
        f"SELECT count(*), coalesce(sum(total), 0), coalesce(max(id), 0) {_PAID}",
        (first_id, last_id)).fetchone()
    return int(count), int(total), int(top)


def sealed_days(conn: sqlite3.Connection, first: str, last: str) -> list[Row]:
    """(day, business_day_id, version, orders, total, max_order_id) of the sealed days dated
    ``first``..``last``."""
    return conn.execute("SELECT day, business_day_id, version, orders, total, max_order_id "
                        "FROM report_day WHERE day BETWEEN ? AND ?", (first, last)).fetchall()


def _rollup_filter(first: str, last: str, skip: set[str]) -> tuple[str, tuple[str, ...]]:
    not_skipped = f" AND day NOT IN ({_marks(len(skip))})" if skip else ""
    return f"day BETWEEN ? AND ?{not_skipped}", (first, last, *sorted(skip))


def rollup_day_totals(conn: sqlite3.Connection, fields: Sequence[str], first: str, last: str,
                      skip: set[str]) -> list[Row]:
    """(day, Σ field for each of ``fields``) of the sealed totals dated ``first``..``last``,
    but for the days in ``skip``, one row per day."""
    where, params = _rollup_filter(first, last, skip)
    sums = ", ".join(f"sum({name})" for name in fields)
    return conn.execute(f"SELECT day, {sums} FROM report_rollup WHERE dim = 'total' AND {where} "
                        "GROUP BY day", params).fetchall()


def rollup_rows(conn: sqlite3.Connection, fields: Sequence[str], first: str, last: str,
                skip: set[str]) -> list[Row]:
    """(dim, key, label, newest day, Σ field...) of every sealed grouping row in the range,
    summed over the days. The label is the newest day's: SQLite takes a bare column from the
    row holding max(day)."""
    where, params = _rollup_filter(first, last, skip)
    sums = ", ".join(f"sum({name})" for name in fields)
    return conn.execute(f"SELECT dim, key, label, max(day), {sums} FROM report_rollup WHERE "
                        f"dim != 'total' AND {where} GROUP BY dim, key", params).fetchall()


def replace_rollups(conn: sqlite3.Connection, fields: Sequence[str],
                    days: Sequence[tuple[str, int, Sequence[Row], Sequence[object]]],
                    version: int, built_at: str) -> str | None:
    """Store each day's rollup rows and its seal in one write transaction: ``days`` holds
    (date, business_day id, rows of (day, dim, key, label, *fields), fingerprint).

    Returns None when stored, or SQLite's reason when the file cannot be written now (busy,
    read-only, full): nothing was changed, and the rollups are only a cache.
    """
    marks = ", ".join("?" * (4 + len(fields)))
    insert = (f"INSERT INTO report_rollup (day, dim, key, label, {', '.join(fields)}) "
              f"VALUES ({marks})")
    try:
        conn.execute("BEGIN IMMEDIATE")
        for day, day_id, rows, fingerprint in days:
            conn.execute("DELETE FROM report_rollup WHERE day = ?", (day,))
            conn.executemany(insert, rows)
            conn.execute("INSERT OR REPLACE INTO report_day (day, business_day_id, version, "
                         "orders, total, max_order_id, built_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (day, day_id, version, *fingerprint, built_at))
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError):
            return str(exc)
        raise PlainStoreError(str(exc)) from exc
    return None
