"""객수 in the day rollups (report_rollup.guests); rollup VERSION 2 rebuilds the sealed days
(their new zone and table rows too)

Revision ID: 0016_report_guests
Revises: 0015_kitchen
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_report_guests'
down_revision = '0015_kitchen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(report_rollup)")}
    if 'guests' not in columns:
        op.add_column('report_rollup', sa.Column('guests', sa.Integer(), nullable=False,
                                                 server_default='0'))


def downgrade() -> None:
    op.drop_column('report_rollup', 'guests')
