"""The sales service on a real temp SQLite file: days, tenders, holds, voids, refunds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from kspos.sales.orders import Discount, Order, OrderError, OrderLine, OrderState
from kspos.sales.payments import (
    CancelRequest,
    CashGateway,
    Method,
    PaymentError,
    Recorder,
    TenderRequest,
    TenderResult,
)
from kspos.sales.service import SalesService
from kspos.sales.staff import AuthError, Role, StaffDirectory, StaffMember


@dataclass
class FakeCardGateway:
    """A card tender at our own port: approves unless told to decline; records calls."""

    db: object
    method: Method = Method.CARD
    saves_order_before_send = False
    needs_receipt_identity = False
    decline: bool = False
    calls: list[str] = field(default_factory=list)

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        self.calls.append(f"approve {request.amount}")
        if self.decline:
            return TenderResult(False, Method.CARD, request.amount, "한도초과", "7001")
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no="12345678", approval_date="261125",
                              masked_pan="536510******0006", card_bin="536510")
        with self.db.session() as s:  # type: ignore[attr-defined]
            record(s, result)
        return result

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        self.calls.append(f"cancel {request.amount} of {request.approval_no}")
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no="87654321", approval_date="261125")
        with self.db.session() as s:  # type: ignore[attr-defined]
            record(s, result)
        return result


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    directory = StaffDirectory(db)
    return {role: directory.add(name, role, pin) for name, role, pin in
            (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"))}


@pytest.fixture
def sales(db, staff):  # type: ignore[no-untyped-def]
    card = FakeCardGateway(db)
    service = SalesService(db, {Method.CASH: CashGateway(db), Method.CARD: card},
                           clock=lambda: datetime(2026, 11, 25, 12, 30))
    service.days.open(staff[Role.OWNER], 100_000)
    service.card = card  # type: ignore[attr-defined]
    return service


def coffee_order(*prices: int) -> Order:
    order = Order()
    for i, price in enumerate(prices or (4_500, 5_000)):
        order.add(OrderLine(item_id=i, name=f"메뉴{i}", base_price=price))
    return order


def cash(amount: int, tendered: int | None = None) -> TenderRequest:
    """Cash for ``amount``; the customer hands over ``tendered`` (the exact amount if None)."""
    return TenderRequest(Method.CASH, amount, "",
                         tendered=amount if tendered is None else tendered)


def test_nothing_sells_before_the_day_is_opened(db, staff) -> None:  # type: ignore[no-untyped-def]
    service = SalesService(db, {Method.CASH: CashGateway(db)})
    with pytest.raises(OrderError, match="영업"):
        service.take_tender(coffee_order(), cash(9_500), staff[Role.CASHIER])


def test_cash_sale_with_change_and_receipt_number(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    result = sales.take_tender(order, cash(9_500, tendered=10_000), staff[Role.CASHIER])
    assert result.change == 500
    assert order.state is OrderState.PAID
    assert order.receipt_no == "20261125-01-0001"  # day, terminal (demo: 01), sequence
    second = coffee_order(3_000)
    sales.take_tender(second, cash(3_000), staff[Role.CASHIER])
    assert second.receipt_no == "20261125-01-0002"


def test_short_cash_is_refused_and_order_stays_open(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    with pytest.raises(PaymentError, match="부족"):
        sales.take_tender(order, cash(9_500, tendered=5_000), staff[Role.CASHIER])
    assert order.state is OrderState.OPEN
    assert sales.remaining(order) == 9_500


def test_mixed_tender_pays_when_the_sum_reaches_the_total(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(10_000, 5_000)
    sales.take_tender(order, cash(6_000), staff[Role.CASHIER])
    assert order.state is OrderState.OPEN and sales.remaining(order) == 9_000
    sales.take_tender(order, TenderRequest(Method.CARD, 9_000, ""), staff[Role.CASHIER])
    assert order.state is OrderState.PAID
    assert [p.method for p in sales.payments(order.id)] == [Method.CASH, Method.CARD]


def test_tender_over_the_remaining_amount_is_refused(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(10_000)
    with pytest.raises(PaymentError, match="남은 금액"):
        sales.take_tender(order, TenderRequest(Method.CARD, 20_000, ""), staff[Role.CASHIER])


def test_declined_card_records_nothing(sales, staff) -> None:  # type: ignore[no-untyped-def]
    sales.card.decline = True
    order = coffee_order()
    result = sales.take_tender(order, TenderRequest(Method.CARD, 9_500, ""), staff[Role.CASHIER])
    assert not result.approved and result.message == "한도초과"
    assert sales.payments(order.id) == [] and order.state is OrderState.OPEN


def test_paying_a_voided_order_is_refused(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    sales.save(order, staff[Role.CASHIER])
    sales.void(order, staff[Role.CASHIER], "손님 취소")
    with pytest.raises(OrderError, match="not open"):
        sales.take_tender(order, cash(9_500), staff[Role.CASHIER])


def test_hold_and_recall_keep_lines_and_discount(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_500, 5_000)
    order.set_order_discount(Discount("percent", 10))
    order.table_no = "7"
    sales.hold(order, staff[Role.CASHIER])
    assert [h.receipt_no for h in sales.held()] == [order.receipt_no]
    back = sales.recall(order.id, staff[Role.CASHIER])
    assert back.state is OrderState.OPEN and back.table_no == "7"
    assert back.total == order.total == 8_550
    assert sales.held() == []


def test_refund_needs_an_owner(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    sales.take_tender(order, cash(9_500), staff[Role.CASHIER])
    with pytest.raises(AuthError):
        sales.refund(order.id, staff[Role.CASHIER])


def test_whole_refund_goes_back_to_each_tender(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(10_000, 5_000)
    sales.take_tender(order, cash(6_000), staff[Role.CASHIER])
    sales.take_tender(order, TenderRequest(Method.CARD, 9_000, ""), staff[Role.CASHIER])
    outcome = sales.refund(order.id, staff[Role.OWNER])
    assert outcome.amount == 15_000 and outcome.cash_back == 6_000
    assert outcome.state is OrderState.REFUNDED
    assert sales.card.calls[-1] == "cancel 9000 of 12345678"


def test_refund_by_line_then_more_than_paid_is_refused(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_500, 5_000)
    sales.take_tender(order, cash(9_500), staff[Role.CASHIER])
    outcome = sales.refund(order.id, staff[Role.OWNER], {1: 1})
    assert outcome.amount == 5_000 and outcome.state is OrderState.PARTLY_REFUNDED
    with pytest.raises(OrderError, match="남은 수량"):
        sales.refund(order.id, staff[Role.OWNER], {1: 1})
    last = sales.refund(order.id, staff[Role.OWNER], {0: 1})
    assert last.amount == 4_500 and last.state is OrderState.REFUNDED
    with pytest.raises(OrderError, match="paid"):
        sales.refund(order.id, staff[Role.OWNER])


def test_line_refund_shares_the_order_discount(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(10_000, 10_000)
    order.set_order_discount(Discount("amount", 2_000))
    sales.take_tender(order, cash(18_000), staff[Role.CASHIER])
    assert sales.refund(order.id, staff[Role.OWNER], {0: 1}).amount == 9_000


def test_close_day_reports_over_short(sales, staff) -> None:  # type: ignore[no-untyped-def]
    sales.take_tender(coffee_order(4_500), cash(4_500, tendered=10_000), staff[Role.CASHIER])
    order = coffee_order(5_000)
    sales.take_tender(order, cash(5_000), staff[Role.CASHIER])
    sales.refund(order.id, staff[Role.OWNER])
    assert sales.days.expected_cash(sales.days.current().id) == 104_500
    with pytest.raises(AuthError):
        sales.days.close(staff[Role.CASHIER], 104_000)
    closed = sales.days.close(staff[Role.OWNER], 104_000)
    assert closed.over_short == -500 and closed.closed
    with pytest.raises(OrderError, match="영업"):
        sales.take_tender(coffee_order(), cash(9_500), staff[Role.CASHIER])


def test_training_sales_are_kept_out_of_the_drawer(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_500)
    order.training = True
    sales.take_tender(order, cash(4_500), staff[Role.CASHIER])
    assert sales.days.expected_cash(sales.days.current().id) == 100_000
    outcome = sales.refund(order.id, staff[Role.OWNER])
    assert outcome.cash_back == 0  # the drawer stays shut in training


def test_pin_login_and_wrong_pin(db) -> None:  # type: ignore[no-untyped-def]
    directory = StaffDirectory(db)
    directory.add("김민지", Role.CASHIER, "1234")
    assert directory.login("1234").name == "김민지"
    with pytest.raises(AuthError, match="PIN"):
        directory.login("4321")
    assert isinstance(directory.login("1234"), StaffMember)


def test_a_cash_refund_counts_in_the_drawer_of_the_day_it_was_given(db, staff) -> None:  # type: ignore[no-untyped-def]
    clock = {"now": datetime(2026, 11, 24, 12, 0)}
    service = SalesService(db, {Method.CASH: CashGateway(db)}, clock=lambda: clock["now"])
    service.days.open(staff[Role.OWNER], 0)
    order = coffee_order(5_000)
    service.take_tender(order, cash(5_000), staff[Role.CASHIER])
    clock["now"] = datetime(2026, 11, 24, 22, 0)
    service.days.close(staff[Role.OWNER], 5_000)
    clock["now"] = datetime(2026, 11, 25, 9, 0)
    today = service.days.open(staff[Role.OWNER], 10_000)
    clock["now"] = datetime(2026, 11, 25, 9, 30)
    service.refund(order.id, staff[Role.OWNER])  # yesterday's sale, today's drawer
    assert service.days.expected_cash(today.id) == 5_000


# --- a partly paid order (복합결제 abandoned half-way) ----------------------------------------------


def test_a_partly_paid_order_cannot_go_below_what_was_paid(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_000, 6_000)
    sales.take_tender(order, cash(5_000, tendered=5_000), staff[Role.CASHIER])
    assert order.state is OrderState.OPEN and sales.remaining(order) == 5_000
    for edit in (lambda: order.remove(1), lambda: order.set_order_discount(
            Discount("percent", 60)), lambda: order.set_complimentary(1), order.clear):
        with pytest.raises(OrderError, match="5,000원"):
            edit()
    assert order.total == 10_000 and sales.remaining(order) == 5_000
    order.remove(0)  # 6,000 still covers the 5,000 paid
    assert sales.remaining(order) == 1_000


def test_a_recalled_partly_paid_order_still_knows_what_was_paid(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_000, 6_000)
    sales.take_tender(order, cash(5_000, tendered=5_000), staff[Role.CASHIER])
    again = sales.load(order.id)
    with pytest.raises(OrderError, match="5,000원"):
        again.remove(1)


def test_voiding_an_abandoned_split_gives_each_tender_back(sales, staff, db) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_000, 6_000, 2_000)
    sales.take_tender(order, cash(3_000, tendered=5_000), staff[Role.CASHIER])
    sales.take_tender(order, TenderRequest(Method.CARD, 4_000, ""), staff[Role.CASHIER])
    outcome = sales.undo_tenders(order, staff[Role.CASHIER], "손님 변심")
    assert outcome.amount == 7_000 and outcome.cash_back == 3_000
    assert sales.card.calls[-1] == "cancel 4000 of 12345678"
    assert order.state is OrderState.VOIDED
    assert sales.load(order.id).state is OrderState.VOIDED
    assert [p.refundable for p in sales.payments(order.id)] == [0, 0]
    actions = [a for (a,) in db.read("SELECT action FROM audit_log WHERE order_id = ? "
                                     "ORDER BY id", (order.id,))]
    assert actions[-3:] == ["tender_cancel", "tender_cancel", "void"]
    # the drawer: 3,000 in, 3,000 back
    assert sales.days.expected_cash(sales.days.current().id) == 100_000


def test_void_of_a_partly_paid_order_undoes_its_tenders_first(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_000, 6_000)
    sales.take_tender(order, cash(5_000, tendered=5_000), staff[Role.CASHIER])
    sales.void(order, staff[Role.CASHIER], "주문취소")
    assert order.state is OrderState.VOIDED
    assert sales.payments(order.id)[0].refunded == 5_000


def test_an_undone_split_is_neither_a_sale_nor_a_refund_in_the_report(sales, staff, db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from kspos.reports.summary import load_summary

    order = coffee_order(4_000, 6_000)
    sales.take_tender(order, cash(5_000, tendered=5_000), staff[Role.CASHIER])
    sales.undo_tenders(order, staff[Role.CASHIER])
    day = date.fromisoformat(sales.days.current().day)
    totals = load_summary(db.path, day, day, staff[Role.OWNER]).totals
    assert (totals.net_sales, totals.refunds, totals.refund_count) == (0, 0, 0)


# --- cash amounts --------------------------------------------------------------------------------


def test_cash_with_nothing_received_is_refused_not_booked_as_exact(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    with pytest.raises(PaymentError, match="받은 금액"):
        sales.take_tender(order, cash(9_500, tendered=0), staff[Role.CASHIER])
    assert order.state is OrderState.OPEN and sales.payments(order.id) == []


def test_cash_received_is_capped_at_the_amount_plus_a_million(sales, staff) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order()
    with pytest.raises(PaymentError, match="1,000,000원"):
        sales.take_tender(order, cash(9_500, tendered=999_999_999), staff[Role.CASHIER])
    with pytest.raises(PaymentError, match="1,000,000원"):
        sales.take_tender(order, cash(9_500, tendered=1_009_501), staff[Role.CASHIER])
    assert sales.payments(order.id) == []
    result = sales.take_tender(order, cash(9_500, tendered=1_009_500), staff[Role.CASHIER])
    assert result.change == 1_000_000 and order.state is OrderState.PAID


def test_the_cash_gateway_itself_refuses_nothing_received(db) -> None:  # type: ignore[no-untyped-def]
    recorded: list[object] = []
    with pytest.raises(PaymentError, match="받은 금액"):
        CashGateway(db).authorize(TenderRequest(Method.CASH, 5_000, ""),
                                  lambda _s, r: recorded.append(r))
    assert recorded == []


def test_a_partly_paid_order_held_at_a_restart_can_be_voided_from_the_list(sales, staff, db) -> None:  # type: ignore[no-untyped-def]
    order = coffee_order(4_000, 6_000)
    sales.take_tender(order, cash(5_000), staff[Role.CASHIER])
    db.write("UPDATE sale_order SET state = 'held' WHERE id = ?", (order.id,))  # the restart
    held = sales.load(order.id)
    sales.void(held, staff[Role.CASHIER], "주문취소")
    assert held.state is OrderState.VOIDED and sales.payments(order.id)[0].refunded == 5_000
