"""The business day, the order on the counter, voids and discounts, by taps."""

from __future__ import annotations

from datetime import date, timedelta

from kspos.orders import OrderState
from kspos.users import Role
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
