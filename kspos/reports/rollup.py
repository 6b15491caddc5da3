"""Per-day rollups of closed business days' sales (tables of migration 0004_reports).

A closed day's sales never change (closing refuses open or held orders, and a date is opened
once), so its Facts are stored once, with a fingerprint of its paid orders; a report reads the
rows of every sealed day whose fingerprint still matches and computes the rest live. Refunds
are never stored here: they count on the day they are made.

Sealing needs no hook in the sales core: the closing screen and ``demo-data`` seal the day they
close, and any report that meets a closed, unsealed day seals it on the way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from kspos.reports.facts import DIMS, Facts, Row, now_stamp, sales_facts
from kspos.reports.tally import FIELDS, Tally

VERSION = 1  # bump when what a rollup row means changes: old rows are then rebuilt
Fingerprint = tuple[int, int, int]  # paid orders, their total, the largest order id


def fingerprints(conn: sqlite3.Connection, day_ids: Iterable[int]) -> dict[int, Fingerprint]:
    """(orders, Σ total, max id) of each business day's paid non-training orders."""
    ids = sorted(day_ids)
    found: dict[int, Fingerprint] = {i: (0, 0, 0) for i in ids}
    if not ids:
        return found
    for day_id, count, total, top in conn.execute(
            "SELECT business_day_id, count(*), coalesce(sum(total), 0), coalesce(max(id), 0) "
            f"FROM sale_order INDEXED BY ix_report_order_day WHERE {_ORDERS} "
            "GROUP BY business_day_id", (ids[0], ids[-1])):
        if day_id in found:
            found[day_id] = (count, total, top)
    return found


_ORDERS = "business_day_id BETWEEN ? AND ? AND training = 0 AND paid_at IS NOT NULL"


def valid_days(conn: sqlite3.Connection, closed: dict[int, str]) -> set[str]:
    """The dates among ``closed`` {business_day id: date} whose rollup can be trusted.

    One aggregate over the range first: when it equals the stored fingerprints' sum (the
    usual case) every day is good; otherwise each day is compared on its own.
    """
    if not closed:
        return set()
    dates = sorted(closed.values())
    stored = {row[0]: row[1:] for row in conn.execute(
        "SELECT day, business_day_id, version, orders, total, max_order_id FROM report_day "
        "WHERE day BETWEEN ? AND ?", (dates[0], dates[-1]))}
    usable = {day_id: day for day_id, day in closed.items()
              if (row := stored.get(day)) and row[0] == day_id and row[1] == VERSION}
    if not usable:
        return set()
    ids = sorted(closed)
    count, total, top = conn.execute(
        "SELECT count(*), coalesce(sum(total), 0), coalesce(max(id), 0) FROM sale_order "
        f"INDEXED BY ix_report_order_day WHERE {_ORDERS}", (ids[0], ids[-1])).fetchone()
    if len(usable) == len(closed) and len(ids) == ids[-1] - ids[0] + 1:
        rows = [stored[day] for day in usable.values()]
        if (count, total, top) == (sum(r[2] for r in rows), sum(r[3] for r in rows),
                                   max(r[4] for r in rows)):
            return set(usable.values())
    current = fingerprints(conn, closed)
    return {day for day_id, day in usable.items() if tuple(stored[day][2:]) == current[day_id]}


def read(conn: sqlite3.Connection, dates: set[str], skip: set[str], into: Facts) -> None:
    """Add the stored sales of ``dates`` (a range, minus the dates in ``skip``) to ``into``:
    summed in SQL, each row labelled with its newest day's words."""
    if not dates:
        return
    ordered = sorted(dates)
    sums = ", ".join(f"sum({name})" for name in FIELDS)
    marks = ",".join("?" * len(skip))
    not_skipped = f" AND day NOT IN ({marks})" if skip else ""
    params = (ordered[0], ordered[-1], *sorted(skip))
    for row in conn.execute(
            f"SELECT day, {sums} FROM report_rollup WHERE dim = 'total' AND day BETWEEN ? "
            f"AND ?{not_skipped} GROUP BY day", params):
        tally = Tally.of(row[1:])
        into.totals += tally
        into.row("day", row[0], row[0], row[0]).__iadd__(tally)
    # SQLite takes the bare ``label`` from the row holding max(day): the newest name.
    for row in conn.execute(
            f"SELECT dim, key, label, max(day), {sums} FROM report_rollup WHERE dim != 'total' "
            f"AND day BETWEEN ? AND ?{not_skipped} GROUP BY dim, key", params):
        into.row(row[0], row[1], row[2], row[3]).__iadd__(Tally.of(row[4:]))


def _rows(day: str, facts: Facts) -> list[tuple]:  # type: ignore[type-arg]
    rows: list[tuple] = [(day, "total", "", "", *facts.totals.values())]  # type: ignore[type-arg]
    for dim in DIMS:
        if dim == "day":
            continue
        row: Row
        for row in facts.dims[dim].values():
            rows.append((day, dim, row.key, row.label, *row.tally.values()))
    return rows


def store(conn: sqlite3.Connection, closed: dict[int, str], facts: dict[str, Facts]) -> int:
    """Seal closed days {id: date} whose live ``facts`` were just computed. Returns days
    stored; a read-only or busy database is logged and skipped (the cache is optional)."""
    if not closed:
        return 0
    prints = fingerprints(conn, closed)
    marks = ", ".join("?" * (4 + len(FIELDS)))
    try:
        conn.execute("BEGIN IMMEDIATE")
        for day_id, day in closed.items():
            conn.execute("DELETE FROM report_rollup WHERE day = ?", (day,))
            conn.executemany(f"INSERT INTO report_rollup (day, dim, key, label, "
                             f"{', '.join(FIELDS)}) VALUES ({marks})",
                             _rows(day, facts.get(day) or Facts()))
            conn.execute("INSERT OR REPLACE INTO report_day (day, business_day_id, version, "
                         "orders, total, max_order_id, built_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (day, day_id, VERSION, *prints[day_id], now_stamp()))
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        import logging  # lazy: logging costs ``kspos report`` ~10 ms at start-up

        logging.getLogger(__name__).info("report rollups not stored (%s); computing live", exc)
        return 0
    return len(closed)


def seal_day(conn: sqlite3.Connection, day: str) -> bool:
    """Seal one closed business day (call after BusinessDays.close). False if not closed."""
    row = conn.execute("SELECT id, closed_at FROM business_day WHERE day = ?", (day,)).fetchone()
    if row is None or row[1] is None:
        return False
    closed = {int(row[0]): day}
    return store(conn, closed, sales_facts(conn, closed)) == 1
