"""The customer display's state machine: what the customer sees at each step of a sale, and
the customer's own entries (현금영수증 number, signature) going back to the cashier's flow."""

from __future__ import annotations

from kspos.ports import Signature
from kspos.sales.customer_view import Ask, CustomerFeed, Page, typing_mask
from kspos.sales.orders import Order, OrderLine
from kspos.sales.payments import CashReceiptRequest


def order_of(*lines: tuple[str, int, int]) -> Order:
    return Order(lines=[OrderLine(None, name, price, qty) for name, price, qty in lines])


def test_the_order_is_mirrored_line_by_line_and_an_empty_counter_is_idle() -> None:
    feed = CustomerFeed()
    views = []
    feed.subscribe(views.append)
    feed.show_order(order_of(("아메리카노", 4_500, 2), ("쿠키", 2_500, 1)))
    view = feed.view
    assert view.page is Page.ORDER and view.total == 11_500
    assert [(line.name, line.qty, line.amount) for line in view.lines] == [
        ("아메리카노", 2, 9_000), ("쿠키", 1, 2_500)]
    feed.show_order(Order())
    assert feed.view.page is Page.IDLE and feed.view.lines == ()
    assert [v.revision for v in views] == [1, 2]


def test_a_payment_keeps_its_page_when_the_register_moves_on_then_says_done() -> None:
    feed = CustomerFeed()
    order = order_of(("라떼", 5_000, 1))
    feed.show_order(order)
    feed.ask_tender("cash", 5_000)
    feed.cash_counted(10_000, 5_000)
    assert feed.view.page is Page.PAY and feed.view.change == 5_000
    feed.show_order(Order())  # the register starts the next order the moment it is paid
    assert feed.view.page is Page.PAY
    feed.settled(change=5_000, order_no=17)
    assert feed.view.page is Page.DONE and feed.view.order_no == 17
    feed.show_receipt_qr("KSPOS 영수증 ...")
    assert feed.view.qr_text
    feed.show_order(Order())  # nothing rung up yet: the done page stays until its timer
    assert feed.view.page is Page.DONE
    feed.show_order(order_of(("모카", 5_500, 1)))  # the next customer's first item
    assert feed.view.page is Page.ORDER and not feed.view.qr_text and feed.view.order_no is None


def test_a_tender_that_ends_without_settling_returns_to_the_order_with_what_is_left() -> None:
    feed = CustomerFeed()
    order = order_of(("원두", 15_000, 1))
    feed.show_order(order)
    feed.ask_tender("card", 10_000)
    order.paid = 5_000
    feed.tender_ended(order, 5_000)
    assert feed.view.page is Page.ORDER and feed.view.paid == 5_000 and feed.view.due == 10_000


def test_the_customer_types_the_cash_receipt_number_and_the_cashier_gets_it() -> None:
    feed = CustomerFeed(touch=True)
    answers: list[CashReceiptRequest] = []
    assert feed.ask_cash_receipt(answers.append)
    assert feed.view.ask is Ask.CASH_RECEIPT
    feed.customer_typed("0101234")
    assert feed.view.typed_mask == "010••••"  # never the customer's digits past the prefix
    assert feed.customer_entered("0101234", "deduction") != ""  # too short: said there
    assert answers == [] and feed.view.problem
    assert feed.customer_entered("01012345678", "expense") == ""
    assert answers == [CashReceiptRequest("01012345678", "expense")]
    assert feed.view.ask is Ask.NOTHING and feed.view.typed_mask == "010****5678"


def test_a_plain_display_asks_nothing_and_the_cashier_can_always_take_over() -> None:
    assert not CustomerFeed(touch=False).ask_cash_receipt(lambda r: None)
    feed = CustomerFeed(touch=True)
    answers: list[CashReceiptRequest] = []
    feed.ask_cash_receipt(answers.append)
    feed.take_over()
    assert feed.view.ask is Ask.NOTHING
    assert feed.customer_entered("01012345678", "deduction") == ""
    assert answers == []  # the cashier's number stands, not a late tap on the display


def test_a_business_number_is_checked_like_on_the_cashier_keypad() -> None:
    feed = CustomerFeed(touch=True)
    feed.ask_cash_receipt(lambda r: None)
    assert "사업자" in feed.customer_entered("1234567890", "expense")
    assert typing_mask("2208162517") == "220***2517"  # complete: masked as receipts do


def test_the_signature_is_taken_on_the_display_only_with_ink() -> None:
    assert not CustomerFeed(signs=False).ask_signature(60_000, lambda s: None)
    feed = CustomerFeed(signs=True)
    signed: list[Signature] = []
    feed.ask_signature(60_000, signed.append)
    assert feed.view.ask is Ask.SIGNATURE and feed.view.amount == 60_000
    assert feed.customer_signed(Signature(bytes(Signature.SIZE))) == "서명해 주세요"
    ink = Signature(b"\xff" + bytes(Signature.SIZE - 1))
    assert feed.customer_signed(ink) == "" and signed == [ink]
    assert feed.view.ask is Ask.NOTHING and feed.view.prompt == "approving"
