"""Menus published to the stores: versions (one store or every store) and who applied them.

Revision ID: 0004_menus
Revises: 0001_office
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004_menus"
down_revision = "0003_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "menu_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store_code", sa.String(12), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("apply", sa.String(8), nullable=False),
        sa.Column("published_by", sa.Text, nullable=False, server_default=""),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False))
    op.create_index("ix_menu_versions_store_version", "menu_versions",
                    ["store_code", "version"])
    op.create_table(
        "menu_applied",
        sa.Column("store_code", sa.String(12), primary_key=True),
        sa.Column("terminal", sa.String(2), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("applied_at", sa.DateTime, nullable=False))


def downgrade() -> None:
    op.drop_table("menu_applied")
    op.drop_index("ix_menu_versions_store_version", table_name="menu_versions")
    op.drop_table("menu_versions")
