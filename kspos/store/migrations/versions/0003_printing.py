"""print queue (owned by kspos/receipts)

Revision ID: 0003_printing
Revises: 0002_van
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0003_printing'
down_revision = '0002_van'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
