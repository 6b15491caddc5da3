"""What the cashier and the owner are told, and where their fingers land: success in the
success colour, the card's approval number, 면세 in the totals, 거래내역's 현금영수증 and order
discount, a 0원 서비스 refund refused before the PIN, keypads that take a USB numpad, touch
targets of 48 px, dialogs whose keypad does not move under an error, the training mode that
does not push the screen down, and exports into a folder the owner picks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kspos.sales.orders import Discount
from kspos.sales.payments import Method, TenderRequest
from tests.ui.helpers import on_next_dialog, open_as_owner, tap
from ui.theme import TOKENS


@pytest.fixture(autouse=True)
def _stop_timers(window):  # type: ignore[no-untyped-def]
    yield
    for timer in window.findChildren(QTimer):
        timer.stop()


def _item(context, name):  # type: ignore[no-untyped-def]
    return next(i for i in context.catalog.by_id.values() if i.name == name)


def _colour(widget: QLabel) -> str:
    return widget.palette().color(widget.foregroundRole()).name().upper()


def _ready(context) -> None:  # type: ignore[no-untyped-def]
    """김민지 logged in, the day open."""
    register = context.register
    register.login("1111")
    if context.current_day() is None:
        context.sales.days.open(register.staff, 100_000)


@pytest.fixture
def van_cashier(van_context, qtbot):  # type: ignore[no-untyped-def]
    """The cashier screen on the VAN simulator, 김민지 logged in, the day open."""
    from ui.app import MainWindow

    win = MainWindow(van_context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    _ready(van_context)
    yield win.screen_widget("cashier")
    for timer in win.findChildren(QTimer):
        timer.stop()


def test_payment_complete_is_said_in_the_success_colour(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    cashier = window.show_screen("cashier")
    context.register.add_item(_item(context, "초코칩쿠키").id)
    on_next_dialog(lambda d: (tap(d, "quick-10000"), tap(d, "cash-pay")), expect="CashDialog")
    tap(cashier, "pay-cash")
    qtbot.waitUntil(lambda: "결제 완료" in cashier.message.text(), timeout=5000)
    assert _colour(cashier.message) == TOKENS.success.upper()
    cashier.say("주문이 비어 있습니다 (the order is empty)")
    assert _colour(cashier.message) == TOKENS.danger.upper()  # trouble stays red


def test_a_card_sale_shows_its_approval_number(van_cashier, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    van_context.register.add_item(_item(van_context, "초코칩쿠키").id)
    order = van_context.register.order
    # demo mode: the cashier picks the approving test card
    on_next_dialog(lambda d: tap(d, "card-test-approve"), expect="CardDialog")
    tap(van_cashier, "pay-card")
    [payment] = van_context.sales.payments(order.id)
    assert payment.row.approval_no
    assert f"승인번호 {payment.row.approval_no}" in QLabel.text(van_cashier.message)


def test_the_totals_show_the_tax_free_part(window, context) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    cashier = window.show_screen("cashier")
    context.register.add_item(_item(context, "우유 900ml").id)
    context.register.add_item(_item(context, "초코칩쿠키").id)
    cashier.refresh()
    values = cashier.totals.values
    assert values["면세"].isVisibleTo(cashier) and values["면세"].text() == "3,200"
    shown = sum(int(values[k].text().replace(",", "")) for k in ("공급가", "부가세", "면세"))
    assert shown == context.register.order.total


def test_history_shows_the_cash_receipt_and_the_order_discount(van_cashier, van_context,
                                                              qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.payments import CashReceiptRequest

    register = van_context.register
    register.add_item(_item(van_context, "초코칩쿠키").id)
    register.add_item(_item(van_context, "초코칩쿠키").id)
    register.discount_order(Discount("amount", 500))
    receipt = CashReceiptRequest("01012345678", "deduction")
    result = register.pay(TenderRequest(Method.CASH, register.order.total, "",
                                        tendered=10_000, cash_receipt=receipt))
    assert result.cash_receipt_approval_no
    history = van_cashier.window_.show_screen("history")
    text = history.tenders.text()
    assert "현금영수증 소득공제" in text and result.cash_receipt_approval_no in text
    assert "주문 할인 -500원" in text


def test_refunding_a_complimentary_line_is_refused_before_the_pin(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    register = context.register
    register.add_item(_item(context, "우유 900ml").id)
    register.add_item(_item(context, "초코칩쿠키").id)
    register.toggle_complimentary(1)
    register.pay(TenderRequest(Method.CASH, register.order.total, "", tendered=10_000))
    # the cashier is logged in (a logged-out counter shows no 거래내역): a refund asks the
    # owner's PIN
    history = window.show_screen("history")
    box = dict(history.qty_boxes)[1]  # the 0원 서비스 cookie
    box.setValue(1)
    asked = []
    on_next_dialog(lambda d: (asked.append(d), d.reject()))
    tap(history, "history-refund-lines")
    qtbot.wait(100)
    assert asked == []
    assert "환불할 금액이 없습니다" in QLabel.text(history.message)


def test_a_usb_numpad_types_into_the_keypad_and_enter_confirms(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.misc import PinDialog

    dialog = PinDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus = dialog.focusWidget()
    target = focus if focus is not None else dialog  # where the keyboard's keys land
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_9, Qt.Key.Key_Backspace, Qt.Key.Key_3,
                Qt.Key.Key_4):
        qtbot.keyClick(target, key)
    assert dialog.pin == "1234"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(target, Qt.Key.Key_Return)


def test_an_error_line_does_not_move_the_keypad(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.misc import PinDialog

    dialog = PinDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    key = dialog.findChild(QPushButton, "key-5")
    before = key.mapTo(dialog, QPoint(0, 0))
    dialog.show_error("PIN이 맞지 않습니다 (wrong PIN)")
    qtbot.wait(20)
    assert key.mapTo(dialog, QPoint(0, 0)) == before


def test_the_keypad_word_key_is_never_cut(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.split import SplitDialog

    _ready(context)
    context.register.add_item(_item(context, "초코칩쿠키").id)
    dialog = SplitDialog(context, lambda *_a: None, window)
    qtbot.addWidget(dialog)
    dialog.resize(820, 620)
    dialog.show()
    qtbot.waitExposed(dialog)
    clear = dialog.keypad.findChild(QPushButton, "key-clear")
    needed = clear.fontMetrics().horizontalAdvance(clear.text()) + 24
    assert clear.width() >= needed
    pad = dialog.keypad
    for key in pad.findChildren(QPushButton):  # and no row is cut off below
        assert key.mapTo(pad, key.rect().bottomLeft()).y() < pad.height(), key.text()


def test_training_mode_does_not_push_the_screen_down(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    cashier = window.show_screen("cashier")
    def tops() -> list[int]:
        return [w.mapTo(cashier, QPoint(0, 0)).y() for w in (cashier.menu, cashier.table,
                                                               cashier.buttons["pay-cash"])]

    before = tops()
    cashier._set_training(True)
    qtbot.wait(20)
    assert tops() == before  # nothing moved under the cashier's finger
    chip = cashier.findChild(QLabel, "training-chip")
    assert chip is not None and chip.isVisible() and "연습 모드" in chip.text()
    cashier._set_training(False)


def test_held_orders_rows_are_touch_sized(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.misc import HeldDialog

    _ready(context)
    for name in ("우유 900ml", "초코칩쿠키"):
        context.register.add_item(_item(context, name).id)
        context.register.hold()
    dialog = HeldDialog(context.sales.held(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    rows = [dialog.list.visualItemRect(dialog.list.item(n)) for n in range(dialog.list.count())]
    assert len(rows) == 2 and all(r.height() >= TOKENS.target for r in rows)


def test_the_more_menu_items_are_touch_sized(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    cashier = window.show_screen("cashier")
    heights = []

    def measure() -> None:
        menu = next(w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMenu) and w.isVisible())
        heights.extend(menu.actionGeometry(a).height() for a in menu.actions()
                       if not a.isSeparator())
        menu.close()

    QTimer.singleShot(200, measure)
    cashier._more_menu()
    assert heights and min(heights) >= TOKENS.target


def test_calendar_days_are_touch_sized(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtWidgets import QTableView

    from ui.screens.sales import RangeDialog

    dialog = RangeDialog(window, date.today(), date.today())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.calendars[0].findChild(QTableView)
    assert view.rowHeight(1) >= TOKENS.target and view.columnWidth(1) >= TOKENS.target
    assert dialog.height() <= 768


def test_x_report_from_closing_says_it_printed(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    screen = open_as_owner(window, context, "closing")
    qtbot.waitUntil(lambda: screen.expected is not None, timeout=10_000)
    tap(screen, "closing-x")
    qtbot.waitUntil(lambda: "X 리포트" in screen.message.text(), timeout=10_000)


def test_exports_go_to_the_folder_the_owner_picked(window, context, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.demo_data import generate

    generate(context.db, 2, 5, seed=4)
    screen = open_as_owner(window, context, "sales")
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=10_000)
    folder = tmp_path / "usb"
    folder.mkdir()
    screen.pick_folder = lambda start: str(folder)  # the folder dialog, answered
    tap(screen, "export-folder")
    tap(screen, "export-csv")
    qtbot.waitUntil(lambda: any(folder.glob("*.csv")), timeout=10_000)
    screen.pick_folder = lambda start: pytest.fail("asked again")  # remembered
    tap(screen, "export-csv")
    qtbot.waitUntil(lambda: "저장했습니다" in screen.message.text(), timeout=10_000)
    assert str(folder) in screen.message.text()


def test_a_usb_numpad_counts_cash_on_the_closing_screen(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _ready(context)
    screen = open_as_owner(window, context, "closing")
    qtbot.waitUntil(lambda: screen.expected is not None, timeout=10_000)
    tap(screen, "count-10000")
    focus = window.focusWidget()
    target = focus if focus is not None else screen.keypad
    for key in (Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(target, key)
    assert screen.counts[10_000] == 12
    assert QLabel.text(screen.findChild(QLabel, "pieces-10000")) == "12"
