"""Repository of ``facts`` and the typed sales tables: one batch stored exactly once.

A fact is stored only if its UUID is new (SQLite: ``INSERT ... ON CONFLICT (uuid) DO
NOTHING``; PostgreSQL: it claims the UUID in ``fact_ids`` first, see :func:`_copy_insert`), in
the caller's one transaction: a batch sent twice, or re-sent after a pusher died before it
heard the answer, stores nothing new, and a batch cut off by a crash or a lost connection is
rolled back whole. The facts are
checked already (:mod:`office.api.validate`); here they only become rows, and the facts stored
now (never a duplicate) feed the sales rollups (:mod:`office.store.rollups`) in the same
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from sqlalchemy import JSON, Table, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from office.store import partitions, rollups
from office.store.tables import facts, order_lines, orders, payments, refunds

if TYPE_CHECKING:
    from office.api.validate import Fact


@dataclass(frozen=True, slots=True)
class Stored:
    """What a batch did: the UUIDs stored now, those the office had already, and those it
    cannot take because another terminal's fact holds the UUID."""

    new: list[str]
    duplicates: list[str]
    taken: list[str]


def _insert_new(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                returning: bool = False) -> set[str]:
    """Insert ``rows`` skipping UUIDs already there; with ``returning``, the UUIDs inserted."""
    if not rows:
        return set()
    if conn.dialect.name == "postgresql":
        key = partitions.PARTITIONED[table.name]
        partitions.ensure(conn.engine, [(table.name, row[key]) for row in rows])
        inserted = _copy_insert(conn, table, rows)
    else:
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["uuid"])
        inserted = {str(u) for u in conn.execute(statement.returning(table.c.uuid),
                                                 list(rows)).scalars()}
    return inserted if returning else set()


# Typed tables whose row UUID is the fact's own: only facts inserted just now reach them, so
# COPY goes straight in (no twin, no ON CONFLICT).
_DIRECT = frozenset({"orders", "payments", "refunds"})


def _copy_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> set[str]:
    """PostgreSQL: ``COPY`` the rows in; returns the UUIDs inserted (``facts`` only). COPY is
    the server's bulk path: a VALUES list (or arrays) of 500 wide rows cost more to build and
    parse than the insert itself. All of it runs in the caller's transaction.

    ``facts``: the partition key is part of the unique key (office/store/partitions.py), so
    each fact first claims its UUID in ``fact_ids`` (unpartitioned, the UUID its key; one
    ``INSERT ... SELECT FROM unnest ... ON CONFLICT DO NOTHING RETURNING``) and only the facts
    that claimed theirs are copied, straight into ``facts``: nothing else can hold their
    UUID. ``order_lines``: a line's UUID is the terminal's word, and a repeated one must be
    skipped, not fail the batch; the lines of new orders are new all but always, so they are
    copied straight in under a savepoint, and only if one is there already does the batch go
    the slow way (a temporary twin and ``ON CONFLICT DO NOTHING``)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        if table.name == "facts":
            cursor.execute("INSERT INTO fact_ids (uuid, fact_day) SELECT * FROM "
                           "unnest(%b::text[], %b::date[]) ON CONFLICT (uuid) DO NOTHING "
                           "RETURNING uuid", ([r["uuid"] for r in rows],
                                              [r["fact_day"] for r in rows]))
            claimed = {str(found[0]) for found in cursor.fetchall()}
            _copy(cursor, table, table.name, [r for r in rows if r["uuid"] in claimed])
            return claimed
        if table.name in _DIRECT:  # its UUID is a fact's just stored: nothing to skip
            _copy(cursor, table, table.name, rows)
            return set()
        cursor.execute("SAVEPOINT typed_rows")
        try:
            _copy(cursor, table, table.name, rows)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT typed_rows")
            _copy_skipping(cursor, table, rows)
        cursor.execute("RELEASE SAVEPOINT typed_rows")
    return set()


def _copy(cursor: psycopg.Cursor[Any], table: Table, into: str,
          rows: Sequence[dict[str, Any]]) -> None:
    """COPY ``rows`` (dicts of ``table``'s columns) into the table ``into``."""
    names = [c.name for c in table.columns]
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    with cursor.copy(f"COPY {into} ({', '.join(names)}) FROM STDIN") as copy:
        if not as_json:
            for row in rows:
                copy.write_row([row.get(n) for n in names])
            return
        for row in rows:
            copy.write_row([_json(row[n]) if n in as_json else row.get(n) for n in names])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _copy_skipping(cursor: psycopg.Cursor[Any], table: Table,
                   rows: Sequence[dict[str, Any]]) -> None:
    """COPY into a temporary twin of ``table``, then ``INSERT ... SELECT ... ON CONFLICT
    DO NOTHING``: the rows whose key is there already are skipped. The twin lives per
    connection, empties at every commit."""
    listed, staging = ", ".join(c.name for c in table.columns), f"_in_{table.name}"
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table.name}) "
                   "ON COMMIT DELETE ROWS")
    _copy(cursor, table, staging, rows)
    cursor.execute(f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM {staging} "
                   f"ON CONFLICT (uuid, {partitions.PARTITIONED[table.name]}) DO NOTHING")
    # empty for another batch in this transaction (DELETE: TRUNCATE makes a new file)
    cursor.execute(f"DELETE FROM {staging}")


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _order(f: Fact, b: dict[str, Any]) -> dict[str, Any]:
    return {"uuid": f.uuid, "store_code": b["store"], "terminal": b["terminal"],
            "receipt_no": b["receipt_no"], "business_day": date.fromisoformat(b["business_day"]),
            "day_uuid": b["day_uuid"], "state": b["state"], "training": b["training"],
            "created_at": _time(b["created_at"]), "paid_at": _time(b["paid_at"]),
            **{k: b[k] for k in ("gross", "discount_total", "service_total", "total", "supply",
                                 "vat", "tax_free")}}


def _lines(f: Fact, b: dict[str, Any]) -> list[dict[str, Any]]:
    day = date.fromisoformat(b["business_day"])
    return [{"uuid": ln["uuid"], "order_uuid": f.uuid, "store_code": b["store"],
             "business_day": day, "position": ln["position"], "item_uuid": ln["item_uuid"],
             "category": ln["category"], "name": ln["name"], "unit_price": ln["unit_price"],
             "qty": ln["qty"], "discount": ln["discount"],
             "complimentary": ln["complimentary"], "tax_free": ln["tax_free"],
             "amount": ln["amount"]} for ln in b["lines"]]


def _payment(f: Fact, b: dict[str, Any]) -> dict[str, Any]:
    return {"uuid": f.uuid, "order_uuid": b["order_uuid"], "store_code": b["store"],
            "terminal": b["terminal"], "receipt_no": b["receipt_no"], "method": b["method"],
            "amount": b["amount"], "training": b["training"],
            "created_at": _time(b["created_at"]), "installment": b["installment"],
            **{k: b.get(k) for k in ("approval_no", "approval_date", "masked_pan", "card_bin",
                                     "issuer", "acquirer", "wallet")}}


def _refund(f: Fact, b: dict[str, Any]) -> dict[str, Any]:
    return {"uuid": f.uuid, "order_uuid": b["order_uuid"], "payment_uuid": b["payment_uuid"],
            "store_code": b["store"], "terminal": b["terminal"], "method": b["method"],
            "amount": b["amount"], "training": b["training"],
            "created_at": _time(b["created_at"]), "approval_no": b.get("approval_no")}


def _typed_rows(conn: Connection, batch: Sequence[Fact]) -> None:
    """The sales facts of ``batch`` (new ones only) into their typed tables."""
    kinds: dict[str, list[Fact]] = {"order": [], "payment": [], "refund": []}
    for fact in batch:
        kinds.get(fact.kind, []).append(fact)
    _insert_new(conn, orders, [_order(f, f.body) for f in kinds["order"]])
    _insert_new(conn, order_lines, [ln for f in kinds["order"] for ln in _lines(f, f.body)])
    _insert_new(conn, payments, [_payment(f, f.body) for f in kinds["payment"]])
    _insert_new(conn, refunds, [_refund(f, f.body) for f in kinds["refund"]])


def store_batch(conn: Connection, store: str, terminal: str, batch: Sequence[Fact],
                now: datetime | None = None) -> Stored:
    """Store ``batch`` (checked facts of ``store``/``terminal``) in ``conn``'s transaction."""
    received = now or datetime.now()
    rows = [{"uuid": f.uuid, "store_code": store, "terminal": terminal, "kind": f.kind,
             "version": f.version, "seq": f.seq, "body": f.body, "received_at": received,
             "fact_day": partitions.fact_day(f.kind, f.body)}
            for f in batch]
    new = _insert_new(conn, facts, rows, returning=True)
    stored = [f for f in batch if f.uuid in new]
    _typed_rows(conn, stored)
    rollups.feed(conn, store, stored)  # only what was stored now: a resend adds nothing
    seen = [f.uuid for f in batch if f.uuid not in new]
    taken: list[str] = []
    for start in range(0, len(seen), 1000):  # who holds the UUIDs we did not insert
        chunk = seen[start:start + 1000]
        taken += [str(r.uuid) for r in conn.execute(
            select(facts.c.uuid).where(facts.c.uuid.in_(chunk)).where(
                (facts.c.store_code != store) | (facts.c.terminal != terminal)))]
    duplicates = [u for u in seen if u not in set(taken)]
    return Stored([f.uuid for f in batch if f.uuid in new], duplicates, taken)


def count(conn: Connection, table: str = "facts", store: str | None = None) -> int:
    """Rows of ``table`` (of one ``store``): for `kspos office` status and the tests."""
    from sqlalchemy import func

    chosen = {"facts": facts, "orders": orders, "order_lines": order_lines,
              "payments": payments, "refunds": refunds}[table]
    query = select(func.count()).select_from(chosen)
    if store is not None:
        query = query.where(chosen.c.store_code == store)
    return int(conn.execute(query).scalar_one())
