"""The order on the counter is saved as it is built (Register.checkpoint), so a crash cannot
lose it; the register's own actions never race with a save."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from kspos.menu.catalog import demo_menu, load_catalog, seed_menu
from kspos.sales.orders import OrderError, OrderState
from kspos.sales.payments import CashGateway, Method
from kspos.sales.register import CONFIRM_FROM_KRW, Register
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory


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


def test_deleting_the_last_line_of_a_saved_order_voids_it_and_paying_keeps_one_row(register) -> None:  # type: ignore[no-untyped-def]
    a = plain_items(register)[0]
    register.add_item(a)
    register.checkpoint()
    register.remove_line(0)  # an empty order is no order: not left open to hold up the Z
    assert register.order.is_empty and register.order.id is None
    assert stored(register) == [("voided", 1, register.catalog.by_id[a].price)]
    register.add_item(a)
    register.checkpoint()
    total = register.order.total
    result = register.pay_cash(total)
    assert result.approved
    assert stored(register)[1:] == [("paid", 1, total)]  # the saved order, not a second one
    register.sales.days.close(register.staff_directory.first(Role.OWNER), total)


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


def audit_of(register: Register, action: str) -> list[dict]:  # type: ignore[type-arg]
    import json

    return [dict(json.loads(detail), order_id=order_id) for order_id, detail in
            register.sales.db.read("SELECT order_id, detail FROM audit_log WHERE action = ? "
                                   "ORDER BY id", (action,))]


def big_order(register: Register) -> int:
    """An order of 50,000원 or more (ten of the dearest plain item); returns its total."""
    item = max((register.catalog.by_id[i] for i in plain_items(register)), key=lambda i: i.price)
    register.add_item(item.id, qty=-(-CONFIRM_FROM_KRW // item.price))
    assert register.order.total >= CONFIRM_FROM_KRW
    return register.order.total


def test_voiding_a_big_order_needs_a_confirmation_and_is_audited_with_its_amount(register) -> None:  # type: ignore[no-untyped-def]
    total = big_order(register)
    with pytest.raises(OrderError, match="확인"):
        register.void("주문취소")
    assert register.order.total == total and stored(register) == []  # nothing happened
    register.void("주문취소", confirmed=True)  # never saved before: it still leaves a trace
    assert register.order.is_empty
    assert stored(register) == [("voided", 1, total)]
    assert [(a["total"], a["reason"]) for a in audit_of(register, "void")] == [(total, "주문취소")]


def test_a_small_unsaved_order_voided_leaves_its_amount_in_the_audit(register) -> None:  # type: ignore[no-untyped-def]
    register.add_item(plain_items(register)[0])
    total = register.order.total
    register.void("주문취소")  # under the threshold: no question asked
    assert [a["total"] for a in audit_of(register, "void")] == [total]


def test_a_void_audits_the_order_as_it_is_not_as_last_saved(register) -> None:  # type: ignore[no-untyped-def]
    a, b = plain_items(register)[:2]
    register.add_item(a)
    register.checkpoint()
    register.add_item(b)  # not saved yet when the cashier voids
    total = register.order.total
    register.void("주문취소")
    assert stored(register) == [("voided", 2, total)]
    assert [a["total"] for a in audit_of(register, "void")] == [total]


def test_deleting_a_big_line_needs_a_confirmation_and_every_delete_is_audited(register) -> None:  # type: ignore[no-untyped-def]
    small = plain_items(register)[0]
    register.add_item(small)
    big_order(register)
    line = register.order.lines[1]
    with pytest.raises(OrderError, match="확인"):
        register.remove_line(1)
    assert len(register.order.lines) == 2
    register.remove_line(1, confirmed=True)
    register.remove_line(0)  # a small line goes without a question
    assert register.order.is_empty
    deleted = audit_of(register, "line_delete")
    assert [(d["name"], d["qty"], d["amount"]) for d in deleted] == [
        (line.name, line.qty, line.amount),
        (register.catalog.by_id[small].name, 1, register.catalog.by_id[small].price)]
