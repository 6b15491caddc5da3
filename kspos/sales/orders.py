"""Orders as plain objects: lines with options, discounts, 서비스, and the once-per-order VAT split.

No database and no Qt here: the cashier screen edits an ``Order`` in memory (a tap is a dict
lookup and a few integer sums); ``kspos.sales.service`` persists it when it is held or paid.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from kspos.messages import DomainError, Words
from kspos.money import MAX_PRICE_KRW, VatSplit, div_half_up, share, vat_split

MAX_QTY = 999
MAX_ORDER_TOTAL = 1_000_000_000  # 10억원: larger is a typo, not a sale
MAX_LINES = 500


class OrderError(DomainError, ValueError):
    """A refused change to an order: a message code (kspos.messages) and its parameters."""


class OrderState(enum.StrEnum):
    OPEN = "open"
    HELD = "held"
    PAID = "paid"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"


# Which state may become which: every other change of state is refused.
TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    OrderState.OPEN: frozenset({OrderState.HELD, OrderState.PAID, OrderState.VOIDED}),
    OrderState.HELD: frozenset({OrderState.OPEN, OrderState.VOIDED}),
    OrderState.PAID: frozenset({OrderState.PARTLY_REFUNDED, OrderState.REFUNDED,
                                OrderState.VOIDED}),
    OrderState.PARTLY_REFUNDED: frozenset({OrderState.PARTLY_REFUNDED, OrderState.REFUNDED}),
    OrderState.REFUNDED: frozenset(),
    OrderState.VOIDED: frozenset(),
}

STATE_WORDS = {
    OrderState.OPEN: "주문 중", OrderState.HELD: "보류", OrderState.PAID: "결제 완료",
    OrderState.PARTLY_REFUNDED: "부분 환불", OrderState.REFUNDED: "환불", OrderState.VOIDED: "취소",
}


ORDER_WORDS = Words("주문", "the order's")  # whose amount a discount is measured against

# What a register is told when another register changed the order first (two registers, one
# database: every state change is a conditional UPDATE and the loser hears which state won).
_ELSEWHERE = {
    OrderState.OPEN: ("불러간", "recalled"), OrderState.HELD: ("보류한", "held"),
    OrderState.PAID: ("결제한", "paid"), OrderState.PARTLY_REFUNDED: ("환불한", "refunded"),
    OrderState.REFUNDED: ("환불한", "refunded"), OrderState.VOIDED: ("취소한", "voided"),
}


def changed_elsewhere(state: OrderState | str) -> OrderError:
    """The refusal for a register that lost the race to ``state`` (the state the order is in)."""
    return OrderError("order.changed_elsewhere", done=Words(*_ELSEWHERE[OrderState(state)]))


def state_words(state: OrderState) -> Words:
    """How a state reads in a message: ``결제 완료`` / ``paid``."""
    return Words(STATE_WORDS[state], state.value.replace("_", " "))


def check_transition(current: OrderState, target: OrderState) -> None:
    if target not in TRANSITIONS[current]:
        raise OrderError("order.bad_transition", current=state_words(current),
                         target=state_words(target))


@dataclass(frozen=True, slots=True)
class Discount:
    """An amount off (won) or a percentage off (1-100)."""

    kind: str  # "amount" | "percent"
    value: int

    def __post_init__(self) -> None:
        kind, value = self.kind, self.value
        if kind not in ("amount", "percent"):
            raise OrderError("order.discount_kind", kind=kind)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise OrderError("order.discount_not_positive")
        if kind == "percent" and value > 100:
            raise OrderError("order.discount_percent_over")
        if kind == "amount" and value > MAX_PRICE_KRW:
            raise OrderError("order.discount_amount_over", most=MAX_PRICE_KRW)

    def amount_off(self, base: int) -> int:
        """Won taken off ``base``; never more than the base. Percent rounds half up."""
        off = self.value if self.kind == "amount" else div_half_up(base * self.value, 100)
        return max(0, min(off, base))

    def label(self) -> str:
        return f"{self.value}%" if self.kind == "percent" else f"{self.value:,}원"


@dataclass(frozen=True, slots=True)
class ChosenOption:
    group: str
    name: str
    name_en: str = ""
    price_delta: int = 0


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line: an item with chosen options, a quantity, and a discount or 서비스."""

    item_id: int | None
    name: str
    base_price: int
    qty: int = 1
    options: tuple[ChosenOption, ...] = ()
    name_en: str = ""
    category_id: int | None = None
    category_name: str = ""
    tax_free: bool = False
    discount: Discount | None = None
    complimentary: bool = False
    note: str = ""  # on a table's check: the line's memo to the kitchen ("덜 맵게")
    round_no: int = 0  # on a table's check: the round that sent it (0: not sent yet)

    @property
    def unit_price(self) -> int:
        return self.base_price + sum(o.price_delta for o in self.options)

    @property
    def gross(self) -> int:
        return self.unit_price * self.qty

    @property
    def discount_amount(self) -> int:
        if self.complimentary or self.discount is None:
            return 0
        return self.discount.amount_off(self.gross)

    @property
    def service_amount(self) -> int:
        """The value given away when the line is 서비스 (complimentary)."""
        return self.gross if self.complimentary else 0

    @property
    def amount(self) -> int:
        """What the customer pays for this line before any order discount."""
        return self.gross - self.discount_amount - self.service_amount

    def options_text(self, lang: str = "ko") -> str:
        names = [o.name_en if lang == "en" and o.name_en else o.name for o in self.options]
        return ", ".join(names)

    def same_choice(self, other: OrderLine) -> bool:
        """Same item, options and treatment: a repeat tap adds to qty instead of a new line."""
        return (self.item_id == other.item_id and self.options == other.options
                and self.base_price == other.base_price and self.discount == other.discount
                and self.complimentary == other.complimentary and not self.note
                and not other.note and self.round_no == other.round_no)


@dataclass(frozen=True, slots=True)
class OrderTotals:
    gross: int
    line_discounts: int
    order_discount: int
    service: int
    total: int
    split: VatSplit

    @property
    def discounts(self) -> int:
        return self.line_discounts + self.order_discount


def check_qty(qty: object) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise OrderError("order.qty_not_number", qty=qty)
    if not 1 <= qty <= MAX_QTY:
        raise OrderError("order.qty_range", most=MAX_QTY, qty=qty)
    return qty


def check_price(price: object) -> int:
    if isinstance(price, bool) or not isinstance(price, int):
        raise OrderError("order.price_not_whole", price=price)
    if not 0 <= price <= MAX_PRICE_KRW:
        raise OrderError("order.price_range", most=MAX_PRICE_KRW, price=price)
    return price


def _totals_of(lines: list[OrderLine], order_discount: Discount | None) -> OrderTotals:
    """:meth:`Order.totals` of ``lines`` with ``order_discount`` (also for a candidate edit)."""
    gross = sum(line.gross for line in lines)
    line_discounts = sum(line.discount_amount for line in lines)
    service = sum(line.service_amount for line in lines)
    subtotal = gross - line_discounts - service
    tax_free_sub = sum(line.amount for line in lines if line.tax_free)
    order_off = order_discount.amount_off(subtotal) if order_discount else 0
    tax_free_off = share(tax_free_sub, order_off, subtotal)
    total = subtotal - order_off
    split = vat_split(total, tax_free=tax_free_sub - tax_free_off)
    return OrderTotals(gross=gross, line_discounts=line_discounts, order_discount=order_off,
                       service=service, total=total, split=split)


def _check_off(discount: Discount, base: int, what: Words, then: bool = False) -> None:
    """Refuse an amount off larger than ``base`` (it would be cut to ``base`` without a word:
    a line made free is 서비스, said so). ``then``: an existing discount that a change to the
    lines would leave too large."""
    if discount.kind != "amount" or discount.value <= base:
        return
    if then:
        raise OrderError("order.discount_over_base_now", off=discount.value, what=what,
                         base=base)
    raise OrderError("order.discount_over_base", off=discount.value, what=what, base=base)


@dataclass
class Order:
    """An order being taken or already persisted (``id`` and ``receipt_no`` set by sales).

    Mutable, with a ``__dict__``, as it always was; ``lines`` defaults to a new empty list.
    """

    lines: list[OrderLine] = field(default_factory=list)
    order_discount: Discount | None = None
    state: OrderState = OrderState.OPEN
    table_no: str | None = None
    note: str = ""
    training: bool = False
    id: int | None = None
    receipt_no: str | None = None
    paid: int = 0  # tenders already taken (복합결제 under way): the total may not go below it
    # A table's check (kspos/sales/checks.py): its table, zone name and guests, and the
    # check's revision as this copy read it (a stale copy is refused when it writes).
    table_id: int | None = None
    zone: str = ""
    guests: int = 0
    check_rev: int = 0

    # --- editing (only while open) ------------------------------------------------------------

    def _editable(self) -> None:
        if self.state is not OrderState.OPEN:
            raise OrderError("order.locked", state=state_words(self.state))

    def _check_total(self, lines: list[OrderLine]) -> None:
        """The lines an edit would leave: not over the maximum, and not under the order's
        amount discount (it would silently shrink to what is left)."""
        gross = sum(line.gross for line in lines)
        if gross > MAX_ORDER_TOTAL:
            raise OrderError("order.total_too_large", most=MAX_ORDER_TOTAL)
        if self.order_discount is not None and self.order_discount.kind == "amount":
            _check_off(self.order_discount, sum(line.amount for line in lines), ORDER_WORDS,
                       then=True)
        self._check_paid(lines, self.order_discount)

    def _check_paid(self, lines: list[OrderLine], discount: Discount | None) -> None:
        """Refuse an edit that would take the total below the tenders already taken (the
        customer would be owed money on an order that is not even paid)."""
        if self.paid > 0 and _totals_of(lines, discount).total < self.paid:
            raise OrderError("order.below_paid", paid=self.paid)

    def add(self, line: OrderLine) -> int:
        """Add a line (merging with an identical one); returns the index of the line."""
        self._editable()
        check_qty(line.qty)
        check_price(line.base_price)
        for option in line.options:
            if abs(option.price_delta) > MAX_PRICE_KRW:
                raise OrderError("order.option_price_range")
        if line.unit_price < 0:
            raise OrderError("order.price_below_zero")
        for index, existing in enumerate(self.lines):
            if existing.same_choice(line):
                return self.set_qty(index, existing.qty + line.qty)
        if len(self.lines) >= MAX_LINES:
            raise OrderError("order.too_many_lines", most=MAX_LINES)
        candidate = [*self.lines, line]
        self._check_total(candidate)
        self.lines = candidate
        return len(self.lines) - 1

    def _line(self, index: int) -> OrderLine:
        if not 0 <= index < len(self.lines):
            raise OrderError("order.no_such_line")
        return self.lines[index]

    def _draft(self, index: int) -> OrderLine:
        """A line this register may still change: one the kitchen has not been sent (a sent
        line of a table's check only goes down through CheckService.cancel_sent_line)."""
        line = self._line(index)
        if line.round_no:
            raise OrderError("check.line_sent", name=line.name)
        return line

    def _replace(self, index: int, line: OrderLine) -> int:
        if line.discount is not None and not line.complimentary:
            _check_off(line.discount, line.gross, Words(line.name, "the line's"),
                       then=line.discount == self.lines[index].discount)
        candidate = list(self.lines)
        candidate[index] = line
        self._check_total(candidate)
        self.lines = candidate
        return index

    def set_qty(self, index: int, qty: int) -> int:
        self._editable()
        return self._replace(index, replace(self._draft(index), qty=check_qty(qty)))

    def change_qty(self, index: int, delta: int) -> int:
        """−/+ buttons: going below 1 is refused (use 삭제 to remove a line)."""
        return self.set_qty(index, self._line(index).qty + delta)

    def remove(self, index: int) -> OrderLine:
        self._editable()
        line = self._draft(index)
        candidate = [ln for i, ln in enumerate(self.lines) if i != index]
        self._check_total(candidate)
        self.lines = candidate
        return line

    def set_line_discount(self, index: int, discount: Discount | None) -> int:
        self._editable()
        line = self._draft(index)
        if line.complimentary and discount is not None:
            raise OrderError("order.complimentary_discount")
        return self._replace(index, replace(line, discount=discount))

    def set_complimentary(self, index: int, complimentary: bool = True) -> int:
        self._editable()
        line = self._draft(index)
        return self._replace(index, replace(line, complimentary=complimentary,
                                             discount=None if complimentary else line.discount))

    def set_order_discount(self, discount: Discount | None) -> None:
        """An amount or percent off the whole order; an amount over what the lines come to
        (after their own discounts and 서비스) is refused."""
        self._editable()
        if discount is not None:
            _check_off(discount, sum(line.amount for line in self.lines), ORDER_WORDS)
        self._check_paid(self.lines, discount)
        self.order_discount = discount

    def clear(self) -> None:
        self._editable()
        if any(line.round_no for line in self.lines):
            raise OrderError("check.line_sent", name=next(
                line.name for line in self.lines if line.round_no))
        self._check_paid([], None)
        self.lines = []
        self.order_discount = None

    # --- money ------------------------------------------------------------------------------

    def totals(self) -> OrderTotals:
        """Totals with the VAT split done once for the order (korean-rules.md).

        The order discount is shared between taxable and tax-free lines in proportion to their
        amounts (half up, tax-free share first), so VAT falls only on what is really taxable.
        """
        return _totals_of(self.lines, self.order_discount)

    @property
    def total(self) -> int:
        return self.totals().total

    @property
    def is_empty(self) -> bool:
        return not self.lines
