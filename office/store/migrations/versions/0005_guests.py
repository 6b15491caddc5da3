"""객수 in the rollups: a restaurant's guests per store × day × grouping (zone and table are
new keys of the same rows; older rows count no guests, as no restaurant pushed before)

Revision ID: 0005_guests
Revises: 0004_menus
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_guests"
down_revision = "0004_menus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sales_rollup", sa.Column("guests", sa.BigInteger, nullable=False,
                                            server_default="0"))


def downgrade() -> None:
    op.drop_column("sales_rollup", "guests")
