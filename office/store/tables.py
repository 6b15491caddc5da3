"""The office's tables (SQLAlchemy Core), on PostgreSQL and on SQLite alike.

- ``stores``, ``terminals``: who may push; a terminal's token is kept only as its SHA-256
  (a token is 256 random bits: a fast hash is the right one, unlike for a password).
- ``facts``: every outbox row a terminal sent, once (``uuid`` is the primary key), its body as
  JSON (JSONB on PostgreSQL).
- ``orders``, ``order_lines``, ``payments``, ``refunds``: the sales facts typed, written in
  the ingest's transaction, for the reports to read without parsing JSON.
- ``users``, ``user_stores``: who may log in to the back office (argon2 password hash, role
  ``admin`` or ``owner``) and the stores an owner sees; ``login_failures``: recent failed
  logins, for the throttle every office process shares; ``office_secrets``: the session
  signing key (made at ``kspos office init``), the same for every process.
- ``sales_rollup``: per store × business day × (dim, key) the additive report fields
  (kspos.reports.tally.FIELDS), kept current by the ingest (office/store/rollups.py), so
  the 판매집계 never scans raw facts; ``rollup_refunds`` records which refunds it counted.
- ``menu_versions``: menus published to one store (``store_code``) or every store (NULL),
  numbered per store; ``menu_applied``: which terminal applied which version when.
- ``fact_ids``: on PostgreSQL, each stored fact's UUID, the one place it is unique.

Migrations ``0001_office`` to ``0005_guests`` create exactly these; a test checks they agree.
On PostgreSQL the fact tables are partitioned by month, their primary keys then being (uuid,
the partition key): office/store/partitions.py.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

UUID_LEN = 36
Body = JSON().with_variant(JSONB(), "postgresql")
Won = BigInteger

stores = Table(
    "stores", metadata,
    Column("code", String(12), primary_key=True),
    Column("name", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
)

terminals = Table(
    "terminals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_code", String(12), ForeignKey("stores.code"), nullable=False),
    Column("terminal", String(2), nullable=False),
    Column("name", Text, nullable=False, server_default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
    UniqueConstraint("store_code", "terminal", name="uq_terminals_store_terminal"),
)

facts = Table(
    "facts", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("store_code", String(12), nullable=False),
    Column("terminal", String(2), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("body", Body, nullable=False),
    Column("received_at", DateTime, nullable=False),
    # the date the fact carries (office/store/partitions.py): PostgreSQL partitions on it
    Column("fact_day", Date, nullable=False),
    Index("ix_facts_store_kind", "store_code", "kind"),
    Index("ix_facts_terminal_seq", "store_code", "terminal", "seq"),
)

orders = Table(
    "orders", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("store_code", String(12), nullable=False),
    Column("terminal", String(2), nullable=False),
    Column("receipt_no", String(40), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("day_uuid", String(UUID_LEN), nullable=True),
    Column("state", String(10), nullable=False),
    Column("training", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("paid_at", DateTime, nullable=True),
    Column("gross", Won, nullable=False),
    Column("discount_total", Won, nullable=False),
    Column("service_total", Won, nullable=False),
    Column("total", Won, nullable=False),
    Column("supply", Won, nullable=False),
    Column("vat", Won, nullable=False),
    Column("tax_free", Won, nullable=False),
    Index("ix_orders_store_day", "store_code", "business_day"),
)

order_lines = Table(
    "order_lines", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("order_uuid", String(UUID_LEN), nullable=False, index=True),
    Column("store_code", String(12), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("position", Integer, nullable=False),
    Column("item_uuid", String(UUID_LEN), nullable=True),
    Column("category", Text, nullable=True),
    Column("name", Text, nullable=False),
    Column("unit_price", Won, nullable=False),
    Column("qty", Integer, nullable=False),
    Column("discount", Won, nullable=False),
    Column("complimentary", Boolean, nullable=False),
    Column("tax_free", Boolean, nullable=False),
    Column("amount", Won, nullable=False),
    Index("ix_order_lines_store_day", "store_code", "business_day"),
)

payments = Table(
    "payments", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("order_uuid", String(UUID_LEN), nullable=False, index=True),
    Column("store_code", String(12), nullable=False),
    Column("terminal", String(2), nullable=False),
    Column("receipt_no", String(40), nullable=False),
    Column("method", String(10), nullable=False),
    Column("amount", Won, nullable=False),
    Column("training", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("approval_no", String(20), nullable=True),
    Column("approval_date", String(8), nullable=True),
    Column("masked_pan", String(24), nullable=True),
    Column("card_bin", String(8), nullable=True),
    Column("issuer", Text, nullable=True),
    Column("acquirer", Text, nullable=True),
    Column("installment", Integer, nullable=False),
    Column("wallet", String(20), nullable=True),
    Index("ix_payments_store_created", "store_code", "created_at"),
)

refunds = Table(
    "refunds", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("order_uuid", String(UUID_LEN), nullable=False, index=True),
    Column("payment_uuid", String(UUID_LEN), nullable=False),
    Column("store_code", String(12), nullable=False),
    Column("terminal", String(2), nullable=False),
    Column("method", String(10), nullable=False),
    Column("amount", Won, nullable=False),
    Column("training", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("approval_no", String(20), nullable=True),
    Index("ix_refunds_store_created", "store_code", "created_at"),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=false()),
)

user_stores = Table(
    "user_stores", metadata,
    Column("login", String(64), ForeignKey("users.login"), primary_key=True),
    Column("store_code", String(12), ForeignKey("stores.code"), primary_key=True),
)

login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_login_failures_login_at", "login", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
)

office_secrets = Table(
    "office_secrets", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# dims of sales_rollup: 'total' (the day's totals), 'hour', 'item', 'category', 'tender',
# 'zone', 'table' (restaurants)
ROLLUP_FIELDS = ("orders", "qty", "service_qty", "gross", "discounts", "service", "refunds",
                 "refund_count", "net_sales", "supply", "vat", "tax_free", "discount_orders",
                 "service_orders", "guests")  # kspos.reports.tally.FIELDS (a test checks them)

sales_rollup = Table(
    "sales_rollup", metadata,
    Column("store_code", String(12), primary_key=True),
    Column("business_day", Date, primary_key=True),
    Column("dim", String(10), primary_key=True),
    Column("key", String(80), primary_key=True),
    Column("label", Text, nullable=False),
    *(Column(name, Won, nullable=False) for name in ROLLUP_FIELDS),
    Index("ix_sales_rollup_day", "business_day", "dim"),
)

rollup_refunds = Table(
    "rollup_refunds", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("store_code", String(12), nullable=False),
    Column("business_day", Date, nullable=False),
)

# --- menus published to the stores (migration 0004_menus) ----------------------------------------

menu_versions = Table(
    "menu_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_code", String(12), nullable=True),  # NULL: every store
    Column("version", Integer, nullable=False),
    Column("document", Body, nullable=False),
    Column("apply", String(8), nullable=False),
    Column("published_by", Text, nullable=False, server_default=""),
    Column("published_at", DateTime, nullable=False),
    Column("item_count", Integer, nullable=False),
    Index("ix_menu_versions_store_version", "store_code", "version"),
)

menu_applied = Table(
    "menu_applied", metadata,
    Column("store_code", String(12), primary_key=True),
    Column("terminal", String(2), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime, nullable=False),
)

# PostgreSQL: every fact's UUID once, unpartitioned. A partitioned table's unique key must
# hold its partition key, so ``facts`` alone cannot say "this UUID is stored, in any month";
# the ingest claims each UUID here first (office/store/partitions.py). Unused on SQLite,
# where facts.uuid is the key.
fact_ids = Table(
    "fact_ids", metadata,
    Column("uuid", String(UUID_LEN), primary_key=True),
    Column("fact_day", Date, nullable=False),
)
