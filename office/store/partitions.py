"""Monthly partitions of the fact tables on PostgreSQL (declarative ``PARTITION BY RANGE``).

``facts``, ``orders``, ``order_lines``, ``payments`` and ``refunds`` grow by every sale of every
store; partitioned by month, a month's reads touch one partition and old months can be
detached or archived whole. Each table is partitioned on a date **the fact itself carries**:

======================  ==============================  ====================================
table                   partition key                   primary key
======================  ==============================  ====================================
``facts``               ``fact_day`` (:func:`fact_day`)  ``(uuid, fact_day)``
``orders``              ``business_day``                ``(uuid, business_day)``
``order_lines``         ``business_day`` (its order's)  ``(uuid, business_day)``
``payments``            ``created_at``                  ``(uuid, created_at)``
``refunds``             ``created_at``                  ``(uuid, created_at)``
======================  ==============================  ====================================

PostgreSQL requires a unique key of a partitioned table to include the partition key, so the
UUID alone cannot be the key. Idempotency stays exact all the same: every fact first claims its
UUID in ``fact_ids`` (unpartitioned, the UUID its primary key: one index probe, however many
months there are), and only the facts that claimed theirs are inserted (office.store.ingest.
_copy_insert); a batch sent again, or a *different* fact reusing a stored UUID with another
date (only a broken or hostile terminal does that), claims nothing and stores nothing, and the
batch's answer counts the latter as held, as before.

Partitions are made on demand: before a batch's rows are inserted, the months they fall in
are made (:func:`create`: a table made apart, then attached) in a short transaction of their
own, under an advisory lock so two servers never race; each process remembers the months it
has seen. The migration makes those of the rows already stored and the current month. There
is no default partition, so a row can never land in the wrong place. SQLite
(one store, the demo) keeps plain tables: ``fact_day`` is a column there and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

PARTITIONED = {"facts": "fact_day", "orders": "business_day", "order_lines": "business_day",
               "payments": "created_at", "refunds": "created_at"}
"""Table → the column it is partitioned on (PostgreSQL)."""

_LOCK = 0x4B535054  # "KSPT": one partition maker at a time
_made: dict[str, set[tuple[str, date]]] = {}  # database URL → (table, month) known to exist


def fact_day(kind: str, body: dict[str, Any]) -> date:
    """The date a fact carries: an order's business day, a payment's or refund's time of
    making, any other fact's ``at`` (all checked present by office.api.validate)."""
    if kind == "order":
        return date.fromisoformat(body["business_day"])
    stamp = body.get("created_at") if kind in ("payment", "refund") else body.get("at")
    return datetime.fromisoformat(str(stamp)).date()


def month_of(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def name(table: str, month: date) -> str:
    return f"{table}_{month.year:04d}{month.month:02d}"


def create(conn: Connection, table: str, month: date) -> bool:
    """The partition of ``table`` for ``month`` exists afterwards (PostgreSQL only); True if
    it was made now. Made apart and then attached: ``ATTACH PARTITION`` locks the parent only
    against schema changes (SHARE UPDATE EXCLUSIVE), so batches being stored meanwhile, this
    process's own open one too, go on (``CREATE TABLE ... PARTITION OF`` would wait for them
    all, and they for it)."""
    part = name(table, month)
    if conn.execute(text("SELECT to_regclass(:t)"), {"t": part}).scalar() is not None:
        return False
    conn.execute(text(f"CREATE TABLE {part} (LIKE {table} INCLUDING DEFAULTS)"))
    conn.execute(text(f"ALTER TABLE {table} ATTACH PARTITION {part} FOR VALUES FROM "
                      f"('{month.isoformat()}') TO ('{_next(month).isoformat()}')"))
    return True


def ensure(engine: Engine, wanted: Iterable[tuple[str, date | datetime]]) -> int:
    """Make the monthly partitions the rows about to be stored need: ``wanted`` holds
    (table, a date or time of a row). Its own committed transaction (a partition made in the
    ingest's would hold a lock on the parent table until the batch commits). Returns how many
    months were checked in the database (0: all known to this process)."""
    if engine.dialect.name != "postgresql":
        return 0
    made = _made.setdefault(str(engine.url), set())
    months = {(table, month_of(value)) for table, value in wanted} - made
    if not months:
        return 0
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        for table, month in sorted(months):
            create(conn, table, month)
    made.update(months)
    return len(months)


def forget(engine: Engine) -> None:
    """Drop this process's memory of ``engine``'s partitions (a test rebuilt the schema)."""
    _made.pop(str(engine.url), None)


def partition_existing(conn: Connection, indexes: dict[str, list[tuple[str, list[str]]]]) -> None:
    """Turn the plain fact tables into partitioned ones, rows and all (the migration
    0003_rollups, PostgreSQL): each is renamed aside, made again ``PARTITION BY RANGE`` with
    the months its rows need, refilled, dropped; then its key and ``indexes`` (table → [(name,
    columns)]) are made again under their old names."""
    for table, key in PARTITIONED.items():
        aside = f"{table}_unpartitioned"
        conn.execute(text(f"ALTER TABLE {table} RENAME TO {aside}"))
        conn.execute(text(f"CREATE TABLE {table} (LIKE {aside} INCLUDING DEFAULTS) "
                          f"PARTITION BY RANGE ({key})"))
        months = {month_of(m) for (m,) in conn.execute(text(
            f"SELECT DISTINCT CAST(date_trunc('month', {key}) AS date) FROM {aside}"))}
        months.add(month_of(date.today()))
        for month in sorted(months):
            create(conn, table, month)
        conn.execute(text(f"INSERT INTO {table} SELECT * FROM {aside}"))
        conn.execute(text(f"DROP TABLE {aside}"))
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey "
                          f"PRIMARY KEY (uuid, {key})"))
        for index, columns in indexes.get(table, []):
            conn.execute(text(f"CREATE INDEX {index} ON {table} ({', '.join(columns)})"))
