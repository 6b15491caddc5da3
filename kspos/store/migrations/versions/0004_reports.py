"""report indexes and per-day rollups (owned by kspos/reports)

Revision ID: 0004_reports
Revises: 0003_printing
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_reports'
down_revision = '0003_printing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS on every table and index: an older KSPOS# committed each statement on its
    # own, and a store it was killed in may hold part of this migration.
    # Covering index for "the paid, non-training orders of these business days": the live
    # day query and the rollup fingerprint read it without touching the table.
    op.create_index('ix_report_order_day', 'sale_order',
                    ['business_day_id', 'training', 'paid_at', 'total', 'id'], unique=False, if_not_exists=True)
    # One sealed (closed) business day: its fingerprint tells a stale rollup from a good one.
    op.create_table(
        'report_day',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('business_day_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('orders', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('max_order_id', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint('day'),
        if_not_exists=True,
    )
    # The sales of one sealed day, per grouping (dim: total, item, category, hour, tender).
    # Refunds are never rolled up: they count on the day they are made (kspos/reports).
    money = ('orders', 'qty', 'service_qty', 'gross', 'discounts', 'service', 'refunds',
             'refund_count', 'net_sales', 'supply', 'vat', 'tax_free', 'discount_orders',
             'service_orders')
    op.create_table(
        'report_rollup',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('dim', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('label', sa.String(), nullable=False, server_default=''),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default='0') for name in money),
        sa.PrimaryKeyConstraint('day', 'dim', 'key'),
        if_not_exists=True,
    )
    op.create_index('ix_report_rollup_dim_day', 'report_rollup', ['dim', 'day'], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_report_rollup_dim_day', table_name='report_rollup')
    op.drop_table('report_rollup')
    op.drop_table('report_day')
    op.drop_index('ix_report_order_day', table_name='sale_order')
