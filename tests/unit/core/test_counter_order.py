"""The order on the counter is saved as it is built (Register.checkpoint), so a crash cannot
lose it; the register's own actions never race with a save."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from kspos.catalog import demo_menu, load_catalog, seed_menu
from kspos.orders import OrderState
from kspos.payments import CashGateway, Method
from kspos.register import Register
from kspos.sales import SalesService
from kspos.users import Role, StaffDirectory


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
    seed_menu(db, demo_menu())
    directory = StaffDirectory(db)
    directory.ensure_defaults()
    sales = SalesService(db, {Method.CASH: CashGateway(db)},
                         clock=lambda: datetime(2026, 12, 5, 12, 0))
    sales.days.open(directory.first(Role.OWNER), 0)
    return Register(load_catalog(db), sales, directory, staff=directory.first(Role.CASHIER))


def plain_items(register: Register) -> list[int]:
    return [i.id for i in register.catalog.by_id.values() if not i.groups and not i.sold_out]


def stored(register: Register) -> list[tuple[str, int, int]]:
    """(state, lines, total) of every order in the store."""
    return [(state, lines, total) for state, lines, total in register.sales.db.read(
        "SELECT state, (SELECT count(*) FROM order_line l WHERE l.order_id = o.id), total "
        "FROM sale_order o ORDER BY id")]


def test_a_checkpoint_saves_the_order_on_the_counter_and_its_changes(register) -> None:  # type: ignore[no-untyped-def]
    a, b = plain_items(register)[:2]
    register.add_item(a)
    assert stored(register) == []  # a tap itself writes nothing
    assert register.checkpoint() is True
    first = register.order.total
    assert stored(register) == [("open", 1, first)]
    assert register.order.receipt_no  # the cashier sees the number the order is kept under
    register.add_item(b, qty=2)
    assert register.checkpoint() is True
    assert stored(register) == [("open", 2, register.order.total)]
    assert register.checkpoint() is False  # nothing changed: no write


def test_an_emptied_order_is_saved_empty_and_paying_after_a_checkpoint_keeps_one_row(register) -> None:  # type: ignore[no-untyped-def]
    a = plain_items(register)[0]
    register.add_item(a)
    register.checkpoint()
    register.remove_line(0)
    assert register.checkpoint() is True
    assert stored(register) == [("open", 0, 0)]  # not the line the cashier took off
    register.add_item(a)
    register.checkpoint()
    total = register.order.total
    result = register.pay_cash(total)
    assert result.approved
    assert stored(register) == [("paid", 1, total)]  # the saved order, not a second one


class SlowCash(CashGateway):
    """Cash at our payment port that waits for the test before it settles."""

    def __init__(self, db: object) -> None:
        super().__init__(db)
        self.entered, self.release = threading.Event(), threading.Event()

    def authorize(self, request, record):  # type: ignore[no-untyped-def]
        self.entered.set()
        self.release.wait(5)
        return super().authorize(request, record)


def test_a_checkpoint_while_the_register_pays_waits_its_turn(register) -> None:  # type: ignore[no-untyped-def]
    """A save from the worker thread never writes the order a payment is settling."""
    slow = SlowCash(register.sales.db)
    register.sales.gateways[Method.CASH] = slow
    register.add_item(plain_items(register)[0])
    register.checkpoint()
    register.add_item(plain_items(register)[1])  # changed since the save
    payer = threading.Thread(target=lambda: register.pay_cash(register.order.total))
    payer.start()
    assert slow.entered.wait(5)
    assert register.checkpoint() is False  # busy: the payment saves the order itself
    slow.release.set()
    payer.join(5)
    assert register.order.is_empty and register.last_paid.state is OrderState.PAID
    assert register.checkpoint() is False  # the new, empty order needs no row
    assert stored(register) == [("paid", 2, register.last_paid.total)]
