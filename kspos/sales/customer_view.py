"""What the customer's side of the counter shows (고객 표시기), as a plain state machine.

The cashier's flow tells a :class:`CustomerFeed` what is happening (the order changed, a card
is asked for, the change, the sale is done); the feed keeps one :class:`CustomerView` and
tells its listeners (the Qt window) about every new one. The customer's own input on a touch
display (the 현금영수증 number, the signature) comes back through the feed to whichever dialog
asked for it. No Qt here: the window is a drawing of the view, and tests drive the feed.

Listeners are called on the thread that changed the feed (a payment finishes on the VAN's
worker thread): a Qt listener hands the view to its own thread with a queued signal.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kspos.devices.cards import mask_identity
from kspos.sales.payments import CashReceiptRequest, identity_problem

if TYPE_CHECKING:
    from kspos.ports import Signature
    from kspos.sales.orders import Order

DONE_HOLD_S = 8.0
"""How long 결제가 완료되었습니다 stays before the idle page (the UI's timer)."""
QR_HOLD_S = 45.0
"""How long the done page stays when it shows the receipt's QR (time to take a photo)."""


class Page(enum.StrEnum):
    IDLE = "idle"  # the store's name, its logo or a slideshow
    ORDER = "order"  # the order as it is rung up
    PAY = "pay"  # a tender under way: what to do and how much
    DONE = "done"  # 결제가 완료되었습니다: change, the order number, the receipt's QR


class Ask(enum.StrEnum):
    """What the customer is asked to enter on a touch display."""

    NOTHING = "nothing"
    CASH_RECEIPT = "cash_receipt"
    SIGNATURE = "signature"


PROMPTS = {"card": "카드를 넣어 주세요", "easypay": "결제 바코드를 보여 주세요",
           "cash": "현금으로 결제합니다", "approving": "승인 요청 중입니다",
           "sign": "서명해 주세요", "cash_receipt": "현금영수증 번호를 입력해 주세요"}
"""The customer's words for each step (translated by the UI like every shown string)."""


@dataclass(frozen=True, slots=True)
class ShownLine:
    """One order line as the customer sees it."""

    name: str
    options: str
    qty: int
    amount: int  # after its own discount; 0 for 서비스
    complimentary: bool = False
    discount: int = 0


@dataclass(frozen=True, slots=True)
class CustomerView:
    """Everything the customer display draws. ``revision`` grows with every change."""

    page: Page = Page.IDLE
    lines: tuple[ShownLine, ...] = ()
    discount: int = 0  # line and order discounts together
    service: int = 0  # what 서비스 lines would have cost
    total: int = 0
    paid: int = 0  # taken so far (복합결제, a check paid in parts)
    prompt: str = ""  # a key of PROMPTS
    amount: int = 0  # what this tender takes
    part: tuple[int, int] | None = None  # (k, n) of a split bill's parts
    tendered: int = 0
    change: int = 0
    order_no: int | None = None  # the pickup number (주문번호)
    qr_text: str = ""  # the receipt's text, when it was not printed
    ask: Ask = Ask.NOTHING
    typed_mask: str = ""  # what the customer typed, as the cashier may see it
    problem: str = ""  # why the customer's entry was refused
    revision: int = 0

    @property
    def due(self) -> int:
        return max(self.total - self.paid, 0)


def typing_mask(digits: str) -> str:
    """The customer's 현금영수증 digits as the cashier sees them while typed: the first three
    (010, a card's prefix) and then a dot per digit; a complete number as receipts mask it."""
    if identity_problem(digits) == "":
        return mask_identity(digits)
    return digits[:3] + "•" * max(len(digits) - 3, 0)


def shown_lines(order: Order, lang: str = "ko") -> tuple[ShownLine, ...]:
    return tuple(ShownLine(line.name_en if lang == "en" and line.name_en else line.name,
                           line.options_text(lang), line.qty, line.amount,
                           line.complimentary, line.discount_amount) for line in order.lines)


Listener = Callable[[CustomerView], object]


class CustomerFeed:
    """The customer display's state, changed by the cashier's flow and the customer's taps.

    ``touch``: the display takes the customer's input (현금영수증 number); ``signs``: the
    signature above 50,000원 is made there. The cashier can always take over an entry.
    """

    def __init__(self, touch: bool = False, signs: bool = False, lang: str = "ko") -> None:
        self.touch, self.signs, self.lang = touch, signs, lang
        self._view = CustomerView()
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._on_receipt: Callable[[CashReceiptRequest], object] | None = None
        self._on_signature: Callable[[Signature], object] | None = None

    @property
    def view(self) -> CustomerView:
        return self._view

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every new view; returns the unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set(self, **changes: object) -> CustomerView:
        with self._lock:
            view = replace(self._view, revision=self._view.revision + 1, **changes)  # type: ignore[arg-type]
            self._view = view
        for listener in list(self._listeners):
            listener(view)
        return view

    # --- the cashier's flow ---------------------------------------------------------------------

    def show_order(self, order: Order, paid: int | None = None) -> None:
        """The order on the counter changed. A tender under way keeps its page (the register
        starts a new, empty order the moment a sale is paid: the done page stays too)."""
        lines = shown_lines(order, self.lang)
        totals = order.totals()
        figures = dict(lines=lines, discount=totals.discounts, service=totals.service,
                       total=totals.total, paid=order.paid if paid is None else paid)
        page = self._view.page
        if page in (Page.PAY, Page.DONE) and not lines:
            if page is Page.PAY:
                self._set(**figures)
            return
        if page is Page.PAY:
            self._set(**figures)
        else:
            self._set(page=Page.ORDER if lines else Page.IDLE, qr_text="", order_no=None,
                      change=0, tendered=0, **figures)

    def ask_tender(self, method: str, amount: int, part: tuple[int, int] | None = None) -> None:
        """A tender of ``amount`` is under way: card, easypay or cash."""
        self._set(page=Page.PAY, prompt=method, amount=amount, part=part, tendered=0,
                  change=0, problem="")

    def step(self, prompt: str) -> None:
        """The tender moved on (``approving``, ``sign``): the words change, the amount stays."""
        if self._view.page is Page.PAY:
            self._set(prompt=prompt)

    def cash_counted(self, tendered: int, change: int) -> None:
        """The cashier typed what the customer handed over: the change due, large."""
        if self._view.page is Page.PAY:
            self._set(tendered=tendered, change=change)

    def tender_ended(self, order: Order, paid: int) -> None:
        """A tender finished without settling the order (a part, or cancelled): back to the
        order with what is left to pay."""
        self._cancel_entry()
        self._set(page=Page.ORDER if order.lines else Page.IDLE, prompt="", amount=0,
                  part=None, tendered=0, change=0)
        self.show_order(order, paid)

    def settled(self, change: int = 0, order_no: int | None = None) -> None:
        """결제가 완료되었습니다: the change (cash) and the pickup number."""
        self._cancel_entry()
        self._set(page=Page.DONE, prompt="", change=change, order_no=order_no, qr_text="",
                  part=None, ask=Ask.NOTHING, typed_mask="", problem="")

    def show_receipt_qr(self, qr_text: str) -> None:
        """The receipt was not printed: its text as a QR for the customer's phone."""
        if self._view.page is Page.DONE:
            self._set(qr_text=qr_text)

    def idle(self) -> None:
        """Back to the idle page (after the done page's time, or the order was voided)."""
        self._cancel_entry()
        self._set(page=Page.IDLE, lines=(), total=0, paid=0, discount=0, service=0,
                  prompt="", amount=0, part=None, tendered=0, change=0, order_no=None,
                  qr_text="")

    # --- the customer's input --------------------------------------------------------------------

    def ask_cash_receipt(self, on_answer: Callable[[CashReceiptRequest], object]) -> bool:
        """Put the 현금영수증 keypad on a touch display; ``on_answer`` gets a checked number.
        False (nothing asked) when the display takes no input."""
        if not self.touch:
            return False
        with self._lock:
            self._on_receipt, self._on_signature = on_answer, None
        self._set(ask=Ask.CASH_RECEIPT, typed_mask="", problem="")
        return True

    def customer_typed(self, digits: str) -> None:
        if self._view.ask is Ask.CASH_RECEIPT:
            self._set(typed_mask=typing_mask(digits), problem="")

    def customer_entered(self, digits: str, purpose: str) -> str:
        """The customer's 확인: the same checks as the cashier's keypad. Returns the problem
        (shown on the customer's screen), or "" once the number went to the cashier."""
        with self._lock:
            answer = self._on_receipt if self._view.ask is Ask.CASH_RECEIPT else None
        if answer is None:
            return ""
        problem = identity_problem(digits)
        if problem:
            self._set(problem=problem)
            return problem
        with self._lock:
            self._on_receipt = None
        self._set(ask=Ask.NOTHING, typed_mask=mask_identity(digits), problem="")
        answer(CashReceiptRequest(digits, purpose if purpose in ("deduction", "expense")
                                  else "deduction"))
        return ""

    def ask_signature(self, amount: int, on_answer: Callable[[Signature], object]) -> bool:
        """Put the signature pad on the customer's display (``[ui] customer_signature``)
        for a card tender of ``amount``; False when the cashier's pad takes it."""
        if not self.signs:
            return False
        with self._lock:
            self._on_signature, self._on_receipt = on_answer, None
        self._set(ask=Ask.SIGNATURE, prompt="sign", amount=amount, problem="")
        return True

    def customer_signed(self, signature: Signature) -> str:
        """The customer's 확인 on the pad: "" when it went to the card flow."""
        with self._lock:
            answer = self._on_signature if self._view.ask is Ask.SIGNATURE else None
        if answer is None:
            return ""
        if not signature.has_ink():
            self._set(problem="서명해 주세요")
            return "서명해 주세요"
        with self._lock:
            self._on_signature = None
        self._set(ask=Ask.NOTHING, prompt="approving", problem="")
        answer(signature)
        return ""

    def take_over(self) -> None:
        """The cashier enters it instead: the customer's keypad or pad goes away."""
        self._cancel_entry()

    def _cancel_entry(self) -> None:
        with self._lock:
            self._on_receipt = self._on_signature = None
            asked = self._view.ask is not Ask.NOTHING
        if asked:
            self._set(ask=Ask.NOTHING, problem="")
