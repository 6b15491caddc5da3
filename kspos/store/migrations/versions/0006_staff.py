"""staff management: demo-PIN flag, PIN lockout per terminal (owned by kspos/users)

Revision ID: 0006_staff
Revises: 0005_print_encoding
"""
import hashlib
import hmac

import sqlalchemy as sa
from alembic import op

revision = '0006_staff'
down_revision = '0005_print_encoding'
branch_labels = None
depends_on = None

# The demo staff that ensure_defaults() gives an empty store (kspos/sales/staff.py DEMO_STAFF).
_DEMO = {("김민지", "cashier"): "1111", ("홍길동", "owner"): "0000",
         ("박기술", "technician"): "9999"}


def _is_pin(pin: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1,
                            dklen=32)
    return scheme == "scrypt" and hmac.compare_digest(digest.hex(), digest_hex)


def upgrade() -> None:
    # True while a member still has the PIN ensure_defaults() gave them: the screen warns
    # until it is changed (a flag, because testing every hash at start-up costs ~40 ms each).
    conn = op.get_bind()
    # Made already when an interrupted first start created staff from today's models (with
    # columns added after this one, which batch mode cannot order a second pin_demo among).
    if 'pin_demo' not in {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(staff)")}:
        with op.batch_alter_table('staff') as batch:
            batch.add_column(sa.Column('pin_demo', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    for staff_id, name, role, pin_hash in conn.execute(
            sa.text("SELECT id, name, role, pin_hash FROM staff")).fetchall():
        demo = _DEMO.get((name, role))
        if demo is not None and _is_pin(demo, pin_hash):
            conn.execute(sa.text("UPDATE staff SET pin_demo = 1 WHERE id = :id"),
                         {"id": staff_id})
    # Wrong PINs per terminal (the VAN TID): kept in the store so a restart does not reset it.
    op.create_table(
        'pin_lockout',
        sa.Column('terminal', sa.String(length=32), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('lockouts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('locked_until', sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint('terminal'),
    )


def downgrade() -> None:
    op.drop_table('pin_lockout')
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('pin_demo')
