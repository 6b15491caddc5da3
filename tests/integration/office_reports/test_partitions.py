"""The fact tables partitioned by month on PostgreSQL (office/store/partitions.py, migration
0003_rollups): each fact is still stored once however it is re-sent, partitions appear as
facts of new months arrive, and an office upgraded with facts in it keeps every row and
counts them into the rollups exactly as the ingest does. Also run on SQLite (plain tables)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from office.api.validate import check_batch
from office.store import OfficeStore
from office.store import ingest as repo
from office.store.engine import MIGRATIONS
from office.store.tables import facts, order_lines, orders, payments, refunds, sales_rollup
from tests.unit.office.facts_data import batch, order, payment
from tests.unit.office.test_office_rollups import _history


@pytest.fixture(params=["postgresql", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_database")
    else:
        yield f"sqlite:///{tmp_path / 'office.sqlite3'}"


def _push(office: OfficeStore, *rows: dict[str, Any]) -> repo.Stored:
    with office.transaction() as conn:
        return repo.store_batch(conn, "S0001", "01",
                                check_batch(batch(*rows), "S0001", "01").facts)


def _months() -> list[dict[str, Any]]:
    """An order and its payment in each of three months."""
    rows = []
    for n, month in enumerate(("2026-10", "2026-11", "2026-12")):
        sold = order(seq=2 * n + 1)
        for stamp in ("created_at", "paid_at"):
            sold["body"][stamp] = f"{month}-05T12:00:00.000000"
        sold["body"]["business_day"] = f"{month}-05"
        paid = payment(sold, seq=2 * n + 2)
        paid["body"]["created_at"] = f"{month}-05T12:00:00.000000"
        rows += [sold, paid]
    return rows


def test_each_fact_once_in_its_months_partition(url: str) -> None:
    office = OfficeStore(url).open()
    try:
        rows = _months()
        first = _push(office, *rows)
        again = _push(office, *rows)
        assert (len(first.new), len(again.new), len(again.duplicates)) == (6, 0, 6)
        moved = copy.deepcopy(rows[0])  # the same UUID with another date: not a new fact
        moved["body"]["business_day"] = "2027-03-05"
        assert _push(office, moved).new == []
        with office.transaction() as conn:
            for table in (facts, orders, order_lines, payments):
                counted = conn.execute(select(table.c.uuid)).scalars().all()
                assert len(counted) == len(set(counted)) > 0, table.name
            if conn.dialect.name == "postgresql":
                parts = set(conn.execute(text(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'orders'"))
                    .scalars())
                assert {"orders_202610", "orders_202611", "orders_202612"} <= parts
                assert "orders_202703" not in parts
                assert conn.execute(text("SELECT count(*) FROM orders_202611")).scalar() == 1
                assert conn.execute(text("SELECT count(*) FROM fact_ids")).scalar() == 6
    finally:
        office.close()


def test_a_new_order_reusing_a_stored_line_uuid_is_stored_without_that_line(url: str) -> None:
    """A line's UUID is the terminal's word: a repeated one is skipped, the batch (the new
    order, its other line, its payment, the batch's other order) is stored, and the sale
    counts whole in the rollups (they are made from the order's body)."""
    office = OfficeStore(url).open()
    try:
        first = order(seq=1)
        _push(office, first, payment(first, seq=2))
        reused, other = order(seq=3), order(seq=5)
        reused["body"]["lines"][0]["uuid"] = first["body"]["lines"][0]["uuid"]
        done = _push(office, reused, payment(reused, seq=4), other, payment(other, seq=6))
        assert len(done.new) == 4
        with office.transaction() as conn:
            lines = conn.execute(select(order_lines.c.order_uuid)).scalars().all()
            assert sorted(lines) == sorted([first["uuid"]] * 2 + [reused["uuid"]]
                                           + [other["uuid"]] * 2)
            assert conn.execute(select(sales_rollup.c.orders, sales_rollup.c.net_sales).where(
                sales_rollup.c.dim == "total")).one() == (3, 27000)
    finally:
        office.close()


def _at_0001(url: str) -> OfficeStore:
    office = OfficeStore(url)
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    with office.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_office")
    return office


def test_an_office_upgraded_with_facts_in_it_keeps_them_and_counts_them(
        url: str, tmp_path: Any) -> None:
    history = _history() + _months()
    checked = check_batch(batch(*history), "S0001", "01").facts
    old = _at_0001(url)
    now = datetime(2026, 12, 1)
    with old.engine.begin() as conn:  # rows as the 0001 office wrote them
        conn.execute(facts.insert(), [
            {"uuid": f.uuid, "store_code": "S0001", "terminal": "01", "kind": f.kind,
             "version": 1, "seq": f.seq, "body": f.body, "received_at": now} for f in checked])
        kinds = {k: [f for f in checked if f.kind == k] for k in ("order", "payment", "refund")}
        conn.execute(orders.insert(), [repo._order(f, f.body) for f in kinds["order"]])
        conn.execute(order_lines.insert(), [ln for f in kinds["order"]
                                            for ln in repo._lines(f, f.body)])
        conn.execute(payments.insert(), [repo._payment(f, f.body) for f in kinds["payment"]])
        conn.execute(refunds.insert(), [repo._refund(f, f.body) for f in kinds["refund"]])
    old.close()
    upgraded = OfficeStore(url).open()
    fresh = OfficeStore(f"sqlite:///{tmp_path / 'fresh.sqlite3'}").open()
    try:
        with fresh.transaction() as conn:
            repo.store_batch(conn, "S0001", "01", checked)
        with upgraded.transaction() as a, fresh.transaction() as b:
            assert a.execute(select(facts.c.fact_day).where(
                facts.c.uuid == history[-1]["uuid"])).scalar_one().isoformat() == "2026-12-05"
            for table in (facts, orders, order_lines, payments, refunds):
                assert a.execute(select(table.c.uuid)).scalars().all().__len__() == \
                    b.execute(select(table.c.uuid)).scalars().all().__len__()
            if a.dialect.name == "postgresql":  # every UUID claimed once
                assert a.execute(text("SELECT count(*) FROM fact_ids")).scalar() == len(history)
            assert {tuple(r) for r in a.execute(select(sales_rollup))} == \
                {tuple(r) for r in b.execute(select(sales_rollup))} != set()
        assert _push(upgraded, *history[:3]).new == []  # still stored once after the upgrade
    finally:
        upgraded.close()
        fresh.close()
