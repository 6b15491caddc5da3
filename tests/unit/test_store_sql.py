"""Plain statements on a session's connection (the checkout's path): what they write is what the
ORM would have written, and they commit or roll back with the session's other work."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from kspos.store import Database, StoreError
from kspos.store.models import (
    AuditEntry,
    BusinessDay,
    OrderLine,
    OutboxRow,
    Payment,
    Refund,
    SaleOrder,
)
from kspos.store.sql import execute, insert_row, insert_rows, moment, records, stamp


def _day(db: Database) -> int:
    with db.session() as s:
        return insert_row(s, BusinessDay, {"day": "2026-11-26"})


def test_a_plain_insert_reads_back_through_the_orm_with_the_model_defaults(db: Database) -> None:
    day_id = _day(db)
    paid_at = datetime(2026, 11, 26, 12, 0, 0)  # no microseconds: still stored in full
    with db.session() as s:
        order_id = insert_row(s, SaleOrder, {"receipt_no": "20261126-0001",
                                             "business_day_id": day_id, "total": 4500,
                                             "training": True, "paid_at": paid_at})
    with db.session() as s:
        row = s.get(SaleOrder, order_id)
        assert row is not None
        assert (row.total, row.training, row.state, row.note, row.refunded) == \
            (4500, True, "open", "", 0)
        assert row.paid_at == paid_at
        assert isinstance(row.created_at, datetime)  # the model's default factory ran
    stored = db.read("SELECT paid_at FROM sale_order WHERE id = ?", (order_id,))[0][0]
    assert stored == "2026-11-26 12:00:00.000000" == stamp(paid_at)
    assert moment(stored) == paid_at


def test_plain_statements_roll_back_with_the_session(db: Database) -> None:
    day_id = _day(db)
    with pytest.raises(RuntimeError), db.session() as s:
        insert_row(s, SaleOrder, {"receipt_no": "20261126-0002", "business_day_id": day_id})
        execute(s, "INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                (datetime.now(), "tender", "{}"))
        raise RuntimeError("the card was declined after all")
    assert db.read("SELECT count(*) FROM sale_order")[0][0] == 0
    assert db.read("SELECT count(*) FROM audit_log")[0][0] == 0


def test_a_mistyped_or_missing_column_is_refused_before_anything_is_written(
        db: Database) -> None:
    day_id = _day(db)
    with db.session() as s:
        with pytest.raises(TypeError, match="no column"):
            insert_row(s, SaleOrder, {"receipt_no": "x", "business_day_id": day_id,
                                      "totl": 1})
        with pytest.raises(TypeError, match="needs a value"):
            insert_row(s, Payment, {"order_id": 1, "method": "cash"})  # no amount
    assert db.read("SELECT count(*) FROM sale_order")[0][0] == 0


def test_many_rows_and_records_with_fields(db: Database) -> None:
    with db.session() as s:
        insert_rows(s, AuditEntry, [{"action": "login", "staff_id": None},
                                    {"action": "drawer", "detail": "{\"why\": \"change\"}"}])
        rows = records(s, "SELECT action, detail FROM audit_log ORDER BY id")
    assert [(r.action, r.detail) for r in rows] == [("login", ""),
                                                    ("drawer", '{"why": "change"}')]
    with db.session() as s:
        assert [e.action for e in s.exec(select(AuditEntry))] == ["login", "drawer"]


def test_a_locked_database_is_said_in_words(db: Database) -> None:
    import sqlite3

    holder = sqlite3.connect(db.path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="database locked"), db.session() as s:
            execute(s, "PRAGMA busy_timeout=50")  # this connection only; the test ends it
            execute(s, "INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (datetime.now(), "tender", "{}"))
    finally:
        holder.rollback()
        holder.close()


# One row of each table the checkout writes through plain statements: the ORM writes the same
# values to a second row, and every column must be stored identically (type and text), so an
# SQLAlchemy or SQLModel upgrade that changed how it stores a datetime or a bool fails here.
_WHEN = datetime(2026, 11, 26, 9, 5, 7, 120)


def _same_row_both_ways(db: Database, model: type, values: dict[str, object],
                        unique: dict[str, object] | None = None) -> None:
    """``unique``: a second value for each unique column (compared by type only)."""
    table = model.__tablename__  # type: ignore[attr-defined]
    with db.session() as s:
        fast_id = insert_row(s, model, values)  # type: ignore[arg-type]
    with db.session() as s:
        row = model(**{**values, **(unique or {})})
        s.add(row)
        s.flush()
        orm_id = row.id if hasattr(row, "id") else row.seq
    key = "seq" if table == "outbox" else "id"
    columns = [c[1] for c in db.read(f"PRAGMA table_info({table})")
               if c[1] not in (key, "uuid")]
    shape = ", ".join(f"typeof({c}), quote({c})" for c in columns)
    fast = db.read(f"SELECT {shape} FROM {table} WHERE {key} = ?", (fast_id,))[0]
    orm = db.read(f"SELECT {shape} FROM {table} WHERE {key} = ?", (orm_id,))[0]
    differ = [c for n, c in enumerate(columns)
              if fast[2 * n: 2 * n + (1 if c in (unique or {}) else 2)]
              != orm[2 * n: 2 * n + (1 if c in (unique or {}) else 2)]]
    assert differ == [], f"{table}: stored differently by the fast path and the ORM: {differ}"


def test_the_fast_path_stores_every_column_as_the_orm_does(db: Database) -> None:
    day_id = _day(db)
    _same_row_both_ways(db, SaleOrder, {"receipt_no": "20261126-01-0001", "business_day_id":
                                        day_id, "total": 9_500, "training": True,
                                        "paid_at": _WHEN, "created_at": _WHEN, "state": "paid"},
                       unique={"receipt_no": "20261126-01-0002"})
    order_id = db.read("SELECT min(id) FROM sale_order")[0][0]
    _same_row_both_ways(db, OrderLine, {"order_id": order_id, "name": "아메리카노", "unit_price":
                                        4_500, "qty": 2, "complimentary": True, "tax_free": False,
                                        "options_json": '[{"name": "샷 추가"}]'})
    _same_row_both_ways(db, Payment, {"order_id": order_id, "method": "card", "amount": 9_500,
                                      "training": False, "created_at": _WHEN,
                                      "masked_pan": "536510******0006", "installment": 3})
    payment_id = db.read("SELECT min(id) FROM payment")[0][0]
    _same_row_both_ways(db, Refund, {"order_id": order_id, "payment_id": payment_id,
                                     "amount": 4_500, "created_at": _WHEN, "training": True})
    _same_row_both_ways(db, AuditEntry, {"at": _WHEN, "action": "tender", "detail": "{}"})
    _same_row_both_ways(db, OutboxRow, {"uuid": "00000000-0000-4000-8000-000000000001",
                                        "kind": "order", "version": 1, "body": "{}",
                                        "created_at": _WHEN},
                       unique={"uuid": "00000000-0000-4000-8000-000000000002"})
