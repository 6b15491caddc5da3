"""core schema

Revision ID: 0001_core
Revises: 
Create Date: 2026-11-25 18:55:18.756132
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_core'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS on every table and index: an older KSPOS# committed each statement on its
    # own, and a store it was killed in may hold part of this migration.

    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('color', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    op.create_table('option_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('multi', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('pin_hash', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False, if_not_exists=True)

    op.create_table('business_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=True),
    sa.Column('opening_float', sa.Integer(), nullable=False),
    sa.Column('next_receipt_seq', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('expected_cash', sa.Integer(), nullable=True),
    sa.Column('counted_cash', sa.Integer(), nullable=True),
    sa.Column('over_short', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['opened_by'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('business_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_day_day'), ['day'], unique=True, if_not_exists=True)

    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('tax_free', sa.Boolean(), nullable=False),
    sa.Column('barcode', sa.String(), nullable=True),
    sa.Column('sold_out', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_barcode'), ['barcode'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_item_category_id'), ['category_id'], unique=False, if_not_exists=True)

    op.create_table('option_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('price_delta', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['option_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('option_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_option_choice_group_id'), ['group_id'], unique=False, if_not_exists=True)

    op.create_table('item_option_group',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['option_group.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ),
    sa.PrimaryKeyConstraint('item_id', 'group_id'),
    if_not_exists=True,
    )
    op.create_table('sale_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_no', sa.String(), nullable=False),
    sa.Column('business_day_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('training', sa.Boolean(), nullable=False),
    sa.Column('table_no', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('order_discount_kind', sa.String(), nullable=True),
    sa.Column('order_discount_value', sa.Integer(), nullable=False),
    sa.Column('gross', sa.Integer(), nullable=False),
    sa.Column('discount_total', sa.Integer(), nullable=False),
    sa.Column('service_total', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('supply', sa.Integer(), nullable=False),
    sa.Column('vat', sa.Integer(), nullable=False),
    sa.Column('tax_free', sa.Integer(), nullable=False),
    sa.Column('refunded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['business_day_id'], ['business_day.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('sale_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_order_business_day_id'), ['business_day_id'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_sale_order_paid_at'), ['paid_at'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_sale_order_receipt_no'), ['receipt_no'], unique=True, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_sale_order_state'), ['state'], unique=False, if_not_exists=True)

    op.create_table('order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('category_name', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('options_json', sa.String(), nullable=False),
    sa.Column('unit_price', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('discount_kind', sa.String(), nullable=True),
    sa.Column('discount_value', sa.Integer(), nullable=False),
    sa.Column('discount_amount', sa.Integer(), nullable=False),
    sa.Column('complimentary', sa.Boolean(), nullable=False),
    sa.Column('tax_free', sa.Boolean(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('refunded_qty', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_line_order_id'), ['order_id'], unique=False, if_not_exists=True)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('refunded', sa.Integer(), nullable=False),
    sa.Column('tendered', sa.Integer(), nullable=False),
    sa.Column('change', sa.Integer(), nullable=False),
    sa.Column('training', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('wallet', sa.String(), nullable=True),
    sa.Column('approval_no', sa.String(), nullable=True),
    sa.Column('approval_date', sa.String(), nullable=True),
    sa.Column('approved_at', sa.String(), nullable=True),
    sa.Column('masked_pan', sa.String(), nullable=True),
    sa.Column('card_bin', sa.String(), nullable=True),
    sa.Column('brand', sa.String(), nullable=True),
    sa.Column('issuer_code', sa.String(), nullable=True),
    sa.Column('issuer', sa.String(), nullable=True),
    sa.Column('acquirer_code', sa.String(), nullable=True),
    sa.Column('acquirer', sa.String(), nullable=True),
    sa.Column('merchant_no', sa.String(), nullable=True),
    sa.Column('installment', sa.Integer(), nullable=False),
    sa.Column('van_class', sa.String(), nullable=True),
    sa.Column('van_serial', sa.String(), nullable=True),
    sa.Column('van_txn_id', sa.String(), nullable=True),
    sa.Column('cash_receipt_purpose', sa.String(), nullable=True),
    sa.Column('cash_receipt_id_masked', sa.String(), nullable=True),
    sa.Column('cash_receipt_approval_no', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_created_at'), ['created_at'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_payment_order_id'), ['order_id'], unique=False, if_not_exists=True)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('lines_json', sa.String(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('training', sa.Boolean(), nullable=False),
    sa.Column('approval_no', sa.String(), nullable=True),
    sa.Column('approval_date', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    if_not_exists=True,
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_created_at'), ['created_at'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_refund_order_id'), ['order_id'], unique=False, if_not_exists=True)
        batch_op.create_index(batch_op.f('ix_refund_payment_id'), ['payment_id'], unique=False, if_not_exists=True)




def downgrade() -> None:

    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_payment_id'))
        batch_op.drop_index(batch_op.f('ix_refund_order_id'))
        batch_op.drop_index(batch_op.f('ix_refund_created_at'))

    op.drop_table('refund')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_order_id'))
        batch_op.drop_index(batch_op.f('ix_payment_created_at'))

    op.drop_table('payment')
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_line_order_id'))

    op.drop_table('order_line')
    with op.batch_alter_table('sale_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_order_state'))
        batch_op.drop_index(batch_op.f('ix_sale_order_receipt_no'))
        batch_op.drop_index(batch_op.f('ix_sale_order_paid_at'))
        batch_op.drop_index(batch_op.f('ix_sale_order_business_day_id'))

    op.drop_table('sale_order')
    op.drop_table('item_option_group')
    with op.batch_alter_table('option_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_option_choice_group_id'))

    op.drop_table('option_choice')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_category_id'))
        batch_op.drop_index(batch_op.f('ix_item_barcode'))

    op.drop_table('item')
    with op.batch_alter_table('business_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_day_day'))

    op.drop_table('business_day')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('staff')
    op.drop_table('option_group')
    op.drop_table('category')

