"""report indexes and per-day rollups (owned by kspos/reports)

Revision ID: 0004_reports
Revises: 0003_printing
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0004_reports'
down_revision = '0003_printing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
