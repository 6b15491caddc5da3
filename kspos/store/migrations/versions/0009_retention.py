"""sales records are kept five years: triggers refuse deleting younger ones (국세기본법 §85-3)

Revision ID: 0009_retention
Revises: 0005_print_encoding
"""
from alembic import op

revision = '0009_retention'
down_revision = '0005_print_encoding'
branch_labels = None
depends_on = None

# 거래 기록 is kept five years from the filing deadline (국세기본법 §85-3): the store itself
# refuses to delete a younger row, whatever program or tool asks. Five years from the row's
# own time is the rule checked here; a row older than that may be deleted (archiving).
# A later migration that rebuilds one of these tables (batch mode copies and drops it) must
# create its trigger again: tests/unit/test_retention.py checks they are all at head.
MESSAGE = "retention: sales records are kept 5 years (국세기본법 §85-3); not deleted"
YOUNG = "datetime('now', 'localtime', '-5 years')"

# table -> (its time column, an extra condition under which a delete is refused)
GUARDED = {
    'sale_order': ('OLD.created_at', ''),
    'payment': ('OLD.created_at', ''),
    'refund': ('OLD.created_at', ''),
    'business_day': ('OLD.opened_at', ''),
    'audit_log': ('OLD.at', ''),
    # The lines of an order still on the counter (open, held) are rewritten at each save
    # (kspos.sales): they are not a sale yet. Once settled, they are.
    'order_line': ("(SELECT created_at FROM sale_order WHERE id = OLD.order_id)",
                   "(SELECT state FROM sale_order WHERE id = OLD.order_id) "
                   "NOT IN ('open', 'held')"),
    # The 망취소 journal: an INTENT row is cleared when a valid answer comes (the approval is
    # then the payment row) or when nothing reached the host; once a reversal is owed
    # (pending) or done (reversed), the row is the record of it and of its outcome.
    'van_reversal': ('OLD.created_at', "OLD.state <> 'intent'"),
}


def upgrade() -> None:
    for table, (at, extra) in GUARDED.items():
        when = f"{at} > {YOUNG}" + (f" AND {extra}" if extra else "")
        op.execute(f"DROP TRIGGER IF EXISTS retain_{table}")
        op.execute(f"CREATE TRIGGER retain_{table} BEFORE DELETE ON {table} "
                   f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    for table in GUARDED:
        op.execute(f"DROP TRIGGER IF EXISTS retain_{table}")
