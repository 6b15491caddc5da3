"""Paying a table's check on a real temp SQLite file: every split kind adds up to the won,
parts paid by cash and card at different times, a part's refund, and 이월 at 마감."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kspos.sales.checks import CheckError
from kspos.sales.floor import TableState
from kspos.sales.orders import Discount, OrderError, OrderState
from kspos.sales.payments import PaymentError
from kspos.sales.split_bill import SplitError, split_amounts, split_equal, split_items
from kspos.sales.staff import AuthError
from tests.unit.core.checks_rig import Shop, card, cash, line, seated
from tests.unit.core.checks_rig import shop as shop  # the pytest fixture


def kept(db: Any, order_id: int) -> list[tuple[Any, ...]]:
    return db.read("SELECT split_part, method, amount, refunded FROM payment WHERE order_id = ?"
                   " ORDER BY id", (order_id,))


def test_equal_split_paid_by_cash_and_card_closes_the_check(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_001, 2), line("소주", 5_500, 2))  # 41,002
    plan = split_equal(check.due, 3)
    assert [p.amount for p in plan.parts] == [13_668, 13_667, 13_667]
    shop.checks.set_split(check, plan, shop.cashier)
    shop.checks.pay_part(check, 1, card(13_667), shop.cashier)
    assert check.part_due(1) == 0 and check.due == 27_335
    assert shop.checks.floor().tile(shop.tables["T1"]).state is TableState.PAYING  # type: ignore[union-attr]
    with pytest.raises(CheckError) as refused:
        shop.checks.pay_part(check, 1, cash(1), shop.cashier)
    assert refused.value.code == "check.part_paid"
    with pytest.raises(PaymentError):
        shop.checks.pay_part(check, 0, cash(13_669), shop.cashier)
    shop.checks.pay_part(check, 0, cash(10_000), shop.cashier)  # some of a part, then the rest
    shop.checks.pay_part(check, 0, card(3_668), shop.cashier)
    assert check.order.state is OrderState.OPEN
    shop.checks.pay_part(check, 2, cash(13_667), shop.cashier)
    assert check.order.state is OrderState.PAID and check.due == 0
    assert kept(shop.db, check.order.id) == [  # type: ignore[arg-type]
        (1, "card", 13_667, 0), (0, "cash", 10_000, 0), (0, "card", 3_668, 0),
        (2, "cash", 13_667, 0)]
    assert shop.checks.floor().tile(shop.tables["T1"]).state is TableState.EMPTY  # type: ignore[union-attr]
    fact = json.loads(shop.db.read("SELECT body FROM outbox WHERE kind = 'order'")[0][0])
    assert (fact["state"], fact["total"], fact["guests"], fact["table"], fact["zone"]) == (
        "paid", 41_002, 2, "T1", "홀")


def test_split_by_amount_after_a_first_payment(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 4))  # 60,000
    shop.checks.pay(check, cash(10_000), shop.cashier)  # one guest leaves early
    plan = split_amounts(check.due, [20_000, 7_777])
    assert [p.amount for p in plan.parts] == [20_000, 7_777, 22_223]
    shop.checks.set_split(check, plan, shop.cashier)
    for part in range(3):
        shop.checks.pay_part(check, part, card(check.part_due(part)), shop.cashier)
    assert check.order.state is OrderState.PAID
    assert sum(a for _p, _m, a, _r in kept(shop.db, check.order.id)) == 60_000  # type: ignore[arg-type]


def test_split_by_item_with_an_order_discount_adds_up(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 3), line("냉면", 9_000, 1),
                   line("소주", 5_000, 2))  # 64,000
    check.order.set_order_discount(Discount("amount", 1_001))  # 62,999
    with pytest.raises(SplitError) as paid_first:
        shop.checks.pay(check, cash(1_000), shop.cashier)
        shop.checks.set_split(check, split_items(check.bill_lines(), check.order.total, [
            [(0, 3)], [(1, 1), (2, 2)]]), shop.cashier)
    assert paid_first.value.code == "split.paid_before"
    refund = shop.sales.undo_tenders(check.order, shop.owner, "다시")  # back to nothing paid
    assert refund.amount == 1_000
    fresh = seated(shop, "T2", line("삼겹살", 15_000, 3), line("냉면", 9_000, 1),
                   line("소주", 5_000, 2))
    fresh.order.set_order_discount(Discount("amount", 1_001))
    plan = split_items(fresh.bill_lines(), fresh.order.total,
                       [[(0, 2)], [(0, 1), (1, 1)], [(2, 2)]])
    assert plan.total == 62_999 and sum(p.amount for p in plan.parts) == 62_999
    shop.checks.set_split(fresh, plan, shop.cashier)
    for part in range(3):
        shop.checks.pay_part(fresh, part, cash(fresh.part_due(part)), shop.cashier)
    assert fresh.order.state is OrderState.PAID


def test_a_split_that_does_not_add_up_or_has_a_paid_part_cannot_be_set(shop: Shop) -> None:
    check = seated(shop, "T1")
    with pytest.raises(CheckError) as refused:
        shop.checks.set_split(check, split_equal(29_999, 2), shop.cashier)
    assert refused.value.code == "check.split_total"
    shop.checks.set_split(check, split_equal(30_000, 2), shop.cashier)
    shop.checks.set_split(check, split_equal(30_000, 3), shop.cashier)  # replaced: none paid
    shop.checks.pay_part(check, 0, cash(10_000), shop.cashier)
    for change in (lambda: shop.checks.set_split(check, split_equal(30_000, 2), shop.cashier),
                   lambda: shop.checks.clear_split(check, shop.cashier)):
        with pytest.raises(CheckError) as locked:
            change()
        assert locked.value.code == "check.split_locked"


def test_two_registers_paying_one_part_cannot_pay_it_twice(shop: Shop) -> None:
    check = seated(shop, "T1")
    shop.checks.set_split(check, split_equal(30_000, 2), shop.cashier)
    other = shop.register()
    stale = other.load_check(check.order.id)  # type: ignore[arg-type]
    shop.checks.pay_part(check, 0, cash(15_000), shop.cashier)
    with pytest.raises(PaymentError):  # its copy still sees the part unpaid
        other.pay_part(stale, 0, cash(15_000), shop.cashier)
    assert stale.part_paid == {0: 15_000}  # refreshed from what was committed
    assert len(kept(shop.db, check.order.id)) == 1  # type: ignore[arg-type]


def test_drafts_must_be_sent_before_paying(shop: Shop) -> None:
    check = seated(shop, "T1")
    check.order.add(line("소주", 5_000))
    with pytest.raises(CheckError) as refused:
        shop.checks.pay(check, cash(35_000), shop.cashier)
    assert refused.value.code == "check.unsent_lines"


def test_refund_of_one_part_gives_back_only_its_tenders(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 2))
    shop.checks.set_split(check, split_equal(30_000, 3), shop.cashier)
    shop.checks.pay_part(check, 0, card(10_000), shop.cashier)
    with pytest.raises(CheckError) as early:
        shop.checks.refund_part(check.order.id, 0, shop.owner, "카드 변경")  # type: ignore[arg-type]
    assert early.value.code == "check.refund_open"
    shop.checks.pay_part(check, 1, cash(6_000), shop.cashier)
    shop.checks.pay_part(check, 1, card(4_000), shop.cashier)
    shop.checks.pay_part(check, 2, cash(10_000), shop.cashier)
    with pytest.raises(AuthError):
        shop.checks.refund_part(check.order.id, 1, shop.cashier)  # type: ignore[arg-type]
    outcome = shop.checks.refund_part(check.order.id, 1, shop.owner, "음식 불만")  # type: ignore[arg-type]
    assert outcome.amount == 10_000 and outcome.cash_back == 6_000
    assert outcome.state is OrderState.PARTLY_REFUNDED
    assert kept(shop.db, check.order.id) == [  # type: ignore[arg-type]
        (0, "card", 10_000, 0), (1, "cash", 6_000, 6_000), (1, "card", 4_000, 4_000),
        (2, "cash", 10_000, 0)]
    assert shop.card.calls[-1] == "cancel 4000 of 00000002"
    with pytest.raises(CheckError):
        shop.checks.refund_part(check.order.id, 1, shop.owner)  # type: ignore[arg-type]


def test_close_is_refused_with_open_tables_until_they_are_carried_over(shop: Shop) -> None:
    t1 = seated(shop, "T1")
    seated(shop, "룸 1")
    with pytest.raises(OrderError) as refused:
        shop.sales.days.close(shop.owner, 0)
    assert refused.value.code == "day.checks_open"
    assert "T1" in str(refused.value) and "룸 1" in str(refused.value)
    with pytest.raises(AuthError):
        shop.checks.carry_over(shop.cashier)
    partly = seated(shop, "T3")
    shop.checks.pay(partly, cash(5_000), shop.cashier)
    with pytest.raises(CheckError) as paid:  # its cash is in today's drawer
        shop.checks.carry_over(shop.owner)
    assert paid.value.code == "check.carry_paid" and "T3" in str(paid.value)
    shop.checks.pay(partly, cash(25_000), shop.cashier)
    assert shop.checks.carry_over(shop.owner) == 2
    late = seated(shop, "T4")
    assert shop.checks.carry_over(shop.owner) == 3
    shop.checks.pay(late, cash(1_000), shop.cashier)  # a tender after 이월: it stays today
    with pytest.raises(OrderError) as again:
        shop.sales.days.close(shop.owner, 0)
    assert again.value.code == "day.checks_open" and "T4" in str(again.value)
    shop.checks.pay(late, cash(29_000), shop.cashier)
    assert all(t.carried for t in shop.checks.floor().tiles if t.order_id)
    shop.sales.days.close(shop.owner, 0)
    with pytest.raises(OrderError) as closed:  # between the Z and the next 개점
        shop.checks.pay(shop.checks.load_check(t1.order.id), cash(30_000), shop.cashier)  # type: ignore[arg-type]
    assert closed.value.code == "day.not_open"
    first_day = shop.db.read("SELECT business_day_id FROM sale_order WHERE id = ?",
                             (t1.order.id,))[0][0]
    shop.clock.tick(24 * 60)
    shop.sales.days.open(shop.owner, 0)
    (day_id, carry), = shop.db.read("SELECT business_day_id, carry_over FROM sale_order "
                                    "WHERE id = ?", (t1.order.id,))
    assert day_id != first_day and carry == 0
    assert shop.db.read("SELECT count(*) FROM audit_log WHERE action = 'check_carry_in'"
                        ) == [(1,)]
    t1 = shop.checks.load_check(t1.order.id)  # type: ignore[arg-type]
    shop.checks.pay(t1, cash(30_000), shop.cashier)  # counts on the day it is paid
    assert t1.order.state is OrderState.PAID
    assert shop.db.read("SELECT business_day_id FROM sale_order WHERE id = ?",
                        (t1.order.id,)) == [(day_id,)]


def test_the_office_takes_the_order_fact_with_guests_table_and_zone(shop: Shop) -> None:
    from office.api.validate import Refused, check_fact

    check = seated(shop, "룸 1", guests=6)
    shop.checks.pay(check, card(30_000), shop.cashier)
    seq, uuid, kind, version, body = shop.db.read(
        "SELECT seq, uuid, kind, version, body FROM outbox WHERE kind = 'order'")[0]
    fact = json.loads(body)
    assert (fact["guests"], fact["table"], fact["zone"]) == (6, "룸 1", "룸")
    raw = {"seq": seq, "uuid": uuid, "kind": kind, "version": version, "body": fact}
    check_fact(raw, fact["store"], fact["terminal"])
    for bad in ({"guests": -1}, {"guests": "6"}, {"table": 12}):
        with pytest.raises(Refused):
            check_fact({**raw, "body": {**fact, **bad}}, fact["store"], fact["terminal"])
    older = {k: v for k, v in fact.items() if k not in ("guests", "table", "zone")}
    check_fact({**raw, "body": older}, fact["store"], fact["terminal"])  # an older terminal
