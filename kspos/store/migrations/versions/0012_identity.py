"""every fact gets a UUID made on the terminal, and the outbox that carries facts to the office

Revision ID: 0012_identity
Revises: 0011_day
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_identity'
down_revision = '0011_day'
branch_labels = None
depends_on = None

# The tables whose rows are facts, or are named by facts (staff, the menu).
TABLES = ('category', 'item', 'option_group', 'option_choice', 'staff', 'business_day',
          'sale_order', 'order_line', 'payment', 'refund', 'audit_log', 'van_reversal')

# A version-4 UUID made by SQLite itself: one UPDATE per table, however many years of sales
# the file holds (a Python loop over a million order lines would hold the upgrade for minutes).
UUID4 = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
         "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
         "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")

UNSENT_TRIGGER = 'outbox_keep_unsent'


def upgrade() -> None:
    # Plain ADD COLUMN, no table copy (a copy would trip the retention triggers of
    # 0009_retention); SQLite adds a column NOT NULL only with a constant default, so it is
    # nullable in the file and every row, old and new, has one (the models make them).
    # A table an older version's interrupted first start made from today's models may have
    # the column already (tests/unit/test_store.py): then only its empty values are filled.
    conn = op.get_bind()
    for table in TABLES:
        columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}
        if 'uuid' not in columns:
            op.add_column(table, sa.Column('uuid', sa.String(length=36), nullable=True))
        op.execute(f"UPDATE {table} SET uuid = {UUID4} WHERE uuid IS NULL")
        op.create_index(f'ix_{table}_uuid', table, ['uuid'], unique=True, if_not_exists=True)
    op.create_table(
        'outbox',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('body', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq'),
        sqlite_autoincrement=True,  # a compacted sequence number is never given again
        if_not_exists=True,
    )
    op.create_index('ix_outbox_uuid', 'outbox', ['uuid'], unique=True, if_not_exists=True)
    op.create_index('ix_outbox_sent_at', 'outbox', ['sent_at'], unique=False,
                    if_not_exists=True)
    # Only a row the office has may go (kspos/sync/outbox.py compact()); the facts themselves
    # stay five years under the retention triggers of their own tables.
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {UNSENT_TRIGGER} BEFORE DELETE ON outbox WHEN OLD.sent_at IS "
               "NULL BEGIN SELECT RAISE(ABORT, 'outbox: a fact not yet sent to the office is "
               "never deleted'); END")


def downgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {UNSENT_TRIGGER}")
    op.drop_index('ix_outbox_sent_at', table_name='outbox')
    op.drop_index('ix_outbox_uuid', table_name='outbox')
    op.drop_table('outbox')
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_uuid', table_name=table)
        op.drop_column(table, 'uuid')  # in place (SQLite 3.35+)
