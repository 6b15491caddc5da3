"""VAN answers kept by the technician's commands (owned by kspos/van)

Revision ID: 0007_van
Revises: 0006_staff
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_van'
down_revision = '0006_staff'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every answer `kspos van approve|cancel` got, written in the transaction that clears the
    # request's 망취소 intent: a process killed after the answer leaves either the intent (its
    # 0440 goes out on the next run) or this row, never an approval nobody can name.
    # No card data: the masked PAN at most.
    op.create_table(
        'van_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('tid', sa.String(), nullable=False),
        sa.Column('serial', sa.String(), nullable=False),
        sa.Column('request_type', sa.String(), nullable=False),
        sa.Column('klass', sa.String(), nullable=False),
        sa.Column('mode', sa.String(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('code', sa.String(), nullable=False),
        sa.Column('message', sa.String(), nullable=False),
        sa.Column('approval_no', sa.String(), nullable=False),
        sa.Column('approval_date', sa.String(), nullable=False),
        sa.Column('approved_at', sa.String(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('installment', sa.Integer(), nullable=False),
        sa.Column('masked_pan', sa.String(), nullable=False),
        sa.Column('wallet', sa.String(), nullable=False),
        sa.Column('masked_identity', sa.String(), nullable=False),
        sa.Column('van_txn_id', sa.String(), nullable=False),
        sa.Column('orig_approval_no', sa.String(), nullable=False),
        sa.Column('orig_approval_date', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('van_record')
