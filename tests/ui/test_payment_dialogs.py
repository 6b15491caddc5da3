"""Card and easy-pay payments by taps: the reader, the signature pad and the VAN simulator."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from kspos.sales.orders import OrderState
from kspos.van.simulator import Fault
from tests.ui.helpers import on_next_dialog, tap


@pytest.fixture
def cashier(van_context, qtbot):  # type: ignore[no-untyped-def]
    from ui.app import MainWindow

    win = MainWindow(van_context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    van_context.register.login("1111")
    van_context.sales.days.open(van_context.register.staff, 0)
    return win.screen_widget("cashier")


def slips_printed(context, qtbot):  # type: ignore[no-untyped-def]
    """Wait for the sale's print step to finish, so that it never lands in the next test."""
    qtbot.waitUntil(lambda: context.db.read(
        "SELECT count(*) FROM print_job WHERE state = 'done'")[0][0] >= 1
        and not context.printing.pending(), timeout=8000)
    qtbot.wait(100)  # the print op's answer reaches the screen


def add(context, name, qty=1):  # type: ignore[no-untyped-def]
    item = next(i for i in context.catalog.by_id.values() if i.name == name)
    defaults = [g.choices[0].id for g in item.groups if g.required]
    return context.register.add_item(item.id, defaults, qty)


def test_card_over_fifty_thousand_with_signature(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "원두 200g", qty=4)  # 60,000원
    order = van_context.register.order

    def sign(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "card-installment-0")  # 일시불
        tap(dialog, "card-test-approve")
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
        tap(dialog, "sign-ok")  # an empty pad is refused
        assert "서명" in dialog.step.text()
        dialog.pad.resize(512, 256)
        dialog.pad.draw_stroke([(40, 200), (120, 60), (200, 190), (300, 50), (460, 180)])
        tap(dialog, "sign-ok")

    on_next_dialog(sign, expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.PAID
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.masked_pan == "411111******1111" and payment.row.approval_no
    queue = van_context.printing.queue
    qtbot.waitUntil(lambda: queue.get(1) is not None and queue.get(1).printed, timeout=10000)


def test_installments_are_chosen_before_the_card_is_read(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "원두 200g", qty=4)  # 60,000원: 할부 allowed
    order = van_context.register.order
    reader = van_context.devices.card_reader
    seen = {}

    def choose(dialog):  # type: ignore[no-untyped-def]
        seen["first"] = dialog.step.text()
        seen["reads_before"] = list(reader.reads)
        tap(dialog, "card-installment-3")
        seen["then"] = dialog.step.text()
        tap(dialog, "card-test-approve")
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
        dialog.pad.resize(512, 256)
        dialog.pad.draw_stroke([(40, 200), (120, 60), (200, 190), (300, 50)])
        tap(dialog, "sign-ok")

    on_next_dialog(choose, expect="CardDialog")
    tap(cashier, "pay-card")
    assert "할부" in seen["first"] and seen["reads_before"] == []  # nothing read before the choice
    assert "3개월" in seen["then"]
    assert order.state is OrderState.PAID
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.installment == 3
    slips_printed(van_context, qtbot)


def test_no_installment_choice_under_fifty_thousand(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "아메리카노")
    order = van_context.register.order
    seen = {}

    def look(dialog):  # type: ignore[no-untyped-def]
        seen["installment"] = dialog.findChild(QPushButton, "card-installment-3")
        seen["visible"] = seen["installment"] is not None and seen["installment"].isVisible()
        tap(dialog, "card-test-approve")

    on_next_dialog(look, expect="CardDialog")
    tap(cashier, "pay-card")
    assert not seen["visible"]
    assert order.state is OrderState.PAID
    slips_printed(van_context, qtbot)


@pytest.mark.parametrize(("button", "message"), [("card-test-7001", "한도초과"),
                                                 ("card-test-7002", "잔액부족"),
                                                 ("card-test-7003", "유효기간경과")])
def test_demo_lets_the_cashier_pick_a_decline_test_card(cashier, van_context, qtbot, button,
                                                        message) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "아메리카노")
    order = van_context.register.order
    reader = van_context.devices.card_reader

    def pick(dialog):  # type: ignore[no-untyped-def]
        assert reader.reads == []  # the simulated reader waits for the cashier's pick
        tap(dialog, button)
        qtbot.waitUntil(lambda: message in dialog.step.text(), timeout=8000)
        tap(dialog, "dialog-cancel")

    on_next_dialog(pick, expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.OPEN and van_context.sales.payments(order.id) == []


def test_declined_card_shows_the_host_message_then_other_tender(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "아메리카노")
    order = van_context.register.order
    van_context.devices.card_reader.insert_card("4000000000009995")  # 잔액부족

    def declined(dialog):  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: "잔액부족" in dialog.step.text(), timeout=8000)
        assert dialog.retry.isVisible()
        tap(dialog, "dialog-cancel")  # 다른 결제수단

    on_next_dialog(declined, expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.OPEN and van_context.sales.payments(order.id) == []


def test_easy_pay_by_scanning_the_customer_code(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "카페라떼", qty=2)
    order = van_context.register.order

    def scan(dialog):  # type: ignore[no-untyped-def]
        cashier.route_scan("8801234567893")  # a product barcode is not a payment code
        assert "결제 코드" in dialog.step.text()
        van_context.devices.scanner.queue_scan("134567890123456789")  # WeChat Pay
        qtbot.waitUntil(lambda: "위챗페이" in dialog.wallet_label.text(), timeout=5000)

    on_next_dialog(scan, expect="EasyPayDialog")
    tap(cashier, "pay-easypay")
    assert order.state is OrderState.PAID
    assert van_context.sales.payments(order.id)[0].row.wallet == "WCHT"


def test_a_product_scan_on_the_cashier_adds_the_item(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    van_context.devices.scanner.queue_scan("8801115114154")
    qtbot.waitUntil(lambda: not van_context.register.order.is_empty, timeout=5000)
    assert van_context.register.order.lines[0].name == "우유 900ml"
    assert QApplication.activeModalWidget() is None


def test_a_pending_network_cancel_shows_a_banner_and_pauses_cards(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.van.telegram import Request

    journal = van_context.van.journal
    draft = Request(klass="IC", type="0200", tid=van_context.settings.van.tid, serial="",
                    total=5_000, supply=4_545, vat=455)
    _request, entry = journal.begin(draft, journal=True, deadline_s=30)
    journal.mark_pending(entry, "no answer (test)")
    van_context.sim.sim.fault = Fault("drop")  # the host stays away: the 0440 cannot finish
    cashier.refresh()
    assert cashier.reversal_banner.isVisible()
    assert "망취소" in cashier.reversal_banner.text.text()
    add(van_context, "아메리카노")

    def paused(dialog):  # type: ignore[no-untyped-def]
        assert "망취소" in dialog.step.text()
        assert not dialog.findChild(QPushButton, "card-test-approve").isEnabled()  # no way round
        tap(dialog, "dialog-cancel")

    on_next_dialog(paused, expect="CardDialog")
    tap(cashier, "pay-card")
    assert van_context.register.order.state is OrderState.OPEN


def test_split_payment_cash_then_card(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "원두 200g")  # 15,000원
    order = van_context.register.order

    def split(dialog):  # type: ignore[no-untyped-def]
        assert dialog.remaining.text() == "15,000원"
        for key in "5000":
            tap(dialog, f"key-{key}")

        def cash(cash_dialog):  # type: ignore[no-untyped-def]
            tap(cash_dialog, "quick-10000")
            tap(cash_dialog, "cash-pay")

        on_next_dialog(cash, expect="CashDialog")
        tap(dialog, "split-cash")
        qtbot.waitUntil(lambda: dialog.remaining.text() == "10,000원", timeout=8000)
        assert dialog.rows.count() == 1 and "5,000원" in dialog.rows.item(0).text()
        on_next_dialog(lambda card: tap(card, "card-test-approve"), expect="CardDialog")
        tap(dialog, "split-card")

    on_next_dialog(split, expect="SplitDialog")
    tap(cashier, "pay-split")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    methods = [p.method.value for p in van_context.sales.payments(order.id)]
    assert methods == ["cash", "card"]
    slips_printed(van_context, qtbot)


def test_cash_over_100000_offers_a_self_issued_receipt(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "원두 200g", qty=7)  # 105,000원
    order = van_context.register.order

    def pay(dialog):  # type: ignore[no-untyped-def]
        assert dialog.receipt is not None and dialog.receipt.self_issued
        assert "자진발급" in dialog.receipt_button.text()
        tap(dialog, "quick-100000")
        tap(dialog, "quick-10000")
        tap(dialog, "cash-pay")

    on_next_dialog(pay, expect="CashDialog")
    tap(cashier, "pay-cash")
    qtbot.waitUntil(lambda: order.state is OrderState.PAID, timeout=8000)
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.cash_receipt_approval_no and payment.change == 5_000
    assert payment.row.cash_receipt_id_masked == "010***1234"
    slips_printed(van_context, qtbot)


def test_refund_of_a_card_sale_from_history_cancels_at_the_host(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(van_context, "치킨샐러드")
    order = van_context.register.order
    on_next_dialog(lambda d: tap(d, "card-test-approve"), expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.PAID
    window = cashier.window_
    tap(cashier, "action-history")
    history = window.screen_widget("history")
    assert history.order_id == order.id
    on_next_dialog(lambda d: [tap(d, f"key-{k}") for k in "0000"] and tap(d, "pin-ok"),
                   expect="PinDialog")
    tap(history, "history-refund-all")
    qtbot.waitUntil(lambda: van_context.sales.load(order.id).state is OrderState.REFUNDED,
                    timeout=8000)
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.status == "cancelled" and payment.refunded == 9_000
    # the customer's 취소 영수증 goes out on the printer after the refund
    qtbot.waitUntil(lambda: van_context.db.read(
        "SELECT count(*) FROM print_job WHERE kind = 'refund' AND state = 'done'")[0][0] == 1,
        timeout=8000)
    assert "환불 9,000원" in history.message.text()


def test_a_listed_store_cannot_turn_the_required_cash_receipt_off(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.cash import CashDialog

    dialog = CashDialog(120_000, None, receipts=True, required=True)
    qtbot.addWidget(dialog)
    assert dialog.receipt is not None and dialog.receipt.self_issued
    on_next_dialog(lambda d: tap(d, "dialog-cancel"), expect="CashReceiptDialog")
    tap(dialog, "cash-receipt")  # opens the number entry; giving up keeps 자진발급
    assert dialog.receipt is not None and dialog.receipt.self_issued
    assert "의무발행" in dialog.receipt_button.text()


def test_installments_can_be_changed_while_a_real_reader_waits(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from drivers.cardreader.serial import SerialCardReader
    from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator

    emulator = ReaderEmulator.on_pty(EmulatorOptions(card_delay_s=-1)).start()  # no card yet
    van_context.devices.card_reader = SerialCardReader(emulator.path)
    add(van_context, "원두 200g", qty=4)  # 60,000원
    order = van_context.register.order

    def change(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "card-installment-0")
        qtbot.waitUntil(lambda: emulator.received[-1:] == ["R"], timeout=5000)  # reading
        tap(dialog, "card-installment-change")  # the customer wants 6 months after all
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=5000)
        assert "C" in emulator.received  # the pending read was cancelled at the reader
        emulator.options.card_delay_s = 0.1  # now the card goes in
        tap(dialog, "card-installment-6")
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
        dialog.pad.resize(512, 256)
        dialog.pad.draw_stroke([(40, 200), (120, 60), (200, 190), (300, 50)])
        tap(dialog, "sign-ok")

    try:
        on_next_dialog(change, expect="CardDialog")
        tap(cashier, "pay-card")
    finally:
        van_context.devices.card_reader.close()
        emulator.stop()
    assert order.state is OrderState.PAID
    assert van_context.sales.payments(order.id)[0].row.installment == 6
    slips_printed(van_context, qtbot)


def test_retry_after_a_chip_failure_keeps_the_installment(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.ports import ReadResult

    add(van_context, "원두 200g", qty=4)  # 60,000원
    order = van_context.register.order
    van_context.devices.card_reader.insert_card(result=ReadResult.FALLBACK)  # chip fails

    def swipe(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "card-installment-3")
        qtbot.waitUntil(lambda: dialog.retry.isVisible(), timeout=5000)
        assert "IC" in dialog.step.text()
        tap(dialog, "card-retry")  # the customer swipes: no second 할부 choice
        assert dialog.pages.currentIndex() == 0 and "3개월" in dialog.step.text()
        tap(dialog, "card-test-approve")
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
        dialog.pad.resize(512, 256)
        dialog.pad.draw_stroke([(40, 200), (120, 60), (200, 190), (300, 50)])
        tap(dialog, "sign-ok")

    on_next_dialog(swipe, expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.PAID
    assert van_context.sales.payments(order.id)[0].row.installment == 3
    slips_printed(van_context, qtbot)


def test_a_card_sale_in_a_store_that_prints_card_slips_on_request(cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    printing = van_context.printing
    printing.store = printing.store.copy_with(print_card_receipt=False)
    add(van_context, "아메리카노")
    order = van_context.register.order
    on_next_dialog(lambda d: tap(d, "card-test-approve"), expect="CardDialog")
    tap(cashier, "pay-card")
    assert order.state is OrderState.PAID
    qtbot.waitUntil(lambda: "요청 시" in cashier.message.text(), timeout=8000)
    jobs = van_context.db.read("SELECT id, kind, state FROM print_job ORDER BY id")
    assert [(kind, state) for _, kind, state in jobs] == [("sale", "skipped"),
                                                           ("pickup", "done")]
    # no sale slip printed: only the pickup slip (the customer's 주문번호) came out
    assert van_context.devices.printer.output == van_context.printing.queue.payload(jobs[1][0])
