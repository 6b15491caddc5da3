"""Sales rollups kept at ingest: sales_rollup (store × business day × dim/key) and
rollup_refunds (the refunds already counted), built from the facts already stored; the date
each fact carries (facts.fact_day); on PostgreSQL the five fact tables partitioned by month
(office/store/partitions.py explains the keys).

Revision ID: 0003_rollups
Revises: 0002_users
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


# the indexes of the fact tables as 0001_office made them (made again on the partitioned ones)
INDEXES = {
    "facts": [("ix_facts_store_kind", ["store_code", "kind"]),
              ("ix_facts_terminal_seq", ["store_code", "terminal", "seq"])],
    "orders": [("ix_orders_store_day", ["store_code", "business_day"])],
    "order_lines": [("ix_order_lines_order_uuid", ["order_uuid"]),
                    ("ix_order_lines_store_day", ["store_code", "business_day"])],
    "payments": [("ix_payments_order_uuid", ["order_uuid"]),
                 ("ix_payments_store_created", ["store_code", "created_at"])],
    "refunds": [("ix_refunds_order_uuid", ["order_uuid"]),
                ("ix_refunds_store_created", ["store_code", "created_at"])],
}
_FACT_DAY = {
    "postgresql": "CASE kind WHEN 'order' THEN CAST(body->>'business_day' AS date) "
                  "WHEN 'payment' THEN CAST(CAST(body->>'created_at' AS timestamp) AS date) "
                  "WHEN 'refund' THEN CAST(CAST(body->>'created_at' AS timestamp) AS date) "
                  "ELSE CAST(CAST(body->>'at' AS timestamp) AS date) END",
    "sqlite": "CASE kind WHEN 'order' THEN json_extract(body, '$.business_day') "
              "WHEN 'payment' THEN substr(json_extract(body, '$.created_at'), 1, 10) "
              "WHEN 'refund' THEN substr(json_extract(body, '$.created_at'), 1, 10) "
              "ELSE substr(json_extract(body, '$.at'), 1, 10) END",
}


def _fact_day() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("fact_day", sa.Date, nullable=False,
                                   server_default="1970-01-01"))
    op.execute(f"UPDATE facts SET fact_day = {_FACT_DAY[dialect]}")
    with op.batch_alter_table("facts") as batch:
        batch.alter_column("fact_day", server_default=None)


def upgrade() -> None:
    _fact_day()
    op.create_table(
        "fact_ids",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("fact_day", sa.Date, nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        from office.store.partitions import partition_existing

        op.execute("INSERT INTO fact_ids (uuid, fact_day) SELECT uuid, fact_day FROM facts")
        partition_existing(op.get_bind(), INDEXES)
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
    # facts stored before this revision are counted by 0005_guests (the newest revision that
    # changes what a rollup row holds), by the same code the ingest runs: counting them here
    # would run today's code against the columns of this revision


def downgrade() -> None:
    # the partitioned tables stay partitioned (their rows and keys are still right)
    with op.batch_alter_table("facts") as batch:
        batch.drop_column("fact_day")
    op.drop_table("fact_ids")
    op.drop_table("rollup_refunds")
    op.drop_index("ix_sales_rollup_day", table_name="sales_rollup")
    op.drop_table("sales_rollup")
