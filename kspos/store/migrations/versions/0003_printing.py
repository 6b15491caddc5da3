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
    # IF NOT EXISTS on every table and index: an older KSPOS# committed each statement on its
    # own, and a store it was killed in may hold part of this migration.
    # One row per receipt to print. Written before the printer is asked, so a receipt is never
    # lost to a paper-out; payload holds the rendered ESC/POS bytes (masked card data only).
    op.create_table(
        'print_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('ref', sa.String(length=64), nullable=False, server_default=''),
        sa.Column('payload', sa.LargeBinary(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False, server_default='pending'),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('last_error', sa.String(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('printed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        if_not_exists=True,
    )
    op.create_index('ix_print_job_state', 'print_job', ['state'], unique=False, if_not_exists=True)
    op.create_index('ix_print_job_ref', 'print_job', ['ref'], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_print_job_ref', table_name='print_job')
    op.drop_index('ix_print_job_state', table_name='print_job')
    op.drop_table('print_job')
