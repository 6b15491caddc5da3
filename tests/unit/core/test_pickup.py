"""주문번호 and the pickup board on a real temp SQLite file: numbers taken when an order is
paid (sequential, random, wrapping, one per order), the board's columns, its clear time,
refunds leaving it, 완료 and 되돌리기."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from kspos.ports import DeviceError
from kspos.sales.orders import Order, OrderLine
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.pickup import PickupError, PickupService, line_text, pickup_number
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.store import pickup as table


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 30)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    directory = StaffDirectory(db)
    return {role: directory.add(name, role, pin) for name, role, pin in
            (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"))}


def shop(db: Any, staff: Any, mode: str = "sequential") -> tuple[SalesService, Clock]:
    clock = Clock()
    service = SalesService(db, {Method.CASH: CashGateway(db)}, clock=clock, order_numbers=mode)
    if service.days.current() is None:
        service.days.open(staff[Role.OWNER], 0)
    return service, clock


def pay(sales: SalesService, staff: Any, *lines: tuple[str, int], training: bool = False,
        table_id: int | None = None) -> Order:
    order = Order(training=training)
    for n, (name, qty) in enumerate(lines or (("아메리카노", 1),)):
        order.add(OrderLine(item_id=n, name=name, base_price=4_500, qty=qty))
    order.table_id = table_id
    sales.take_tender(order, TenderRequest(Method.CASH, order.total, "", tendered=order.total),
                      staff[Role.CASHIER])
    return order


def test_paid_orders_are_numbered_one_two_three(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff)
    orders = [pay(sales, staff) for _ in range(3)]
    assert [pickup_number(db, o.id) for o in orders] == [1, 2, 3]


def test_an_unpaid_or_partly_paid_order_has_no_number_yet(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff)
    order = Order()
    order.add(OrderLine(item_id=1, name="라떼", base_price=5_000))
    sales.take_tender(order, TenderRequest(Method.CASH, 2_000, "", tendered=2_000),
                      staff[Role.CASHIER])
    assert pickup_number(db, order.id) is None
    sales.take_tender(order, TenderRequest(Method.CASH, 3_000, "", tendered=3_000),
                      staff[Role.CASHIER])
    assert pickup_number(db, order.id) == 1  # one number, when it was paid in full


def test_sequential_numbers_wrap_after_999(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff)
    db.write("UPDATE business_day SET next_pickup_no = 998")
    orders = [pay(sales, staff) for _ in range(3)]
    assert [pickup_number(db, o.id) for o in orders] == [998, 999, 1]


def test_the_next_business_day_starts_again_at_one(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    pay(sales, staff)
    pay(sales, staff)
    sales.days.close(staff[Role.OWNER], 0)
    clock.now += timedelta(days=1)
    sales.days.open(staff[Role.OWNER], 0)
    assert pickup_number(db, pay(sales, staff).id) == 1


def test_random_numbers_are_three_digits_and_not_reused_while_free_ones_remain(
        db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff, "random")
    orders = [pay(sales, staff) for _ in range(40)]
    numbers = [pickup_number(db, o.id) for o in orders]
    assert all(n is not None and 100 <= n <= 999 for n in numbers)
    assert len(set(numbers)) == 40


def test_random_picks_the_last_free_number(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff, "random")
    first = pay(sales, staff)
    day = db.read("SELECT business_day_id FROM sale_order WHERE id = ?", (first.id,))[0][0]
    taken = [n for n in range(100, 1000) if n != 555 and n != pickup_number(db, first.id)]
    with db.session() as s:  # every other number given out today already
        for n in taken:
            from kspos.store.sql import execute

            execute(s, "INSERT INTO sale_order (uuid, receipt_no, business_day_id, state, "
                       "training, note, created_at, order_discount_value, gross, "
                       "discount_total, service_total, total, supply, vat, tax_free, refunded, "
                       "zone, guests, carry_over, check_rev, pickup_no) VALUES (?, ?, ?, "
                       "'paid', 0, '', '2026-11-25 12:00:00.000000', 0, 0, 0, 0, 0, 0, 0, 0, "
                       "0, '', 0, 0, 0, ?)", (f"u{n}", f"X-{n}", day, n))
    assert pickup_number(db, pay(sales, staff).id) == 555


def test_random_choice_comes_from_the_free_numbers(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff, "random")
    order = pay(sales, staff)
    number = pickup_number(db, order.id)
    with db.session() as s:  # a seeded pick: the same free list gives the same number
        again = table._random_number(s, 1, random.Random(7))
    assert again != number and 100 <= again <= 999


def test_training_and_table_orders_get_no_number_and_off_gives_none(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, _ = shop(db, staff)
    assert pickup_number(db, pay(sales, staff, training=True).id) is None  # 연습 모드
    off, _ = shop(db, staff, "off")
    assert pickup_number(db, pay(off, staff).id) is None
    assert pickup_number(db, pay(sales, staff).id) == 1  # nothing was used up


def test_the_board_shows_preparing_oldest_first_and_ready_newest_first(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    pay(sales, staff, ("아메리카노", 2), ("카페라떼", 1))
    for _ in range(3):
        clock.now += timedelta(minutes=1)
        pay(sales, staff)
    board = PickupService(db, clock=clock)
    assert [t.number for t in board.board().preparing] == [1, 2, 3, 4]
    assert board.board().preparing[0].lines == ("아메리카노 ×2", "카페라떼 ×1")
    board.mark_ready(2)
    clock.now += timedelta(seconds=5)
    board.mark_ready(3)
    shown = board.board()
    assert [t.number for t in shown.preparing] == [1, 4]
    assert [t.number for t in shown.ready] == [3, 2]


def test_a_called_number_leaves_the_board_after_the_clear_time(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    pay(sales, staff)
    board = PickupService(db, clock=clock, clear_after_s=180)
    board.mark_ready(1)
    clock.now += timedelta(seconds=179)
    assert [t.number for t in board.board().ready] == [1]
    clock.now += timedelta(seconds=2)
    assert board.board().ready == () and board.board().preparing == ()


def test_refunded_and_voided_orders_never_show(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    first, second = pay(sales, staff), pay(sales, staff)
    sales.void(first, staff[Role.OWNER], "손님 요청")  # refunded in full
    board = PickupService(db, clock=clock)
    assert [t.number for t in board.board().preparing] == [2]
    with pytest.raises(PickupError):
        board.mark_ready(1)
    assert second.id is not None


def test_mark_ready_is_idempotent_audited_and_undo_takes_it_back(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    pay(sales, staff)
    board = PickupService(db, clock=clock)
    called = board.mark_ready(1)
    assert called.ready_at == clock.now
    clock.now += timedelta(seconds=30)
    assert board.mark_ready(1).ready_at == called.ready_at  # a second tap changes nothing
    actions = [r[0] for r in db.read("SELECT action FROM audit_log WHERE action LIKE 'pickup%'")]
    assert actions == ["pickup_ready"]
    back = board.undo_ready(1)
    assert back.ready_at is None and [t.number for t in board.board().preparing] == [1]
    assert board.undo_ready(1).ready_at is None  # already 준비 중: nothing to undo


class FakePager:
    spec = "fake"

    def __init__(self, down: bool = False) -> None:
        self.calls: list[int] = []
        self.down = down

    def open(self) -> None: ...
    def close(self) -> None: ...

    def call(self, number: int) -> None:
        if self.down:
            raise DeviceError("진동벨 응답 없음 (pager offline)")
        self.calls.append(number)


def test_complete_calls_the_pager_and_a_pager_that_is_down_loses_nothing(db, staff) -> None:  # type: ignore[no-untyped-def]
    sales, clock = shop(db, staff)
    pay(sales, staff)
    pay(sales, staff)
    pager = FakePager()
    board = PickupService(db, clock=clock, pager=pager)
    ticket, error = board.complete(1)
    assert ticket.ready and error is None and pager.calls == [1]
    pager.down = True
    ticket, error = board.complete(2)
    assert ticket.ready and error is not None and "진동벨" in error  # saved all the same
    assert [t.number for t in board.board().ready] == [2, 1]
    with pytest.raises(DeviceError):
        board.page(2)


def test_a_line_reads_with_its_options_and_count() -> None:
    assert line_text("아메리카노", '[["온도", "ICE", "Iced", 0], ["샷", "샷 추가", "", 500]]',
                     2) == "아메리카노 (ICE, 샷 추가) ×2"
    assert line_text("머핀", "not json", 1) == "머핀 ×1"
