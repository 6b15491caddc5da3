"""A split part paid by card through the VAN simulator on loopback (its own approval), the
other part by cash: the check closes, each tender holds its own part."""

from __future__ import annotations

import pytest

from kspos.sales.floor import demo_floor
from kspos.sales.payments import Method
from tests.ui.helpers import on_next_dialog, tap

pytest.importorskip("kspos.sales.checks")  # the core helper's check service (r18-core)


def test_one_part_by_card_the_other_by_cash(van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.checks import CheckService
    from ui.app import MainWindow

    context = van_context
    if getattr(context, "checks", None) is None:  # until kspos/context.py composes it
        context.checks = CheckService(context.db, context.sales)
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

    def card_then_cash(dialog):  # type: ignore[no-untyped-def]
        on_next_dialog(lambda choice: tap(choice, "tender-card"), expect="TenderChoiceDialog")
        on_next_dialog(lambda card: tap(card, "card-test-approve"), expect="CardDialog")
        tap(dialog, "part-pay-0")
        qtbot.waitUntil(lambda: dialog.findChild(type(dialog.title), "part-paid-0") is not None,
                        timeout=8000)
        on_next_dialog(lambda choice: tap(choice, "tender-cash"), expect="TenderChoiceDialog")
        on_next_dialog(lambda cash: (tap(cash, "quick-0"), tap(cash, "cash-pay")),
                       expect="CashDialog")
        tap(dialog, "part-pay-1")

    views: list = []  # what the customer display is told, step by step
    context.customer.subscribe(views.append)
    on_next_dialog(card_then_cash, expect="SplitBillDialog")
    screen.do_split()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screen_widget("tables"),
                    timeout=8000)
    tenders = context.sales.payments(check.order.id)
    assert sorted((p.method, p.amount) for p in tenders) == sorted(
        [(Method.CARD, check.order.total - check.order.total // 2),
         (Method.CASH, check.order.total // 2)])
    card = next(p for p in tenders if p.method is Method.CARD)
    assert card.row.approval_no  # its own VAN approval
    assert service.floor().tile(tile.place.id).order_id is None
    # The customer saw each part's amount with its number, then 결제 완료.
    asked = [(v.part, v.amount, v.prompt) for v in views if v.page.value == "pay" and v.part]
    first, second = check.order.total - check.order.total // 2, check.order.total // 2
    assert ((1, 2), first, "card") in asked and ((2, 2), second, "cash") in asked
    assert views[-1].page.value == "done"
