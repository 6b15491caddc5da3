"""A 복합결제 left half-way on the cashier screen: the panel says what is still due (never
결제 완료), lines cannot drop below what was paid, and 주문취소 gives the tenders back."""

from __future__ import annotations

from kspos.sales.orders import OrderState
from tests.ui.helpers import on_next_dialog, tap


def start(context, cashier):  # type: ignore[no-untyped-def]
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)
    cheap = sorted((i for i in context.catalog.by_id.values()
                    if not i.groups and not i.sold_out), key=lambda i: i.price)
    for item in cheap[:2]:
        context.register.add_item(item.id, qty=3)
    cashier.refresh()
    return context.register.order


def test_a_partial_cash_tender_shows_what_is_left_not_paid(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    order = start(context, cashier)
    part = order.total // 2

    def five_thousand(dialog):  # type: ignore[no-untyped-def]
        for digit in str(part):
            tap(dialog, f"key-{digit}")
        tap(dialog, "cash-pay")

    on_next_dialog(five_thousand, expect="CashDialog")
    cashier.take_part("cash", part)
    qtbot.waitUntil(lambda: order.paid == part, timeout=5000)
    left = order.total - part
    assert f"부분 결제 · 남은 금액 {left:,}원" in cashier.message.text()
    assert "결제 완료" not in cashier.message.text()
    status = cashier.totals.values["부분 결제"]
    assert status.isVisibleTo(cashier) and status.text() == f"부분 결제 · 남은 금액 {left:,}원"

    cashier.refresh(select=1)  # the dearer line: the rest is under what was paid
    tap(cashier, "line-delete")  # would take the total below what was paid
    assert "받았습니다" in cashier.message.text() and len(order.lines) == 2

    tap(cashier, "action-void")  # the customer walks away: the cash goes back
    qtbot.waitUntil(lambda: context.sales.load(order.id).state is OrderState.VOIDED,
                    timeout=5000)
    qtbot.waitUntil(lambda: f"{part:,}원" in cashier.message.text(), timeout=5000)
    assert "돌려주세요" in cashier.message.text()
    assert context.sales.payments(order.id)[0].refunded == part
    assert context.register.order.is_empty
    assert not cashier.totals.values["부분 결제"].isVisibleTo(cashier)
    qtbot.waitUntil(lambda: context.devices.printer.drawer_kicks == 2, timeout=5000)
