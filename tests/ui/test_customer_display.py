"""The customer display next to the cashier: a sale driven by taps while the customer's
widgets are checked at every step; the customer's 현금영수증 number reaching the VAN
telegram; the signature made on the customer's side."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QLabel

from kspos.sales.customer_view import Page
from kspos.sales.orders import OrderState
from kspos.van.telegram import decode_request
from tests.ui.helpers import on_next_dialog, tap


@dataclass
class RecordingLink:
    """Our VanLink port, recording each request frame before the real TCP link sends it."""

    inner: object
    frames: list[bytes] = field(default_factory=list)

    @property
    def spec(self) -> str:
        return self.inner.spec  # type: ignore[attr-defined, no-any-return]

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        self.frames.append(frame)
        return self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,  # type: ignore[attr-defined, no-any-return]
                                   response_timeout_s=response_timeout_s)

    def close(self) -> None:
        self.inner.close()  # type: ignore[attr-defined]


@pytest.fixture
def counter(van_context, qtbot):  # type: ignore[no-untyped-def]
    """The cashier's window and, beside it, a touch customer display."""
    from ui.app import MainWindow
    from ui.screens.customer_display import CustomerDisplayWindow

    van_context.devices.van = RecordingLink(van_context.devices.van)
    van_context.customer.touch = van_context.customer.signs = True
    win = MainWindow(van_context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    display = CustomerDisplayWindow(van_context)
    qtbot.addWidget(display)
    display.resize(1024, 768)
    display.show()
    van_context.register.login("1111")
    van_context.sales.days.open(van_context.register.staff, 0)
    return win.screen_widget("cashier"), display


def text_of(display, name: str) -> str:  # type: ignore[no-untyped-def]
    found = display.findChild(QLabel, name)
    assert found is not None, name
    return str(found.text())


def add(context, name: str, qty: int = 1) -> None:  # type: ignore[no-untyped-def]
    item = next(i for c in context.catalog.categories for i in c.items if i.name == name)
    context.register.add_item(item.id, qty=qty)


def test_a_cash_sale_as_the_customer_sees_it_with_their_own_cash_receipt_number(
        counter, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier, display = counter
    assert display.pages.currentIndex() == 0  # idle: the store's name
    assert text_of(display, "cd-idle-store") == van_context.settings.store.name

    add(van_context, "원두 200g")  # 15,000원
    qtbot.waitUntil(lambda: display.pages.currentIndex() == 1)
    assert text_of(display, "cd-total") == "15,000원"
    assert display.lines.rowCount() == 1 and display.lines.item(0, 0).text() == "원두 200g"
    order = van_context.register.order

    seen: dict[str, str] = {}

    def customer_types_the_number(dialog):  # type: ignore[no-untyped-def]
        # The keypad is on the customer's screen; the cashier sees the digits masked.
        qtbot.waitUntil(lambda: display.step.currentIndex() == 2)
        tap(display, "cd-purpose-expense")
        for digit in "01098":
            tap(display.keypad, f"key-{digit}")
        qtbot.waitUntil(lambda: dialog.shown.text().endswith("010••"))
        assert text_of(display, "cd-typed") == "01098"  # the customer sees their own digits
        for digit in "765432":
            tap(display.keypad, f"key-{digit}")
        qtbot.waitUntil(lambda: dialog.shown.text().endswith("010****5432"))
        seen["cashier"] = dialog.shown.text()
        tap(display, "cd-receipt-ok")

    def cash(dialog):  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: display.step.currentIndex() == 1)
        assert text_of(display, "cd-amount") == "15,000원"
        assert "09876" not in text_of(display, "cd-prompt")
        tap(dialog, "quick-10000")
        tap(dialog, "quick-10000")
        qtbot.waitUntil(lambda: text_of(display, "cd-change") == "5,000원")
        assert display.findChild(QLabel, "cd-change").isVisible()
        tap(dialog, "cash-pay")

    on_next_dialog(customer_types_the_number, expect="CashReceiptDialog")
    on_next_dialog(cash, expect="CashDialog")
    tap(cashier, "pay-cash_receipt")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    assert "98765" not in seen["cashier"]  # the cashier never saw the digits

    qtbot.waitUntil(lambda: display.pages.currentIndex() == 2)  # 결제가 완료되었습니다
    assert text_of(display, "cd-done-change") == "거스름돈 5,000원"
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.cash_receipt_id_masked == "010****5432"
    requests = [decode_request(f) for f in van_context.devices.van.frames]
    [cash_receipt] = [r for r in requests if r.klass == "HK"]
    assert cash_receipt.track2 == "01098765432" and cash_receipt.total == 15_000

    display.done_timer.timeout.emit()  # the done page's time is up
    qtbot.waitUntil(lambda: display.pages.currentIndex() == 0)


def test_the_cashier_can_take_over_the_number_from_the_customer(
        counter, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier, display = counter
    add(van_context, "원두 200g")
    order = van_context.register.order

    def cashier_types(dialog):  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: display.step.currentIndex() == 2)
        tap(display.keypad, "key-7")  # the customer starts, then gives up
        for digit in "01055556666":
            tap(dialog.keypad, f"key-{digit}")
        qtbot.waitUntil(lambda: display.step.currentIndex() != 2)
        tap(dialog, "receipt-ok")

    def cash(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "quick-0")
        tap(dialog, "cash-pay")

    on_next_dialog(cashier_types, expect="CashReceiptDialog")
    on_next_dialog(cash, expect="CashDialog")
    tap(cashier, "pay-cash_receipt")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.cash_receipt_id_masked == "010****6666"


def test_the_customer_signs_a_card_sale_over_fifty_thousand_on_their_display(
        counter, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier, display = counter
    add(van_context, "원두 200g", qty=4)  # 60,000원
    order = van_context.register.order

    def card(dialog):  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: display.step.currentIndex() == 1)
        assert text_of(display, "cd-amount") == "60,000원"
        assert "카드를 넣어" in text_of(display, "cd-prompt")
        tap(dialog, "card-installment-0")
        tap(dialog, "card-test-approve")
        qtbot.waitUntil(lambda: display.pages.currentIndex() == 3, timeout=8000)
        assert text_of(display, "cd-sign-amount").endswith("60,000원")
        tap(display, "cd-sign-ok")  # nothing drawn yet: refused on the customer's side
        qtbot.waitUntil(lambda: text_of(display, "cd-sign-problem") != "")
        display.pad.draw_stroke([(40, 40), (200, 120), (400, 60)])
        tap(display, "cd-sign-ok")

    on_next_dialog(card, expect="CardDialog")
    tap(cashier, "pay-card")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    requests = [decode_request(f) for f in van_context.devices.van.frames]
    [approval] = [r for r in requests if r.klass != "HK"]
    assert approval.signature is not None and any(approval.signature)
    qtbot.waitUntil(lambda: van_context.customer.view.page is Page.DONE)


def test_a_receipt_not_printed_is_shown_to_the_customer_as_a_qr(
        counter, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.config import Settings, StoreSettings

    old = van_context.settings  # a paperless store: [store] receipt = "none"
    van_context.settings = Settings(store=StoreSettings(receipt="none", pickup_slip=False),
                                    van=old.van,
                                    devices=old.devices, ui=old.ui, demo=True,
                                    data_dir=old.data_dir)
    cashier, display = counter
    add(van_context, "원두 200g")
    order = van_context.register.order
    on_next_dialog(lambda card: tap(card, "card-test-approve"), expect="CardDialog")
    tap(cashier, "pay-card")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    qtbot.waitUntil(lambda: display.qr is not None and display.qr_box.isVisible(), timeout=8000)
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.approval_no in display.qr.text()
    assert van_context.devices.printer.sent == []  # nothing went to paper
    assert display.done_timer.remainingTime() > 30_000  # time to take the photo


def test_the_lines_follow_every_edit_when_only_changed_rows_are_rewritten(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.customer_view import CustomerFeed
    from kspos.sales.orders import Order, OrderLine
    from ui.screens.customer_display import CustomerDisplay

    feed = CustomerFeed()
    display = CustomerDisplay(feed, "카페 예시")
    qtbot.addWidget(display)
    lines = [OrderLine(None, "아메리카노", 4_500), OrderLine(None, "라떼", 5_000),
             OrderLine(None, "쿠키", 2_500)]
    feed.show_order(Order(lines=list(lines)))
    lines[1] = OrderLine(None, "라떼", 5_000, qty=3)
    del lines[0]
    feed.show_order(Order(lines=list(lines)))
    qtbot.waitUntil(lambda: display.lines.rowCount() == 2)
    rows = [[display.lines.item(r, c).text() for c in range(3)] for r in range(2)]
    assert rows == [["라떼", "3", "15,000원"], ["쿠키", "1", "2,500원"]]
    assert text_of(display, "cd-total") == "17,500원"
    feed.show_order(Order())
    qtbot.waitUntil(lambda: display.pages.currentIndex() == 0)


@pytest.mark.parametrize(("spec", "opens"), [("screen:1", True), ("screen:2", False)])
def test_the_display_opens_on_its_screen_or_says_the_screen_is_missing(
        data_dir, qapp, qtbot, spec, opens) -> None:  # type: ignore[no-untyped-def]
    from drivers.sim.printer import SimPrinter
    from kspos.config import Settings, UiSettings, demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices
    from kspos.store import Database
    from ui.app import MainWindow

    demo = demo_settings(data_dir)
    settings = Settings(ui=UiSettings(customer_display=spec, customer_touch=True),
                        demo=True, data_dir=demo.data_dir)
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    context = AppContext.create(settings, db, Devices(printer=printer, drawer=printer))
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        window.open_customer_windows()  # this machine has one (offscreen) screen
        assert len(window.customer_windows) == (1 if opens else 0)
        if opens:
            assert window.customer_windows[0].isFullScreen()
            assert context.customer.touch
        else:  # said on the cashier's device banner, not put over the cashier's screen
            assert "screen:2" in context.devices.problems["customer_display"]
        window.close()
    finally:
        context.close()


def test_a_paid_order_gets_its_number_and_the_call_list_moves_it_to_ready(
        data_dir, qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The customer display with the pickup board as its right half: the number shows on
    결제 완료 and under 준비 중; one tap in the cashier's 호출 list moves it to 완료."""
    from drivers.sim.pager import SimPager
    from drivers.sim.printer import SimPrinter
    from kspos.config import Settings, UiSettings, demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices
    from kspos.store import Database
    from ui.app import MainWindow

    demo = demo_settings(data_dir)
    settings = Settings(ui=UiSettings(customer_display="screen:1", order_board="customer"),
                        demo=True, data_dir=demo.data_dir)
    printer, pager = SimPrinter(), SimPager()
    context = AppContext.create(settings, Database(settings.db_path).open(),
                                Devices(printer=printer, drawer=printer, pager=pager))
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        window.open_customer_windows()
        [display] = window.customer_windows
        assert display.board is not None
        cashier = window.screen_widget("cashier")
        context.register.login("1111")
        context.sales.days.open(context.register.staff, 0)
        add(context, "원두 200g")
        order = context.register.order
        on_next_dialog(lambda d: (tap(d, "quick-0"), tap(d, "cash-pay")), expect="CashDialog")
        tap(cashier, "pay-cash")
        qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
        qtbot.waitUntil(lambda: display.pages.currentIndex() == 2)
        number = int(text_of(display, "cd-order-no"))
        assert f"주문번호 {number}" in cashier.message.text()
        display.board.refresh()
        assert number in display.board.view.preparing_numbers()

        def call(dialog):  # type: ignore[no-untyped-def]
            tap(dialog, f"pickup-tile-{number}")
            qtbot.waitUntil(lambda: pager.calls == [number], timeout=8000)
            qtbot.waitUntil(lambda: number in display.board.view.ready_numbers())
            dialog.reject()

        on_next_dialog(call, expect="CallListDialog")
        tap(cashier, "action-calls")
        assert number not in display.board.view.preparing_numbers()
        window.close()
    finally:
        context.close()


def test_a_live_language_switch_rewrites_the_customer_display(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.customer_view import CustomerFeed
    from ui.i18n import has_hangul, install_language
    from ui.screens.customer_display import CustomerDisplay

    feed = CustomerFeed(touch=True)
    display = CustomerDisplay(feed, "Cafe")
    qtbot.addWidget(display)
    feed.ask_tender("card", 4_500)
    feed.ask_cash_receipt(lambda r: None)
    try:
        install_language(qapp, "en")
        qtbot.waitUntil(lambda: text_of(display, "cd-welcome") == "Welcome")
        shown = [w.text() for w in display.findChildren(QLabel) if w.text()]
        shown += [display.lines.horizontalHeaderItem(c).text() for c in range(3)]
        assert not [s for s in shown if has_hangul(s)], shown
    finally:
        install_language(qapp, "ko")
    qtbot.waitUntil(lambda: text_of(display, "cd-welcome") == "어서 오세요")
