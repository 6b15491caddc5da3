"""VAN serial counters and the network-cancel journal (owned by kspos/van)

Revision ID: 0002_van
Revises: 0001_core
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_van'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS on every table and index: an older KSPOS# committed each statement on its
    # own, and a store it was killed in may hold part of this migration.
    # 전문일련번호: the last sequence each TID used on each day (YYMMDD).
    op.create_table(
        'van_serial',
        sa.Column('tid', sa.String(), nullable=False),
        sa.Column('day', sa.String(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('tid', 'day'),
        if_not_exists=True,
    )
    # The network-cancel (망취소) journal. No card data: no track-2, no PAN.
    op.create_table(
        'van_reversal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('owner_pid', sa.Integer(), nullable=False),
        sa.Column('deadline', sa.Float(), nullable=False),
        sa.Column('tid', sa.String(), nullable=False),
        sa.Column('serial', sa.String(), nullable=False),
        sa.Column('klass', sa.String(), nullable=False),
        sa.Column('orig_type', sa.String(), nullable=False),
        sa.Column('mode', sa.String(), nullable=False),
        sa.Column('company', sa.String(), nullable=False),
        sa.Column('installment', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('service', sa.Integer(), nullable=False),
        sa.Column('vat', sa.Integer(), nullable=False),
        sa.Column('supply', sa.Integer(), nullable=False),
        sa.Column('tax_free', sa.Integer(), nullable=False),
        sa.Column('orig_approval_no', sa.String(), nullable=False),
        sa.Column('orig_approval_date', sa.String(), nullable=False),
        sa.Column('pos_ref', sa.String(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_retry', sa.Float(), nullable=False),
        sa.Column('last_error', sa.String(), nullable=False),
        sa.Column('result_message', sa.String(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        if_not_exists=True,
    )
    with op.batch_alter_table('van_reversal', schema=None) as batch_op:
        batch_op.create_index('ix_van_reversal_state', ['state'], unique=False, if_not_exists=True)
        batch_op.create_index('ix_van_reversal_tid_serial', ['tid', 'serial'], unique=True, if_not_exists=True)


def downgrade() -> None:
    with op.batch_alter_table('van_reversal', schema=None) as batch_op:
        batch_op.drop_index('ix_van_reversal_tid_serial')
        batch_op.drop_index('ix_van_reversal_state')
    op.drop_table('van_reversal')
    op.drop_table('van_serial')
