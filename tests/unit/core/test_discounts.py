"""Discounts never give away more than they say: an amount off larger than its line or its
order is refused (in the core, so no screen can skip it), and so is a change that would make
an existing discount larger than what it is taken from."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kspos.menu.catalog import demo_menu, load_catalog, seed_menu
from kspos.sales.orders import Discount, Order, OrderError, OrderLine
from kspos.sales.payments import CashGateway, Method
from kspos.sales.register import Register
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory


def order_of(*prices: int) -> Order:
    order = Order()
    for n, price in enumerate(prices):
        order.add(OrderLine(item_id=n, name=f"메뉴{n}", base_price=price))
    return order


def test_an_amount_off_larger_than_its_line_is_refused_not_made_free() -> None:
    order = order_of(5_000, 3_000)
    with pytest.raises(OrderError, match="5,000원보다 큽니다"):
        order.set_line_discount(0, Discount("amount", 6_000))
    assert order.lines[0].discount is None and order.total == 8_000
    order.set_line_discount(0, Discount("amount", 5_000))  # the whole line: said, not silent
    assert order.total == 3_000


def test_an_order_discount_larger_than_the_order_is_refused() -> None:
    order = order_of(5_000, 3_000)
    order.set_line_discount(0, Discount("amount", 1_000))
    with pytest.raises(OrderError, match="7,000원보다 큽니다"):
        order.set_order_discount(Discount("amount", 7_001))
    assert order.order_discount is None and order.total == 7_000
    with pytest.raises(OrderError, match="100%"):
        order.set_order_discount(Discount("percent", 101))


def test_a_change_that_would_leave_a_discount_larger_than_its_base_is_refused() -> None:
    order = order_of(5_000, 3_000)
    order.set_qty(0, 2)
    order.set_line_discount(0, Discount("amount", 8_000))
    with pytest.raises(OrderError, match="할인"):
        order.set_qty(0, 1)  # 5,000 left under an 8,000 discount
    assert order.lines[0].qty == 2
    order.set_order_discount(Discount("amount", 2_500))  # of 10,000 − 8,000 + 3,000
    with pytest.raises(OrderError, match="할인"):
        order.remove(1)  # 2,000 would be left under a 2,500 order discount
    assert len(order.lines) == 2
    with pytest.raises(OrderError, match="할인"):
        order.set_complimentary(1)  # the same 2,000 left, the 3,000 line given away
    assert order.total == 2 * 5_000 - 8_000 + 3_000 - 2_500


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
    seed_menu(db, demo_menu())
    directory = StaffDirectory(db)
    directory.ensure_defaults()
    sales = SalesService(db, {Method.CASH: CashGateway(db)},
                         clock=lambda: datetime(2026, 12, 5, 12, 0))
    return Register(load_catalog(db), sales, directory, staff=directory.first(Role.CASHIER))


def test_a_refused_discount_leaves_no_audit_line(register) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in register.catalog.by_id.values() if not i.groups and not i.sold_out)
    register.add_item(item.id)
    with pytest.raises(OrderError):
        register.discount_line(0, Discount("amount", item.price + 1))
    with pytest.raises(OrderError):
        register.discount_order(Discount("amount", item.price + 1))
    register.discount_order(Discount("percent", 10))
    details = [json.loads(d) for (d,) in register.sales.db.read(
        "SELECT detail FROM audit_log WHERE action LIKE '%discount' ORDER BY id")]
    assert [d["discount"] for d in details] == ["10%"]  # only the discount really given
