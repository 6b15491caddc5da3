"""The soak day's books: what the cashier's hands did, held against the store's database, the
VAN host simulator and the drawer (bench/soak.py ``Day.audit``)."""

from __future__ import annotations

from typing import Any


def audit_books(soak: Any, tid: str) -> None:
    """Hold what the cashier did against the database, the host and the drawer."""
    import sqlite3

    from tests.reliability.ledger import problems

    report = soak.report
    db_path = soak.context.db.path
    report.problems += problems(db_path, soak.sim.sim.state, tid)
    conn = sqlite3.connect(db_path)
    try:
        rows = {r[0]: r for r in conn.execute(
            "SELECT id, receipt_no, state, total, refunded FROM sale_order WHERE training = 0")}
        day = conn.execute("SELECT expected_cash, counted_cash, over_short, closed_at, "
                           "opening_float FROM business_day").fetchall()
        jobs = conn.execute("SELECT ref, state FROM print_job WHERE kind = 'sale'").fetchall()
    finally:
        conn.close()
    seen = set()
    for n, t in enumerate(soak.tracked):
        row = rows.get(t.order.id) if t.order.id is not None else None
        if t.state == "voided" and row is None:
            continue  # voided before it was ever saved: nothing to record
        if row is None:
            report.problems.append(f"order {n} ({t.state}, {t.total:,}원) is not in the store")
            continue
        seen.add(row[0])
        if row[2] != t.state or (t.state != "voided" and row[3] != t.total):
            report.problems.append(f"order {row[1]}: the store says {row[2]} {row[3]:,}원, "
                                   f"the cashier {t.state} {t.total:,}원")
        if row[4] != t.refunded:
            report.problems.append(f"order {row[1]}: refunded {row[4]:,}원 in the store, "
                                   f"{t.refunded:,}원 by the cashier")
    extra = set(rows) - seen
    report.problems += [f"order {rows[i][1]} ({rows[i][2]}) was never made by the cashier"
                        for i in sorted(extra)]
    paid_refs = {rows[i][1] for i in seen if rows[i][2] != "voided"}
    printed = [ref for ref, state in jobs if state == "done"]
    if sorted(printed) != sorted(set(printed)):
        report.problems.append("a sale slip was printed twice")
    missing = paid_refs - set(printed)
    if missing:
        report.problems.append(f"{len(missing)} paid orders have no printed slip, e.g. "
                               f"{sorted(missing)[:3]}")
    if len(day) != 1 or day[0][3] is None:
        report.problems.append("the day was not Z-closed")
        return
    expected, _counted, over_short, _closed, float_ = day[0]
    report.over_short = over_short
    mine = float_ + soak.cash_in - soak.cash_back
    if expected != mine or over_short != 0:
        report.problems.append(f"Z: expected cash {expected:,}원, the cashier's tally "
                               f"{float_:,} + {soak.cash_in:,} − {soak.cash_back:,} = "
                               f"{mine:,}원, over/short {over_short:+,}원")
