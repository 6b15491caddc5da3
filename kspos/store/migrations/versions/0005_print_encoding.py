"""print jobs stored compressed (owned by kspos/receipts)

Revision ID: 0005_print_encoding
Revises: 0004_reports
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_print_encoding'
down_revision = '0004_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A raster slip is ~130 KB of mostly blank dots; stored deflated it is ~15 KB. Each sale's
    # commit then writes a few pages instead of thirty, and the WAL checkpoints that stall a
    # checkout come ten times less often. NULL = the payload is the printer bytes as they are.
    # Idempotent: an older KSPOS# committed each statement on its own, and a store it was
    # killed in may have the column already (SQLite has no ADD COLUMN IF NOT EXISTS).
    if 'encoding' in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('print_job')}:
        return
    with op.batch_alter_table('print_job') as batch:
        batch.add_column(sa.Column('encoding', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('print_job') as batch:
        batch.drop_column('encoding')
