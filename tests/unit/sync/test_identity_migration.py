"""Migration 0012_identity on a store from before it: old receipt numbers keep their text,
every row gets its own UUID, and the next sale is numbered the new way."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

from kspos.sales.orders import Order, OrderLine
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.store import Database
from kspos.sync.identity import Identity, new_uuid, receipt_number

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _store_at_0011(path: Path) -> None:
    from alembic import command

    from kspos.store.db import _alembic_config

    db = Database(path).open()
    command.downgrade(_alembic_config(db.engine), "0011_day")
    db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO staff (name, role, pin_hash, active, pin_demo) "
                     "VALUES ('홍길동', 'owner', 'x', 1, 0)")
        conn.execute("INSERT INTO business_day (day, opened_at, opening_float, "
                     "next_receipt_seq) VALUES ('2026-11-25', '2026-11-25 08:00:00.000000', 0, 3)")
        for n in (1, 2):
            conn.execute("INSERT INTO sale_order (receipt_no, business_day_id, state, training, "
                         "note, created_at, order_discount_value, gross, discount_total, "
                         "service_total, total, supply, vat, tax_free, refunded) VALUES "
                         f"('20261125-000{n}', 1, 'paid', 0, '', '2026-11-25 09:00:00.000000',"
                         " 0, 1000, 0, 0, 1000, 909, 91, 0, 0)")


def test_an_older_store_keeps_its_numbers_and_gets_uuids(data_dir: Path) -> None:
    path = data_dir / "kspos.sqlite3"
    _store_at_0011(path)
    db = Database(path, Identity("S0001", "03")).open()  # migrates
    try:
        rows = db.read("SELECT receipt_no, uuid FROM sale_order ORDER BY id")
        assert [r[0] for r in rows] == ["20261125-0001", "20261125-0002"]  # text unchanged
        uuids = [r[1] for r in rows] + [db.read("SELECT uuid FROM staff")[0][0],
                                        db.read("SELECT uuid FROM business_day")[0][0]]
        assert all(UUID4.match(u) for u in uuids) and len(set(uuids)) == 4
        sales = SalesService(db, {Method.CASH: CashGateway(db)},
                             clock=lambda: datetime(2026, 11, 25, 12, 0))
        order = Order()
        order.add(OrderLine(item_id=None, name="아메리카노", base_price=4_500))
        owner = StaffDirectory(db).add("김민지", Role.CASHIER, "1357")
        sales.take_tender(order, TenderRequest(Method.CASH, 4_500, "", tendered=4_500), owner)
        assert order.receipt_no == "20261125-03-0003"  # the day's sequence goes on, new form
    finally:
        db.close()


def test_uuids_are_version_4_and_receipt_numbers_fit_the_telegram() -> None:
    made = {new_uuid() for _ in range(2000)}
    assert len(made) == 2000 and all(UUID4.match(u) for u in made)
    number = receipt_number("2026-11-25", "99", 9999)
    assert number == "20261125-99-9999" and len(number.encode()) <= 30  # 가맹점사용필드
