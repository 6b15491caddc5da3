"""menus from the office (versions received, pending, applied) and the office's refusals kept
on the outbox rows they refuse

Revision ID: 0013_menu_sync
Revises: 0012_identity
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_menu_sync'
down_revision = '0012_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'menu_version',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('apply', sa.String(length=8), nullable=False),
        sa.Column('document', sa.String(), nullable=False),
        sa.Column('published_at', sa.String(length=32), nullable=False, server_default=''),
        sa.Column('published_by', sa.String(length=64), nullable=False, server_default=''),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=True),
        sa.Column('reported_at', sa.DateTime(), nullable=True),
        sa.Column('reason', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('version'),
        if_not_exists=True,
    )
    conn = op.get_bind()
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(outbox)")}
    # plain ADD COLUMN: no table copy (the outbox's delete trigger stays as it is)
    if 'refused_reason' not in columns:
        op.add_column('outbox', sa.Column('refused_reason', sa.String(), nullable=True))
    if 'refused_at' not in columns:
        op.add_column('outbox', sa.Column('refused_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'refused_at')
    op.drop_column('outbox', 'refused_reason')
    op.drop_table('menu_version')
