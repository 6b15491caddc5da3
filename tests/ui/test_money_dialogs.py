"""Money typed by hand: the 현금영수증 number asked again at a partial refund, and the cash
received in 현금 결제."""

from __future__ import annotations

import pytest

from kspos.sales.orders import OrderState
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from tests.ui.helpers import enter_pin, on_next_dialog, tap


@pytest.fixture
def window(van_context, qtbot):  # type: ignore[no-untyped-def]
    from ui.app import MainWindow

    win = MainWindow(van_context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    van_context.register.login("1111")
    van_context.sales.days.open(van_context.register.staff, 0)
    return win


def cash_sale_with_receipt(context):  # type: ignore[no-untyped-def]
    items = sorted((i for i in context.catalog.by_id.values()
                    if not i.groups and not i.sold_out), key=lambda i: i.price)
    for item in items[:2]:
        context.register.add_item(item.id)
    order = context.register.order
    context.register.pay(TenderRequest(Method.CASH, order.total, "", tendered=order.total,
                                       cash_receipt=CashReceiptRequest("01012345678")))
    assert order.state is OrderState.PAID
    return order


def type_number(dialog, digits):  # type: ignore[no-untyped-def]
    for digit in digits:
        tap(dialog, f"key-{digit}")


def test_a_partial_refund_wants_the_receipts_own_number_or_an_explicit_change(
        window, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    order = cash_sale_with_receipt(van_context)
    tap(window.screen_widget("cashier"), "action-history")
    history = window.screen_widget("history")
    assert history.order_id == order.id
    tap(history, "refund-qty-0-plus")
    seen: list[str] = []

    def original(dialog):  # type: ignore[no-untyped-def]
        type_number(dialog, "01099998888")  # not the customer's: refused in the dialog
        tap(dialog, "receipt-ok")
        seen.append(dialog.error.text())
        assert dialog.isVisible()
        tap(dialog, "key-clear")
        type_number(dialog, "01012345678")
        tap(dialog, "receipt-change-number")  # the customer wants it on another number
        on_next_dialog(new_number, expect="CashReceiptDialog")
        tap(dialog, "receipt-ok")

    def new_number(dialog):  # type: ignore[no-untyped-def]
        type_number(dialog, "01055556666")
        tap(dialog, "receipt-ok")

    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(original, expect="CashReceiptDialog")
    tap(history, "history-refund-lines")
    qtbot.waitUntil(lambda: "환불" in history.message.text(), timeout=8000)  # all done
    assert van_context.sales.load(order.id).state is OrderState.PARTLY_REFUNDED
    assert "010****5678" in seen[0]
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.cash_receipt_id_masked == "010****6666"


def test_cash_received_must_be_typed_or_exact_and_within_what_a_drawer_changes(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.cash import CashDialog

    dialog = CashDialog(7_100)
    qtbot.addWidget(dialog)
    dialog.show()
    tap(dialog, "cash-pay")  # nothing typed: not booked as exact cash
    assert dialog.isVisible() and dialog.result() != CashDialog.DialogCode.Accepted
    assert "딱맞게" in dialog.error.text()
    type_number(dialog, "999999999")
    assert "1,000,000원" in dialog.error.text() and not dialog.ok.isEnabled()
    assert dialog.change_label.text() != "999,992,899원"
    tap(dialog, "quick-0")  # 딱맞게
    assert dialog.tendered == 7_100 and dialog.error.text() == "" and dialog.ok.isEnabled()
    tap(dialog, "cash-pay")
    assert dialog.result() == CashDialog.DialogCode.Accepted and dialog.tendered == 7_100
