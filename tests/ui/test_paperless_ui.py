"""Paperless receipts on screen: 영수증을 출력할까요? (출력 / 안 함, Enter / Esc), the QR view
painting its modules crisply at any size, and print_order handing the QR text to the customer
display when a sale's slip is not printed (Qt offscreen, the VAN simulator, the sim printer)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from kspos.receipts.receipt_qr import qr_matrix
from kspos.sales.payments import Method, TenderRequest
from kspos.sales.staff import Role
from tests.ui.helpers import on_next_dialog, tap
from ui.dialogs.receipt_choice import ReceiptChoiceDialog
from ui.widgets.qr import QrView

TEXT = "영수증 카페 예시\n번호 20261125-01-0042\n합계 12,000원\n카드 12,000 승인 30012345"


@pytest.fixture
def dialog(qapp, qtbot):  # type: ignore[no-untyped-def]
    from ui.app import ensure_app

    ensure_app("ko")
    choice = ReceiptChoiceDialog(None, "12,000원")
    qtbot.addWidget(choice)
    choice.show()
    return choice


def test_the_receipt_choice_prints_on_print(dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.title.text() == "영수증을 출력할까요?"
    assert dialog.findChild(QWidget, "receipt-choice-amount").text() == "12,000원"
    tap(dialog, "receipt-print")
    assert dialog.result() == ReceiptChoiceDialog.DialogCode.Accepted and dialog.printed


def test_the_receipt_choice_does_not_print_on_none(dialog) -> None:  # type: ignore[no-untyped-def]
    tap(dialog, "receipt-none")
    assert dialog.result() == ReceiptChoiceDialog.DialogCode.Rejected and not dialog.printed


def test_enter_prints_and_escape_does_not(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.printed and not dialog.isVisible()
    other = ReceiptChoiceDialog(None, "12,000원")
    qtbot.addWidget(other)
    other.show()
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert not other.printed and not other.isVisible()
    assert other.result() == ReceiptChoiceDialog.DialogCode.Rejected


def test_the_buttons_are_big_touch_targets(dialog) -> None:  # type: ignore[no-untyped-def]
    for name in ("receipt-print", "receipt-none"):
        button = dialog.findChild(QWidget, name)
        assert button.height() >= 96 and button.width() >= 200


@pytest.mark.parametrize(("width", "height"), [(300, 300), (500, 260), (211, 400)])
def test_the_qr_view_paints_every_module_on_whole_pixels(qtbot, width: int, height: int
                                                          ) -> None:  # type: ignore[no-untyped-def]
    view = QrView()
    qtbot.addWidget(view)
    view.set_text(TEXT)
    view.resize(width, height)
    matrix = qr_matrix(TEXT)
    assert view.modules() == len(matrix)
    px = min(width, height) // len(matrix)
    assert view.module_px() == px >= 1
    area = view.code_rect()
    assert area.width() == area.height() == px * len(matrix)
    assert abs(area.center().x() - width // 2) <= 1 and abs(area.center().y() - height // 2) <= 1
    image = view.grab().toImage()
    black, white = QColor("#000000"), QColor("#FFFFFF")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            for dx, dy in ((0, 0), (px - 1, px - 1)):  # a module's first and last pixel
                colour = image.pixelColor(area.x() + x * px + dx, area.y() + y * px + dy)
                assert colour == (black if dark else white), (x, y)


def test_the_qr_view_shows_nothing_for_no_text_and_follows_new_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = QrView()
    qtbot.addWidget(view)
    assert view.modules() == 0 and view.module_px() == 0
    view.set_text("짧은 글")
    small = view.modules()
    view.set_text(TEXT * 3)
    assert view.modules() > small and view.text() == TEXT * 3
    view.set_text("")
    assert view.modules() == 0


# --- print_order with the store's receipt rule ----------------------------------------------


@pytest.fixture
def shop(van_context, qtbot):  # type: ignore[no-untyped-def]
    """A screen to print from, and a day open at the counter."""
    screen = QWidget()
    qtbot.addWidget(screen)
    settings = van_context.settings  # paper-free all the way: no pickup slip either
    van_context.settings = settings.copy_with(store=settings.store.copy_with(pickup_slip=False))
    van_context.register.staff = van_context.staff.first(Role.CASHIER)
    van_context.sales.days.open(van_context.register.staff, 0)
    return screen


def cash_sale(context, receipt: str):  # type: ignore[no-untyped-def]
    printing = context.printing
    printing.store = printing.store.copy_with(receipt=receipt)  # as [store] receipt says
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    context.register.add_item(item.id)
    order = context.register.order
    context.register.pay(TenderRequest(Method.CASH, order.total, "", tendered=order.total))
    return context.register.last_paid


def print_it(screen, context, order_id):  # type: ignore[no-untyped-def]
    from ui.printing import print_order

    said: list[str] = []
    shown: list[tuple[int, str]] = []
    print_order(screen, context, order_id, False, said.append,
                on_paperless=lambda oid, text: shown.append((oid, text)))
    return said, shown


def test_receipt_none_shows_the_qr_and_prints_nothing(shop, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    paid = cash_sale(van_context, "none")
    said, shown = print_it(shop, van_context, paid.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=8000)
    [(order_id, text)] = shown
    assert order_id == paid.id and paid.receipt_no in text and f"{paid.total:,}원" in text
    assert van_context.devices.printer.output == b"" and said == []


def test_receipt_ask_answered_print_prints_the_original(shop, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.store.print_queue import sale_job_id

    paid = cash_sale(van_context, "ask")
    asked: list[str] = []

    def answer(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.findChild(QWidget, "receipt-choice-amount").text())
        tap(dialog, "receipt-print")

    on_next_dialog(answer, expect="ReceiptChoiceDialog")
    said, shown = print_it(shop, van_context, paid.id)
    printer = van_context.devices.printer
    qtbot.waitUntil(lambda: printer.output != b"", timeout=8000)
    assert asked == [f"{paid.total:,}원"]
    job_id = sale_job_id(van_context.db, paid.id)
    assert printer.output == van_context.printing.queue.payload(job_id)  # the kept original
    assert shown == [] and said == []


def test_receipt_ask_answered_none_shows_the_qr(shop, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    paid = cash_sale(van_context, "ask")
    on_next_dialog(lambda dialog: tap(dialog, "receipt-none"), expect="ReceiptChoiceDialog")
    said, shown = print_it(shop, van_context, paid.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=8000)
    assert shown[0][0] == paid.id and paid.receipt_no in shown[0][1]
    assert van_context.devices.printer.output == b"" and said == []


def test_a_printed_sale_does_not_call_on_paperless(shop, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    paid = cash_sale(van_context, "print")
    printer = van_context.devices.printer
    said, shown = print_it(shop, van_context, paid.id)
    qtbot.waitUntil(lambda: printer.output != b"", timeout=8000)
    qtbot.wait(50)  # the GUI-thread callback after the print
    assert shown == [] and said == []


def test_a_card_slip_kept_on_request_says_so_and_shows_the_qr(shop, van_context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from drivers.sim.reader import SimCardReader

    printing = van_context.printing
    printing.store = printing.store.copy_with(print_card_receipt=False)  # receipt = "print"
    item = next(i for i in van_context.catalog.by_id.values() if not i.groups and not i.sold_out)
    van_context.register.add_item(item.id)
    order = van_context.register.order
    result = van_context.register.pay(TenderRequest(Method.CARD, order.total, "",
                                                    card=SimCardReader().read_card(0, 1)))
    assert result.approved, result.message
    said, shown = print_it(shop, van_context, order.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=8000)
    assert shown[0][0] == order.id and result.approval_no in shown[0][1]
    assert any("요청 시" in text for text in said)
    assert van_context.devices.printer.output == b""
