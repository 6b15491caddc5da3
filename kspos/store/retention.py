"""Sales records are kept five years (국세기본법 §85-3): the store refuses to delete them.

SQLite triggers refuse a DELETE of a younger row, whatever program or tool asks. Migration
``0009_retention`` creates them, and every upgrade creates them again at its end
(:func:`kspos.store.db.upgrade`), so a later migration that rebuilds one of these tables (Alembic's
batch mode copies and drops it, and its triggers with it) can never leave it unguarded.
"""

from __future__ import annotations

MESSAGE = "retention: sales records are kept 5 years (국세기본법 §85-3); not deleted"
YOUNG = "datetime('now', 'localtime', '-5 years')"

# table -> (its time, a further condition under which a delete is refused)
GUARDED: dict[str, tuple[str, str]] = {
    "sale_order": ("OLD.created_at", ""),
    "payment": ("OLD.created_at", ""),
    "refund": ("OLD.created_at", ""),
    "business_day": ("OLD.opened_at", ""),
    "audit_log": ("OLD.at", ""),
    # The lines of an order still on the counter (open, held) are rewritten at each save
    # (kspos.sales.service): they are not a sale yet. Once settled, they are.
    "order_line": ("(SELECT created_at FROM sale_order WHERE id = OLD.order_id)",
                   "(SELECT state FROM sale_order WHERE id = OLD.order_id) "
                   "NOT IN ('open', 'held')"),
    # The 망취소 journal: an INTENT row is cleared when a valid answer comes (the approval is
    # then the payment row, kept) or when nothing reached the host; once a reversal is owed
    # (pending) or done (reversed), the row is the record of it and of its outcome.
    "van_reversal": ("OLD.created_at", "OLD.state <> 'intent'"),
}


def drop_statements() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS retain_{table}" for table in GUARDED]


def create_statements() -> list[str]:
    """The triggers, each dropped first (so they can be applied again at any time)."""
    statements = drop_statements()
    for table, (at, extra) in GUARDED.items():
        when = f"{at} > {YOUNG}" + (f" AND {extra}" if extra else "")
        statements.append(f"CREATE TRIGGER retain_{table} BEFORE DELETE ON {table} WHEN {when} "
                          f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    return statements
