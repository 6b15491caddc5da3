"""VAN serial counters and the network-cancel journal (owned by kspos/van)

Revision ID: 0002_van
Revises: 0001_core
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0002_van'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
