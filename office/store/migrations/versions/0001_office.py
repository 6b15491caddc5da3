"""The office: stores, terminals (hashed tokens), facts, and the typed sales tables.

Revision ID: 0001_office
Revises:
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_office"
down_revision = None
branch_labels = None
depends_on = None

_UUID = sa.String(36)
_WON = sa.BigInteger()


def _uuid_pk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("uuid", _UUID, primary_key=True)


def _won(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, _WON, nullable=False)


def _identity() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("store_code", sa.String(12), nullable=False),
            sa.Column("terminal", sa.String(2), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("code", sa.String(12), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_table(
        "terminals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store_code", sa.String(12), sa.ForeignKey("stores.code"), nullable=False),
        sa.Column("terminal", sa.String(2), nullable=False),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("store_code", "terminal", name="uq_terminals_store_terminal"))
    op.create_table(
        "facts", _uuid_pk(), *_identity(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("body", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False))
    op.create_index("ix_facts_store_kind", "facts", ["store_code", "kind"])
    op.create_index("ix_facts_terminal_seq", "facts", ["store_code", "terminal", "seq"])
    _sales_tables()


def _sales_tables() -> None:
    op.create_table(
        "orders", _uuid_pk(), *_identity(),
        sa.Column("receipt_no", sa.String(40), nullable=False),
        sa.Column("business_day", sa.Date, nullable=False),
        sa.Column("day_uuid", _UUID, nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("paid_at", sa.DateTime, nullable=True),
        *[_won(n) for n in ("gross", "discount_total", "service_total", "total", "supply",
                            "vat", "tax_free")])
    op.create_index("ix_orders_store_day", "orders", ["store_code", "business_day"])
    op.create_table(
        "order_lines", _uuid_pk(),
        sa.Column("order_uuid", _UUID, nullable=False),
        sa.Column("store_code", sa.String(12), nullable=False),
        sa.Column("business_day", sa.Date, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item_uuid", _UUID, nullable=True),
        sa.Column("category", sa.Text, nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        _won("unit_price"),
        sa.Column("qty", sa.Integer, nullable=False),
        _won("discount"),
        sa.Column("complimentary", sa.Boolean, nullable=False),
        sa.Column("tax_free", sa.Boolean, nullable=False),
        _won("amount"))
    op.create_index("ix_order_lines_order_uuid", "order_lines", ["order_uuid"])
    op.create_index("ix_order_lines_store_day", "order_lines", ["store_code", "business_day"])
    op.create_table(
        "payments", _uuid_pk(),
        sa.Column("order_uuid", _UUID, nullable=False), *_identity(),
        sa.Column("receipt_no", sa.String(40), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        _won("amount"),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("approval_no", sa.String(20), nullable=True),
        sa.Column("approval_date", sa.String(8), nullable=True),
        sa.Column("masked_pan", sa.String(24), nullable=True),
        sa.Column("card_bin", sa.String(8), nullable=True),
        sa.Column("issuer", sa.Text, nullable=True),
        sa.Column("acquirer", sa.Text, nullable=True),
        sa.Column("installment", sa.Integer, nullable=False),
        sa.Column("wallet", sa.String(20), nullable=True))
    op.create_index("ix_payments_order_uuid", "payments", ["order_uuid"])
    op.create_index("ix_payments_store_created", "payments", ["store_code", "created_at"])
    op.create_table(
        "refunds", _uuid_pk(),
        sa.Column("order_uuid", _UUID, nullable=False),
        sa.Column("payment_uuid", _UUID, nullable=False), *_identity(),
        sa.Column("method", sa.String(10), nullable=False),
        _won("amount"),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("approval_no", sa.String(20), nullable=True))
    op.create_index("ix_refunds_order_uuid", "refunds", ["order_uuid"])
    op.create_index("ix_refunds_store_created", "refunds", ["store_code", "created_at"])


def downgrade() -> None:
    for name in ("refunds", "payments", "order_lines", "orders", "facts", "terminals",
                 "stores"):
        op.drop_table(name)
