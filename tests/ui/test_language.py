"""Language as the cashier meets it: a live switch to English reaches every screen, messages
show one language, the calendar speaks the screen's language, and the choice survives a
restart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListWidget,
    QTableWidget,
    QWidget,
)

from kspos.config.writer import remembered_language
from kspos.devices.traffic import MONITOR
from kspos.sales.demo_data import generate
from ui.i18n import has_hangul, install_language, localize
from ui.screens.samples import demo_sample_order

SCREENS = ("cashier", "history", "sales", "closing", "menu", "device-test")


@pytest.fixture(autouse=True)
def _korean_again(window):  # type: ignore[no-untyped-def]
    """Each test leaves the app in Korean with no timers running into the next test."""
    yield
    for timer in window.findChildren(QTimer):
        timer.stop()
    app = QApplication.instance()
    assert app is not None
    install_language(app, "ko")
    app.processEvents()  # LanguageChange is posted: delivered while the store is still open


def _switch(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """메뉴 ▾ → English/한국어 on the cashier screen; Qt posts the LanguageChange."""
    window.show_screen("cashier")._toggle_language()
    qtbot.wait(20)


def _data_words(context) -> set[str]:  # type: ignore[no-untyped-def]
    """Korean that is the store's data, not the program's words: names of staff, the store,
    menu items, categories and options (the menu editor edits them in Korean)."""
    words = {m.name for m in context.staff.all()}
    words |= {context.settings.store.name, context.settings.store.owner,
              context.settings.store.address}
    catalog = context.catalog
    for category in catalog.categories:
        words.add(category.name)
    for item in catalog.by_id.values():
        words.add(item.name)
        for group in item.groups:
            words.add(group.name)
            words.update(choice.name for choice in group.choices)
    return {w for w in words if w}


def _visible_texts(root: QWidget) -> list[str]:
    """Every text the cashier can read on ``root``: labels, buttons, table cells and headers,
    list rows (what is painted: a MessageLabel's localized text)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel):
            texts.append(QLabel.text(widget))
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                texts.append(header.text() if header else "")
                for row in range(widget.rowCount()):
                    cell = widget.item(row, column)
                    texts.append(cell.text() if cell else "")
        elif isinstance(widget, QListWidget):
            texts.extend(widget.item(n).text() for n in range(widget.count()))
    return texts


def _hangul_left(texts: list[str], data: set[str]) -> list[str]:
    found = []
    for text in texts:
        rest = text
        for word in sorted(data, key=len, reverse=True):
            rest = rest.replace(word, "")
        if has_hangul(rest):
            found.append(text)
    return found


def test_live_switch_to_english_leaves_no_hangul_on_any_screen(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    generate(context.db, 2, 6, seed=3)
    demo_sample_order(context)
    context.register.pay_cash(50_000)
    MONITOR.clear()  # what earlier tests' readers said (Korean reader text) is not this store's
    MONITOR.record("card_reader", "in", b"\x02OK\x03")  # a row in 장치 점검's traffic monitor
    from kspos.sales.staff import Role

    # the owner at the counter: 판매집계 and 마감 show their figures (the core checks the role)
    context.register.staff = context.staff.first(Role.OWNER)
    for name in SCREENS:  # every screen built in Korean first, as in a store's morning
        window.show_screen(name)
    qtbot.waitUntil(lambda: bool(window.screens["device-test"].traffic.rows), timeout=5000)
    _switch(window, qtbot)  # 메뉴 ▾ → English
    data = _data_words(context)
    for name in SCREENS:
        screen = window.show_screen(name)
        if name == "sales":
            screen.set_range(date.today() - timedelta(days=2), date.today(), "custom")
            qtbot.waitUntil(lambda s=screen: s.summary is not None
                            and s.summary.date_to == date.today(), timeout=10_000)
        if name == "closing":
            qtbot.waitUntil(lambda s=screen: s.expected is not None, timeout=10_000)
        qtbot.wait(50)
        assert _hangul_left(_visible_texts(screen), data) == [], name


def test_the_language_choice_is_remembered_for_the_next_start(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert remembered_language(context.settings) is None
    _switch(window, qtbot)
    assert remembered_language(context.settings) == "en"
    _switch(window, qtbot)
    assert remembered_language(context.settings) == "ko"


def test_core_messages_show_only_the_current_language(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.show_screen("cashier")
    cashier.say("주문이 비어 있습니다 (the order is empty)")
    assert QLabel.text(cashier.message) == "주문이 비어 있습니다"
    _switch(window, qtbot)
    assert QLabel.text(cashier.message) == "The order is empty"  # and again after the switch
    assert localize("Printer: 용지 없음 (paper out) · 환불 4,500원", "en") \
        == "Printer: Paper out · 환불 4,500원"
    assert localize("아메리카노 4,500원", "en") == "아메리카노 4,500원"  # nothing to pick
    assert localize("승인 · 카드 (VISA)", "ko") == "승인 · 카드 (VISA)"  # a code, not a gloss


def test_the_custom_range_calendar_speaks_the_screen_language(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.screens.sales import RangeDialog

    today = date.today()
    dialog = RangeDialog(window, today, today)
    qtbot.addWidget(dialog)
    assert dialog.calendars[0].locale().language() == QLocale.Language.Korean
    _switch(window, qtbot)
    dialog = RangeDialog(window, today, today)
    qtbot.addWidget(dialog)
    assert dialog.calendars[0].locale().language() == QLocale.Language.English


def test_the_payment_dialogs_speak_english_after_a_switch(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The dialogs a cashier meets at every sale: amounts in won, every word in English."""
    from ui.dialogs.card import CardDialog
    from ui.dialogs.cash import CashDialog
    from ui.dialogs.cash_receipt import CashReceiptDialog
    from ui.dialogs.easypay import EasyPayDialog
    from ui.dialogs.misc import AmountDialog, DiscountDialog, PinDialog
    from ui.dialogs.split import SplitDialog

    demo_sample_order(context)
    _switch(window, qtbot)
    dialogs = {
        "cash": CashDialog(29_800, window, receipts=True),
        "card": CardDialog(context, 29_800, window),
        "easypay": EasyPayDialog(context, 29_800, window),
        "split": SplitDialog(context, lambda _method, _amount: None, window),
        "cash receipt": CashReceiptDialog(window),
        "discount": DiscountDialog(window, None, lambda _target, _discount: None,
                                   {"order": 29_800}),
        "pin": PinDialog(window),
        "float": AmountDialog(window, "Float", 100_000),
    }
    data = _data_words(context)
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(20)
        texts = _visible_texts(dialog)
        assert any("won" in text for text in texts) or name in ("cash receipt", "pin"), name
        assert _hangul_left(texts, data) == [], name
        dialog.reject()


def test_every_other_dialog_speaks_english_after_a_switch(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Holds, confirmations, options, 메뉴 관리's dialogs, 마감's closed days and the calendar:
    in English, nothing Korean but the store's own names."""
    from kspos.sales.staff import Role
    from ui.dialogs.category import CategoryDialog
    from ui.dialogs.closed_days import ClosedDaysDialog
    from ui.dialogs.misc import ConfirmDialog, HeldDialog
    from ui.dialogs.option_group import OptionGroupDialog
    from ui.dialogs.options import OptionsDialog
    from ui.screens.sales import RangeDialog

    register = context.register
    register.staff = context.staff.first(Role.OWNER)
    demo_sample_order(context)
    register.hold()
    _switch(window, qtbot)
    admin = window.screen_widget("menu").admin
    item = next(i for i in context.catalog.by_id.values() if i.groups)
    today = date.today()
    dialogs = {
        "held": HeldDialog(context.sales.held(), window),
        "confirm": ConfirmDialog(window, "Void order", "Void this order?", "Void order"),
        "options": OptionsDialog(item, window),
        "category": CategoryDialog(window, "Add category"),
        "option groups": OptionGroupDialog(window, admin.option_group_details(),
                                           admin.option_group_problems),
        "closed days": ClosedDaysDialog(context.sales.days.closed_days(), window),
        "calendar": RangeDialog(window, today - timedelta(days=6), today),
    }
    data = _data_words(context)
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(20)
        assert _hangul_left(_visible_texts(dialog), data) == [], name
        dialog.reject()


# What the core refuses, as the cashier reads it: the sentence of the error's code in the
# screen's language (ui.i18n.message), not "한국어 (English)" cut at a parenthesis.
CORE_ERRORS = {
    "ko": {"item": "없는 메뉴입니다",
           "discount": "할인 50,000원이 주문 금액 29,800원보다 큽니다",
           "pin": "PIN이 맞지 않습니다",
           "locked": "PIN 입력이 잠겼습니다: "},
    "en": {"item": "No such item",
           "discount": "A 50,000 won discount is more than the order's 29,800 won",
           "pin": "Wrong PIN",
           "locked": "Too many wrong PINs: try again in "},
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_errors_raised_by_the_core_are_said_in_the_screen_language(  # type: ignore[no-untyped-def]
        window, context, qtbot, lang) -> None:
    from kspos.sales.staff import Role
    from ui.dialogs.misc import DiscountDialog, PinDialog

    register = context.register
    register.staff = context.staff.first(Role.CASHIER)
    demo_sample_order(context)
    cashier = window.show_screen("cashier")
    if lang == "en":
        _switch(window, qtbot)
    words = CORE_ERRORS[lang]
    shown: dict[str, str] = {}
    cashier.guarded(register.add_item, 987_654)  # an item that is not on the menu
    shown["item"] = QLabel.text(cashier.message)
    discount = DiscountDialog(window, None, lambda _target, off: register.discount_order(off),
                              {"order": register.order.total})
    qtbot.addWidget(discount)
    discount.keypad.set_text("50000")  # more than the whole order
    discount._confirm()
    shown["discount"] = QLabel.text(discount.error)
    pin = PinDialog(window, check=context.staff.login)
    qtbot.addWidget(pin)
    pin.press_digits("97531")  # nobody's PIN
    pin._confirm()
    shown["pin"] = QLabel.text(pin.error)
    for _ in range(10):  # wrong again until this terminal's PIN entry locks
        pin.press_digits("97531")
        pin._confirm()
    shown["locked"] = QLabel.text(pin.error)
    for key, sentence in words.items():
        assert shown[key].startswith(sentence), (key, shown[key])
        assert has_hangul(shown[key]) == (lang == "ko"), (key, shown[key])
        assert "(" not in shown[key], (key, shown[key])  # one language, no gloss
    discount.reject()
    pin.reject()


def test_a_core_error_on_screen_is_said_again_after_a_switch(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.orders import OrderError

    cashier = window.show_screen("cashier")
    cashier.say(OrderError("order.unknown_barcode", barcode="8809999999999"))
    assert QLabel.text(cashier.message) == "알 수 없는 바코드입니다: 8809999999999"
    _switch(window, qtbot)
    assert QLabel.text(cashier.message) == "Unknown barcode: 8809999999999"
    assert cashier.message.text() == ("알 수 없는 바코드입니다: 8809999999999 "
                                      "(Unknown barcode: 8809999999999)")  # what was set, as text
