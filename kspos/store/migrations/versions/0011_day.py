"""the register (terminal) that has an open order on its counter

Revision ID: 0011_day
Revises: 0009_retention
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_day'
down_revision = '0009_retention'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The order on the counter is saved as it is built; at start-up a register moves to
    # 보류목록 only the open orders of registers that are gone (kspos/sales/terminal.py), never the
    # one another register on the same file is taking. NULL = no register known (older rows).
    # A plain ADD COLUMN: no table copy (a copy of sale_order would trip the retention
    # triggers of 0009_retention that name it).
    op.add_column('sale_order', sa.Column('terminal', sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column('sale_order', 'terminal')  # SQLite 3.35+ drops a column in place
