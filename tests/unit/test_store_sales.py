"""The sales repositories under kspos/store/: what the domain relies on them to say when two
registers race, and that the ORM reads refuse a unit of work that cannot run them."""

from __future__ import annotations

from datetime import datetime

import pytest

from kspos.sales.days import BusinessDays
from kspos.sales.orders import OrderError
from kspos.store import Database, DuplicateRow, StoreError
from kspos.store import days as day_rows
from kspos.store import orders as order_rows
from kspos.store import refunds as refund_rows
from kspos.store.orm import session_of


def test_a_day_opened_twice_is_a_duplicate_row_and_nothing_of_the_second_is_kept(
        db: Database) -> None:
    with db.session() as s:
        day_rows.add(s, "2026-12-05", datetime(2026, 12, 5, 8), 0, None)
    with pytest.raises(DuplicateRow) as raised, db.session() as s:
        day_rows.add(s, "2026-12-05", datetime(2026, 12, 5, 9), 50_000, None)
    assert isinstance(raised.value, StoreError) and "2026-12-05" in str(raised.value)
    assert db.read("SELECT opening_float FROM business_day") == [(0,)]


def test_another_register_opening_the_same_day_first_is_told_in_words(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race open() loses: it saw no day open and none before, but the other register's
    row for the same day landed before its own."""
    with db.session() as s:
        day_rows.add(s, "2026-12-05", datetime(2026, 12, 5, 8), 0, None)
    monkeypatch.setattr(day_rows, "open_day", lambda _unit: None)  # read before the other
    monkeypatch.setattr(day_rows, "last_key", lambda _unit: None)
    days = BusinessDays(db, clock=lambda: datetime(2026, 12, 5, 10))
    with pytest.raises(OrderError, match="이미 영업 중"):
        days.open(None, 0)


def test_the_orm_reads_refuse_a_core_connection(db: Database) -> None:
    with db.engine.connect() as conn:
        assert order_rows.kept(conn, 1) == 0  # a plain statement runs on either
        with pytest.raises(TypeError, match="ORM session"):
            session_of(conn)
        with pytest.raises(TypeError, match="ORM session"):
            order_rows.lines(conn, 1)


def test_a_claim_is_taken_once_and_released_only_by_its_holder(db: Database) -> None:
    with db.session() as s:
        day_id = day_rows.add(s, "2026-12-05", datetime(2026, 12, 5, 8), 0, None).id
        assert day_id is not None
        order_id = order_rows.insert_order(s, {"receipt_no": "20261205-01-0001",
                                              "business_day_id": day_id, "state": "paid"})
    with db.session() as s:
        assert refund_rows.take_claim(s, order_id, "a", ("paid",))
        assert not refund_rows.take_claim(s, order_id, "b", ("paid",))
        assert refund_rows.take_claim(s, order_id, "b", ("paid",), held_by="a")  # taken over
    refund_rows.release_claim(db, order_id, "a")  # not a's any more: kept
    assert refund_rows.claims(db) == [(order_id, "b")]
    refund_rows.release_claim(db, order_id, "b")
    assert refund_rows.claims(db) == []
