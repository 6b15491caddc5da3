"""Roles on the screens: a logged-out counter opens no 거래내역 and reprints nothing; the PIN
pad says how long to wait after five wrong PINs; the demo-PIN warning does not push the screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from tests.ui.helpers import enter_pin, on_next_dialog, tap


def _sell_one(context: Any) -> int:
    register = context.register
    register.login("1111")
    context.sales.days.open(register.staff, 0)
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    register.add_item(item.id)
    register.pay_cash(50_000)
    return int(register.last_paid.id)


def test_a_logged_out_counter_opens_no_history_and_reprints_nothing(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.printing import print_order

    order_id = _sell_one(context)
    context.register.logout()
    cashier = window.screen_widget("cashier")
    on_next_dialog(lambda dialog: tap(dialog, "dialog-cancel"), expect="PinDialog")
    tap(cashier, "action-history")  # asks who is there; given up, stays on the cashier screen
    assert window.stack.currentWidget() is cashier
    history = window.show_screen("history")  # however it got there: nobody's sales
    assert history.table.rowCount() == 0 and "로그인" in history.message.text()
    jobs = len(context.printing.queue.pending())
    said: list[str] = []
    print_order(history, context, order_id, True, said.append)
    assert said and "로그인" in said[0]
    assert len(context.printing.queue.pending()) == jobs

    window.show_screen("cashier")
    on_next_dialog(enter_pin("1111"), expect="PinDialog")
    tap(cashier, "action-history")  # with the cashier's PIN it opens
    assert window.stack.currentWidget() is history and history.table.rowCount() == 1


def test_the_pin_pad_says_how_long_to_wait(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    seen: list[str] = []

    def five_wrong_then_look(dialog: QWidget) -> None:
        for _ in range(5):
            for digit in "4444":
                tap(dialog, f"key-{digit}")
            tap(dialog, "pin-ok")
        seen.append(dialog.error.text())
        seen.append(str(dialog.findChild(QWidget, "pin-ok").isEnabled()))
        tap(dialog, "dialog-cancel")

    on_next_dialog(five_wrong_then_look, expect="PinDialog")
    assert not cashier.login()
    assert "30초" in seen[0] and seen[1] == "False"
    assert context.register.staff is None


def test_a_technician_at_the_counter_opens_no_day_and_sells_nothing(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    context.register.login("9999")
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    cashier.tap_item(item.id)  # no 영업 시작 dialog: a technician does not open the till
    assert "캐셔 또는 점주" in cashier.message.text()
    assert context.sales.days.current() is None and context.register.order.is_empty
