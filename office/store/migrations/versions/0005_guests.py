"""객수 in the rollups: a restaurant's guests per store × day × grouping (zone and table are
new keys of the same rows); every stored sales fact is counted again from nothing by the
ingest's own code, so an office upgraded with facts in it gets its zone and table rows too

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
    from office.store.rollups import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_column("sales_rollup", "guests")
