"""sales records are kept five years: triggers refuse deleting younger ones (국세기본법 §85-3)

Revision ID: 0009_retention
Revises: 0008_money
"""
from alembic import op

from kspos.store.retention import create_statements, drop_statements

revision = '0009_retention'
down_revision = '0008_money'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The rules (which tables, which rows) live in kspos/store/retention.py; every upgrade
    # applies them again at its end, so a later migration that rebuilds a table keeps them.
    for statement in create_statements():
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements():
        op.execute(statement)
