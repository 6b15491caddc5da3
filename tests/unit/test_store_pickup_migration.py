"""Migration 0017_pickup on a store at 0016 that already has sales: the old orders stay,
without a number (they never show on the board), and the next paid order is number 1."""

from __future__ import annotations

from pathlib import Path

from kspos.sales.orders import Order, OrderLine
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.pickup import PickupService, pickup_number
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.store import Database


def _sell(db: Database, mode: str) -> int:
    staff = StaffDirectory(db)
    owner = staff.first(Role.OWNER) or staff.add("홍길동", Role.OWNER, "0000")
    sales = SalesService(db, {Method.CASH: CashGateway(db)}, order_numbers=mode)
    if sales.days.current() is None:
        sales.days.open(owner, 0)
    order = Order()
    order.add(OrderLine(item_id=1, name="아메리카노", base_price=4_500))
    sales.take_tender(order, TenderRequest(Method.CASH, 4_500, "", tendered=4_500), owner)
    assert order.id is not None
    return order.id


def test_0017_applies_on_a_store_at_0016_with_orders(tmp_path: Path) -> None:
    from alembic import command

    from kspos.store.db import _alembic_config

    path = tmp_path / "kspos.sqlite3"
    db = Database(path).open()
    old = [_sell(db, "off") for _ in range(2)]
    command.downgrade(_alembic_config(db.engine), "0016_report_guests")
    columns = {r[1] for r in db.read("PRAGMA table_info(sale_order)")}
    assert "pickup_no" not in columns  # really at 0016
    db.close()
    db = Database(path).open()  # the program starts: 0017 applies
    try:
        assert db.read("SELECT version_num FROM alembic_version") == [("0017_pickup",)]
        assert [pickup_number(db, i) for i in old] == [None, None]
        assert db.read("SELECT count(*) FROM sale_order") == [(2,)]
        assert PickupService(db).board().preparing == ()  # old sales never show
        new = _sell(db, "sequential")
        assert pickup_number(db, new) == 1
        assert [t.number for t in PickupService(db).board().preparing] == [1]
    finally:
        db.close()
