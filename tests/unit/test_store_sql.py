"""Plain statements on a session's connection (the checkout's path): what they write is what the
ORM would have written, and they commit or roll back with the session's other work."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from kspos.store import Database, StoreError
from kspos.store.models import AuditEntry, BusinessDay, Payment, SaleOrder
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
