"""print jobs for kitchen printers: which printer (``target``) and the slip they were drawn
from (owned by kspos/receipts)

Revision ID: 0015_kitchen
Revises: 0014_restaurant
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_kitchen'
down_revision = '0014_restaurant'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # '' is the receipt printer, as every job before this revision was; a kitchen printer's
    # jobs carry its [[kitchen]] name. slip_json keeps the kitchen slip itself, so a reprint
    # (재출력) or a move to another printer of another width/mode is drawn again from it.
    # Plain ADD COLUMN (no table copy) and idempotent, like 0005.
    columns = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('print_job')}
    if 'target' not in columns:
        op.add_column('print_job', sa.Column('target', sa.String(length=40), nullable=False,
                                             server_default=''))
    if 'slip_json' not in columns:
        op.add_column('print_job', sa.Column('slip_json', sa.String(), nullable=True))
    op.create_index('ix_print_job_target_state', 'print_job', ['target', 'state'],
                    unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_print_job_target_state', table_name='print_job')
    with op.batch_alter_table('print_job') as batch:
        batch.drop_column('slip_json')
        batch.drop_column('target')
