"""The business day, the order on the counter, voids and discounts, by taps."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QLabel

from kspos.sales.orders import OrderState
from kspos.sales.staff import Role
from tests.ui.helpers import on_next_dialog, tap


def item_named(context, name):  # type: ignore[no-untyped-def]
    return next(i for i in context.catalog.by_id.values() if i.name == name)


def test_after_z_the_next_tap_opens_the_next_day_and_sells(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    context.register.login("1111")
    owner = context.staff.first(Role.OWNER)
    today = context.sales.days.open(owner, 0).day
    context.sales.days.close(owner, 0)  # Z 마감 before a late customer
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    titles = []

    def float_dialog(dialog):  # type: ignore[no-untyped-def]
        titles.append(dialog.title.text())
        tap(dialog, "amount-ok")

    on_next_dialog(float_dialog, expect="AmountDialog")
    cookie = item_named(context, "초코칩쿠키")
    tap(cashier, "tab-2")
    tap(cashier, f"item-{cookie.id}")
    assert tomorrow in titles[0]  # the float is asked for the day that will really open
    assert context.current_day() == tomorrow
    assert len(context.register.order.lines) == 1
    result = context.register.pay_cash(tendered=2_500)
    assert result.approved and context.register.last_paid.state is OrderState.PAID
    assert context.register.last_paid.receipt_no.startswith(tomorrow.replace("-", ""))


def a_big_order(context):  # type: ignore[no-untyped-def]
    """Logged in, the day open, and 60,000원 or more of one plain item on the counter."""
    from kspos.sales.register import CONFIRM_FROM_KRW

    context.register.login("1111")
    context.sales.days.open(context.staff.first(Role.OWNER), 0)
    item = max((i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out),
               key=lambda i: i.price)
    context.register.add_item(item.id, qty=-(-CONFIRM_FROM_KRW // item.price))
    return context.register.order


def test_voiding_a_big_order_asks_first_and_going_back_keeps_it(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    order = a_big_order(context)
    cashier.refresh()
    asked = []

    def go_back(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.findChild(QLabel, "confirm-text").text())
        tap(dialog, "dialog-cancel")

    on_next_dialog(go_back, expect="ConfirmDialog")
    tap(cashier, "action-void")
    assert f"{order.total:,}원" in asked[0]
    assert context.register.order is order and not order.is_empty  # nothing voided

    on_next_dialog(lambda d: tap(d, "confirm-ok"), expect="ConfirmDialog")
    tap(cashier, "action-void")
    assert context.register.order.is_empty
    assert context.db.read("SELECT state, total FROM sale_order") == [("voided", order.total)]


def test_deleting_a_big_line_asks_first(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    order = a_big_order(context)
    cashier.refresh(select=0)
    on_next_dialog(lambda d: tap(d, "dialog-cancel"), expect="ConfirmDialog")
    tap(cashier, "line-delete")
    assert len(order.lines) == 1
    on_next_dialog(lambda d: tap(d, "confirm-ok"), expect="ConfirmDialog")
    tap(cashier, "line-delete")
    assert context.register.order.is_empty
    assert [row[0] for row in context.db.read(
        "SELECT action FROM audit_log WHERE action = 'line_delete'")] == ["line_delete"]


def two_lines(context):  # type: ignore[no-untyped-def]
    context.register.login("1111")
    context.sales.days.open(context.staff.first(Role.OWNER), 0)
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    context.register.add_item(plain[0].id)
    context.register.add_item(plain[1].id)
    return context.register.order


def closing_on_failure(handler, seen):  # type: ignore[no-untyped-def]
    """A dialog handler that closes its dialog when it fails (so exec() returns and the test
    fails instead of hanging); the failure is kept in ``seen["failure"]``."""

    def run(dialog):  # type: ignore[no-untyped-def]
        try:
            handler(dialog)
        except Exception as exc:  # noqa: BLE001 - re-raised by the test
            seen["failure"] = exc
            dialog.reject()

    return run


def type_digits(dialog, digits: str) -> None:  # type: ignore[no-untyped-def]
    for digit in digits:
        tap(dialog, f"key-{digit}")


def test_with_a_line_selected_the_order_discount_is_one_tap_away(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    order = two_lines(context)
    cashier.refresh(select=0)  # a line is selected
    seen = {}

    def whole_order_ten_percent(dialog):  # type: ignore[no-untyped-def]
        line_choice = dialog.findChild(type(cashier.buttons["discount"]),
                                       "discount-target-line")
        seen["line"], seen["checked"] = line_choice.text(), line_choice.isChecked()
        tap(dialog, "discount-target-order")
        tap(dialog, "discount-kind-1")
        type_digits(dialog, "10")
        tap(dialog, "discount-ok")

    on_next_dialog(closing_on_failure(whole_order_ten_percent, seen), expect="DiscountDialog")
    tap(cashier, "action-discount")
    assert "failure" not in seen, seen.get("failure")
    assert order.lines[0].name in seen["line"] and seen["checked"]  # the line, named
    assert order.order_discount is not None and order.order_discount.label() == "10%"
    assert all(line.discount is None for line in order.lines)


def test_a_discount_larger_than_the_line_is_refused_in_the_dialog(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    order = two_lines(context)
    cashier.refresh(select=0)
    price = order.lines[0].gross
    seen = {}

    def too_much(dialog):  # type: ignore[no-untyped-def]
        type_digits(dialog, str(price + 1_000))
        tap(dialog, "discount-ok")
        seen["error"], seen["open"] = dialog.error.text(), dialog.isVisible()
        tap(dialog, "dialog-cancel")

    on_next_dialog(closing_on_failure(too_much, seen), expect="DiscountDialog")
    tap(cashier, "action-discount")
    assert "failure" not in seen, seen.get("failure")
    assert seen["open"] and f"{price:,}원보다 큽니다" in seen["error"]
    assert order.lines[0].discount is None and order.order_discount is None
