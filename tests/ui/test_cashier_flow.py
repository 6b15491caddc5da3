"""A cashier's whole sale by taps: login, items with options, discount, cash with change,
and an owner's refund from history."""

from __future__ import annotations

from kspos.sales.orders import OrderState
from tests.ui.helpers import enter_pin, on_next_dialog, tap


def item_named(context, name):  # type: ignore[no-untyped-def]
    return next(i for i in context.catalog.by_id.values() if i.name == name)


def test_full_sale_by_taps_then_refund(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    americano = item_named(context, "아메리카노")
    size_l = next(c for g in americano.groups for c in g.choices if c.name == "L")
    shot = next(c for g in americano.groups for c in g.choices if c.name == "샷 추가")

    # First tap: PIN pad, then the day opens with a float, then the options sheet.
    on_next_dialog(enter_pin("1111"), expect="PinDialog")
    on_next_dialog(lambda d: tap(d, "amount-ok"), expect="AmountDialog")

    def pick_options(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, f"choice-{size_l.id}")
        tap(dialog, f"choice-{shot.id}")
        tap(dialog, "opt-plus")
        tap(dialog, "dialog-ok")

    on_next_dialog(pick_options, expect="OptionsDialog")
    tap(cashier, f"item-{americano.id}")
    order = context.register.order
    assert context.register.staff.name == "김민지"
    assert len(order.lines) == 1 and order.lines[0].qty == 2
    assert order.lines[0].unit_price == 4_500 + 500 + 500

    cookie = item_named(context, "초코칩쿠키")
    tap(cashier, "tab-2")
    tap(cashier, f"item-{cookie.id}")
    assert order.total == 2 * 5_500 + 2_500
    assert cashier.findChild(type(cashier.totals.values["합계"]), "order-total").text() == "13,500원"

    # 10% off the whole order (no line selected).
    cashier.table.clearSelection()

    def ten_percent(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "discount-kind-1")
        tap(dialog, "key-1")
        tap(dialog, "key-0")
        tap(dialog, "discount-ok")

    on_next_dialog(ten_percent, expect="DiscountDialog")
    tap(cashier, "action-discount")
    assert order.total == 12_150

    # Cash: the customer hands over 20,000; change 7,850.
    def pay(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "quick-10000")
        tap(dialog, "quick-10000")
        assert dialog.change_label.text() == "7,850원"
        tap(dialog, "cash-pay")

    on_next_dialog(pay, expect="CashDialog")
    tap(cashier, "pay-cash")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=5000)
    qtbot.waitUntil(lambda: "7,850" in cashier.message.text(), timeout=5000)
    assert context.register.order is not order and context.register.order.is_empty
    qtbot.waitUntil(lambda: context.devices.printer.drawer_kicks == 1, timeout=5000)
    # The slip was queued and printed on the (simulated) printer.
    queue = context.printing.queue
    qtbot.waitUntil(lambda: queue.get(1) is not None and queue.get(1).printed, timeout=10000)
    assert queue.get(1).ref == order.receipt_no and queue.pending() == []

    # An owner refunds the cookie from history; a cash refund opens the drawer.
    tap(cashier, "action-history")
    history = window.screen_widget("history")
    assert window.stack.currentWidget() is history
    assert history.order_id == order.id
    tap(history, "refund-qty-1-plus")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(history, "history-refund-lines")
    qtbot.waitUntil(lambda: "환불" in history.message.text(), timeout=5000)
    payments = context.sales.payments(order.id)
    assert payments[0].refunded == 2_250  # 2,500 less its 10% share
    assert context.sales.load(order.id).state is OrderState.PARTLY_REFUNDED
    qtbot.waitUntil(lambda: context.devices.printer.drawer_kicks == 2, timeout=5000)


def test_bad_input_shows_a_message_and_changes_nothing(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)
    cashier.scanned("9999999999999")
    assert "바코드" in cashier.message.text()
    assert context.register.order.is_empty
    milk = item_named(context, "우유 900ml")
    cashier.scanned(milk.barcode)
    assert context.register.order.lines[0].name == "우유 900ml"
    context.register.set_qty(0, 5)
    cashier.guarded(context.register.set_qty, 0, 100_000)
    assert "수량" in cashier.message.text()
    assert context.register.order.lines[0].qty == 5
    sold_out = item_named(context, "아인슈페너")
    cashier.guarded(context.register.add_item, sold_out.id)
    assert "품절" in cashier.message.text()
    assert len(context.register.order.lines) == 1


def test_language_switches_at_runtime(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.i18n import install_language

    cashier = window.screen_widget("cashier")
    assert cashier.buttons["pay-cash"].text() == "현금"
    install_language(QApplication.instance(), "en")
    qtbot.waitUntil(lambda: cashier.buttons["pay-cash"].text() == "Cash", timeout=2000)
    install_language(QApplication.instance(), "ko")
    qtbot.waitUntil(lambda: cashier.buttons["pay-cash"].text() == "현금", timeout=2000)


def test_printer_trouble_shows_a_banner_and_the_slip_waits(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)
    printer = context.devices.printer
    printer.paper_out = True
    item = item_named(context, "마카롱")
    context.register.add_item(item.id)
    result = context.register.pay_cash(tendered=2_800)
    cashier._paid(result)
    # the sale slip and the pickup slip (주문번호) both wait
    qtbot.waitUntil(lambda: len(context.printing.pending()) == 2, timeout=5000)
    cashier.poll_devices()
    qtbot.waitUntil(lambda: cashier.printer_banner.isVisible(), timeout=5000)
    assert "용지 없음" in cashier.printer_banner.text.text()
    assert "인쇄 대기 2건" in cashier.printer_banner.text.text()
    printer.paper_out = False
    cashier.printer_banner.action.click()  # 다시 시도
    qtbot.waitUntil(lambda: context.printing.pending() == [], timeout=5000)
    cashier.poll_devices()
    qtbot.waitUntil(lambda: not cashier.printer_banner.isVisible(), timeout=5000)


def test_options_sheets_do_not_pile_up_under_the_cashier_screen(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.dialogs.options import OptionsDialog

    cashier = window.screen_widget("cashier")
    americano = item_named(context, "아메리카노")
    on_next_dialog(enter_pin("1111"), expect="PinDialog")
    on_next_dialog(lambda d: tap(d, "amount-ok"), expect="AmountDialog")
    for _ in range(5):  # five drinks tapped and taken back, as at a rush
        on_next_dialog(lambda d: tap(d, "dialog-cancel"), expect="OptionsDialog")
        tap(cashier, f"item-{americano.id}")
    on_next_dialog(lambda d: tap(d, "dialog-ok"), expect="OptionsDialog")
    tap(cashier, f"item-{americano.id}")
    assert len(context.register.order.lines) == 1
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: not cashier.findChildren(OptionsDialog), timeout=5_000)
