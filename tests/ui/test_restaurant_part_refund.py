"""분할 환불 in 거래내역: a check paid in three parts (card, cash with 현금영수증, easy pay) gives
back one part at a time, exactly that part's tenders; the other parts stay paid."""

from __future__ import annotations

import pytest

from kspos.sales.floor import demo_floor
from kspos.sales.orders import OrderLine, OrderState
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from kspos.sales.split_bill import split_equal
from tests.ui.helpers import enter_pin, on_next_dialog, tap


@pytest.fixture
def store_window(van_context, qtbot):  # type: ignore[no-untyped-def]
    """The main window on the VAN simulator's store, a cashier logged in, the day open."""
    from ui.app import MainWindow

    window = MainWindow(van_context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    van_context.register.login("1111")  # a cashier: a refund asks the owner's PIN
    van_context.sales.days.open(van_context.register.staff, 0)
    return window


@pytest.fixture
def paid_in_three(van_context, store_window):  # type: ignore[no-untyped-def]
    """거래내역 showing a table's check paid in three parts through the VAN sim."""
    context, window = van_context, store_window
    staff = context.register.staff
    service = context.checks
    service.seed_floor(demo_floor())
    check = service.open_check(service.floor().tiles[0].place.id, staff, 3)
    check.order.add(OrderLine(1, "삼겹살", 15_000, 2, category_name="고기류"))
    check.order.add(OrderLine(2, "소주", 5_000, 2, category_name="주류"))
    check = service.send_round(check, staff)
    service.set_split(check, split_equal(check.due, 3), staff)  # 13,334 + 13,333 + 13,333
    reader = context.devices.card_reader
    reader.insert_card("")
    service.pay_part(check, 0, TenderRequest(Method.CARD, 13_334, "",
                                             card=reader.read_card(0, 1)), staff)
    service.pay_part(check, 1, TenderRequest(Method.CASH, 13_333, "", tendered=13_333,
                                             cash_receipt=CashReceiptRequest("01012345678")),
                     staff)
    service.pay_part(check, 2, TenderRequest(Method.EASYPAY, 13_333, "",
                                             code="281006000011112222"), staff)
    assert check.order.state is OrderState.PAID
    history = window.show_screen("history")
    history.show_order(check.order.id)
    return context, history, check.order.id


def tenders(context, order_id):  # type: ignore[no-untyped-def]
    return [(p.row.split_part, p.method, p.refunded, p.row.status)
            for p in context.sales.payments(order_id)]


def test_one_part_at_a_time_gives_back_only_its_tenders(paid_in_three, qtbot) -> None:  # type: ignore[no-untyped-def]
    context, history, order_id = paid_in_three
    assert history.refund_part_button.isVisible()

    def pick_the_cash_part(dialog):  # type: ignore[no-untyped-def]
        rows = [dialog.findChild(type(dialog.cancel_button), f"part-refund-{k}") for k in range(3)]
        assert [r.text().split(" · ")[0] for r in rows] == ["1번", "2번", "3번"]
        assert "카드 13,334원" in rows[0].text() and "현금 13,333원" in rows[1].text()
        tap(dialog, "part-refund-1")

    def the_customers_number(dialog):  # type: ignore[no-untyped-def]
        assert not dialog.change_number.isVisible()  # the part goes back whole
        for digit in "01012345678":
            tap(dialog, f"key-{digit}")
        tap(dialog, "receipt-ok")

    on_next_dialog(pick_the_cash_part, expect="PartRefundDialog")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(the_customers_number, expect="CashReceiptDialog")
    tap(history, "history-refund-part")
    qtbot.waitUntil(lambda: "환불 13,333원" in history.message.text(), timeout=8000)
    assert context.sales.load(order_id).state is OrderState.PARTLY_REFUNDED
    assert tenders(context, order_id) == [
        (0, Method.CARD, 0, "approved"), (1, Method.CASH, 13_333, "cancelled"),
        (2, Method.EASYPAY, 0, "approved")]

    def only_two_left(dialog):  # type: ignore[no-untyped-def]
        assert dialog.findChild(type(dialog.cancel_button), "part-refund-1") is None
        tap(dialog, "part-refund-0")

    on_next_dialog(only_two_left, expect="PartRefundDialog")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(history, "history-refund-part")
    qtbot.waitUntil(lambda: "환불 13,334원" in history.message.text(), timeout=8000)
    assert tenders(context, order_id) == [
        (0, Method.CARD, 13_334, "cancelled"), (1, Method.CASH, 13_333, "cancelled"),
        (2, Method.EASYPAY, 0, "approved")]  # the third guest's easy pay stands


def test_an_order_not_split_has_no_part_refund(van_context, store_window) -> None:  # type: ignore[no-untyped-def]
    from ui.screens.samples import demo_sample_order

    demo_sample_order(van_context)
    van_context.register.pay_cash(50_000)
    history = store_window.show_screen("history")
    history.reload()
    assert history.order_id is not None and history.refund_all_button.isEnabled()
    assert not history.refund_part_button.isVisible()
