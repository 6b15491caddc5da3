"""restaurant mode: the floor (zones, tables), checks on tables (table, zone, guests,
pre-bill, carry-over), rounds sent to the kitchen, stored splits and which part a tender paid

Revision ID: 0014_restaurant
Revises: 0013_menu_sync
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_restaurant'
down_revision = '0013_menu_sync'
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    conn = op.get_bind()
    return {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}


def upgrade() -> None:
    op.create_table(
        'floor_zone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('name_en', sa.String(), nullable=False, server_default=''),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('active', sa.Boolean(), nullable=False, server_default='1'),
        sa.PrimaryKeyConstraint('id'),
        if_not_exists=True,
    )
    op.create_index('ix_floor_zone_uuid', 'floor_zone', ['uuid'], unique=True,
                    if_not_exists=True)
    op.create_table(
        'dining_table',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('zone_id', sa.Integer(), sa.ForeignKey('floor_zone.id'), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('x', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('y', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('w', sa.Integer(), nullable=False, server_default='3'),
        sa.Column('h', sa.Integer(), nullable=False, server_default='2'),
        sa.Column('seats', sa.Integer(), nullable=False, server_default='4'),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('active', sa.Boolean(), nullable=False, server_default='1'),
        sa.PrimaryKeyConstraint('id'),
        if_not_exists=True,
    )
    op.create_index('ix_dining_table_uuid', 'dining_table', ['uuid'], unique=True,
                    if_not_exists=True)
    op.create_index('ix_dining_table_zone_id', 'dining_table', ['zone_id'],
                    if_not_exists=True)
    # plain ADD COLUMN: no table copy (the retention triggers stay as they are)
    have = _columns('sale_order')
    for column in (sa.Column('table_id', sa.Integer(), nullable=True),
                   sa.Column('zone', sa.String(), nullable=False, server_default=''),
                   sa.Column('guests', sa.Integer(), nullable=False, server_default='0'),
                   sa.Column('bill_printed_at', sa.DateTime(), nullable=True),
                   sa.Column('carry_over', sa.Boolean(), nullable=False, server_default='0'),
                   sa.Column('check_rev', sa.Integer(), nullable=False, server_default='0')):
        if column.name not in have:
            op.add_column('sale_order', column)
    if 'round_no' not in _columns('order_line'):
        op.add_column('order_line', sa.Column('round_no', sa.Integer(), nullable=False,
                                              server_default='0'))
    if 'split_part' not in _columns('payment'):
        op.add_column('payment', sa.Column('split_part', sa.Integer(), nullable=True))
    # the floor's one read (the open checks on tables), and one open check per table held
    # by the file itself, whatever two registers do at once
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS ix_sale_order_open_table ON sale_order "
               "(table_id) WHERE state = 'open' AND table_id IS NOT NULL")
    op.create_table(
        'check_round',
        sa.Column('order_id', sa.Integer(), sa.ForeignKey('sale_order.id'), nullable=False),
        sa.Column('round_no', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('memo', sa.String(), nullable=False, server_default=''),
        sa.PrimaryKeyConstraint('order_id', 'round_no'),
        if_not_exists=True,
    )
    op.create_table(
        'check_split',
        sa.Column('order_id', sa.Integer(), sa.ForeignKey('sale_order.id'), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('parts_json', sa.String(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.PrimaryKeyConstraint('order_id'),
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_table('check_split')
    op.drop_table('check_round')
    op.execute("DROP INDEX IF EXISTS ix_sale_order_open_table")
    op.drop_column('payment', 'split_part')
    op.drop_column('order_line', 'round_no')
    for name in ('check_rev', 'carry_over', 'bill_printed_at', 'guests', 'zone', 'table_id'):
        op.drop_column('sale_order', name)
    op.drop_table('dining_table')
    op.drop_table('floor_zone')
