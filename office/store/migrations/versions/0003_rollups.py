"""Sales rollups kept at ingest: sales_rollup (store × business day × dim/key) and
rollup_refunds (the refunds already counted), built from the facts already stored.

Revision ID: 0003_rollups
Revises: 0001_office
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_rollups"
down_revision = "0002_users"
branch_labels = None
depends_on = None

FIELDS = ("orders", "qty", "service_qty", "gross", "discounts", "service", "refunds",
          "refund_count", "net_sales", "supply", "vat", "tax_free", "discount_orders",
          "service_orders")


def upgrade() -> None:
    op.create_table(
        "sales_rollup",
        sa.Column("store_code", sa.String(12), primary_key=True),
        sa.Column("business_day", sa.Date, primary_key=True),
        sa.Column("dim", sa.String(10), primary_key=True),
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in FIELDS))
    op.create_index("ix_sales_rollup_day", "sales_rollup", ["business_day", "dim"])
    op.create_table(
        "rollup_refunds",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("store_code", sa.String(12), nullable=False),
        sa.Column("business_day", sa.Date, nullable=False))
    # facts stored before this revision: counted once, by the same code the ingest runs
    from office.store.rollups import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("rollup_refunds")
    op.drop_index("ix_sales_rollup_day", table_name="sales_rollup")
    op.drop_table("sales_rollup")
