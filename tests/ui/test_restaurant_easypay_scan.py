"""The customer's easy-pay code scanned at a table: the scanner's scan reaches the 간편결제
dialog opened over a table's check (whole or one split part), as it does at the counter."""

from __future__ import annotations

from typing import Any

import pytest

from kspos.sales.floor import demo_floor
from kspos.sales.payments import Method
from tests.ui.helpers import on_next_dialog, tap

KAKAO = "281006123456789012"


@pytest.fixture
def table(van_context, qtbot):  # type: ignore[no-untyped-def]
    """A main window on the floor with one table's check sent to the kitchen."""
    from ui.app import MainWindow

    context = van_context
    service = context.checks
    service.seed_floor(demo_floor())
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    context.register.login("1111")
    staff = context.register.staff
    context.sales.days.open(staff, 0)
    tile = service.floor().tiles[0]
    check = service.open_check(tile.place.id, staff, 2)
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    check.order.add(context.register.line_for(item, [], 4))
    check = service.send_round(check, staff)
    screen = window.screen_widget("check")
    assert screen.open_table(tile.place.id)
    window.show_screen("check")
    return window, screen, check


def scan_into(context: Any, qtbot: Any, code: str) -> Any:
    """The dialog step: the scanner reads ``code``; the wallet is detected and the tender goes."""
    def step(dialog: Any) -> None:
        context.devices.scanner.queue_scan("8801234567893")  # a product: not a payment code
        qtbot.waitUntil(lambda: "결제 코드" in dialog.step.text(), timeout=5000)
        context.devices.scanner.queue_scan(code)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=8000)
    return step


def test_the_whole_check_by_a_scanned_kakao_pay_code(table, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, screen, check = table
    on_next_dialog(lambda choice: tap(choice, "tender-easypay"), expect="TenderChoiceDialog")
    on_next_dialog(scan_into(van_context, qtbot, KAKAO), expect="EasyPayDialog")
    screen.pay_all()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screen_widget("tables"),
                    timeout=8000)
    [tender] = van_context.sales.payments(check.order.id)
    assert (tender.method, tender.amount, tender.row.wallet) == (
        Method.EASYPAY, check.order.total, "KAKA")
    assert van_context.register.order.is_empty  # the product scan never reached the counter


def test_one_split_part_by_a_scanned_code_the_other_by_cash(table, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, screen, check = table

    def scan_then_cash(dialog):  # type: ignore[no-untyped-def]
        on_next_dialog(lambda choice: tap(choice, "tender-easypay"), expect="TenderChoiceDialog")
        on_next_dialog(scan_into(van_context, qtbot, KAKAO), expect="EasyPayDialog")
        tap(dialog, "part-pay-0")
        qtbot.waitUntil(lambda: dialog.findChild(type(dialog.title), "part-paid-0") is not None,
                        timeout=8000)
        on_next_dialog(lambda choice: tap(choice, "tender-cash"), expect="TenderChoiceDialog")
        on_next_dialog(lambda cash: (tap(cash, "quick-0"), tap(cash, "cash-pay")),
                       expect="CashDialog")
        tap(dialog, "part-pay-1")

    on_next_dialog(scan_then_cash, expect="SplitBillDialog")
    screen.do_split()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screen_widget("tables"),
                    timeout=8000)
    tenders = van_context.sales.payments(check.order.id)
    first = check.order.total - check.order.total // 2
    assert sorted((p.method, p.amount) for p in tenders) == sorted(
        [(Method.EASYPAY, first), (Method.CASH, check.order.total // 2)])
    easy = next(p for p in tenders if p.method is Method.EASYPAY)
    assert easy.row.wallet == "KAKA" and easy.row.approval_no
