"""sale_order.refund_claim: one refund at a time per order (owned by kspos/sales/refunds.py)

Revision ID: 0008_money
Revises: 0007_van
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_money'
down_revision = '0007_van'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Who is giving money back on the order right now (host:pid:nonce:epoch), taken with a
    # conditional UPDATE before any cancel or cash goes out, so a second register is refused
    # before it sends anything; NULL = nobody. A plain ADD COLUMN: SQLite needs no table copy.
    op.add_column('sale_order', sa.Column('refund_claim', sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column('sale_order', 'refund_claim')  # in place (SQLite 3.35+): no table copy
