"""주문번호 and the pickup board: sale_order.pickup_no and pickup_ready_at, and the business
day's next sequential number (owned by kspos/store/pickup.py)

Revision ID: 0017_pickup
Revises: 0016_report_guests
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_pickup'
down_revision = '0016_report_guests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy: sale_order is the biggest table) and idempotent, like
    # 0015. Orders paid before this revision have no number: they never show on the board.
    conn = op.get_bind()
    orders = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(sale_order)")}
    if 'pickup_no' not in orders:
        op.add_column('sale_order', sa.Column('pickup_no', sa.Integer(), nullable=True))
    if 'pickup_ready_at' not in orders:
        op.add_column('sale_order', sa.Column('pickup_ready_at', sa.DateTime(), nullable=True))
    days = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(business_day)")}
    if 'next_pickup_no' not in days:
        op.add_column('business_day', sa.Column('next_pickup_no', sa.Integer(), nullable=False,
                                                server_default='1'))
    # the board reads the day's numbered orders: a partial index keeps it to those
    op.create_index('ix_sale_order_pickup', 'sale_order', ['business_day_id', 'pickup_no'],
                    unique=False, if_not_exists=True,
                    sqlite_where=sa.text('pickup_no IS NOT NULL'))


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_sale_order_pickup")
    op.drop_column('business_day', 'next_pickup_no')  # in place (SQLite 3.35+), as 0014
    op.drop_column('sale_order', 'pickup_ready_at')
    op.drop_column('sale_order', 'pickup_no')
