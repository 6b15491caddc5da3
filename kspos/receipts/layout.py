"""Lay a :class:`~kspos.receipts.model.Receipt` out on a 48, 42 or 32 column grid.

The result is a :class:`Layout`: a list of typed lines both renderers consume. A
:class:`TextLine` holds text already padded to exactly its width (Hangul counted as 2
columns), so the text renderer sends it as is and the raster renderer draws it on the same grid.
A ``double`` line is printed double width and height: it has half the columns; a ``quad``
line (the 주문번호) four times: a quarter of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kspos.receipts.model import (
    CardTender,
    CashTender,
    EasyPayTender,
    Receipt,
    ReceiptLine,
    StoreHeader,
    Tender,
)
from kspos.receipts.textwidth import Align, clean, pad, text_width, wrap

WIDTHS = (48, 42, 32)
WEEKDAYS = "월화수목금토일"
LABEL_COLUMNS = 10


@dataclass(frozen=True, slots=True)
class TextLine:
    """One printed row of text, padded to its width; ``double`` = double width and height,
    ``quad`` = four times both (then ``double`` is ignored)."""

    text: str
    bold: bool = False
    double: bool = False
    quad: bool = False

    @property
    def scale(self) -> int:
        """How many times wider and taller than a normal row it prints."""
        return 4 if self.quad else 2 if self.double else 1


@dataclass(frozen=True, slots=True)
class RuleLine:
    """A full-width rule: ``-`` thin, ``=`` heavy."""

    char: str = "-"


@dataclass(frozen=True, slots=True)
class QrLine:
    """A centred QR code holding ``payload``."""

    payload: str


@dataclass(frozen=True, slots=True)
class FeedLine:
    """Blank space, in text rows."""

    rows: int = 1


Line = TextLine | RuleLine | QrLine | FeedLine


@dataclass(frozen=True, slots=True)
class Layout:
    """A laid-out receipt: the grid width, its lines, and whether it is a training slip."""

    columns: int
    lines: tuple[Line, ...]
    training: bool = False

    def as_text(self) -> list[str]:
        """Plain rows as a printer would show them (QR as ``[QR ...]``), for tests and logs."""
        rows: list[str] = []
        for line in self.lines:
            if isinstance(line, TextLine):
                rows.append(line.text)
            elif isinstance(line, RuleLine):
                rows.append(line.char * self.columns)
            elif isinstance(line, QrLine):
                rows.append(f"[QR {line.payload}]")
            else:
                rows.extend([""] * line.rows)
        return rows


@dataclass(frozen=True, slots=True)
class Columns:
    """Item table columns for one paper width: name | qty | amount."""

    name: int
    qty: int
    amount: int


ITEM_COLUMNS = {48: Columns(28, 6, 14), 42: Columns(24, 5, 13), 32: Columns(16, 4, 12)}


def check_width(columns: int) -> int:
    if columns not in WIDTHS:
        raise ValueError(f"receipt width must be 48, 42 or 32 columns, got {columns}")
    return columns


def amount_text(amount: int, negative: bool = False) -> str:
    """``4,500``; ``-4,500`` on refund and cancel slips (zero stays ``0``)."""
    return f"-{amount:,}" if negative and amount else f"{amount:,}"


class Builder:
    """Collects lines for one width; small helpers keep the receipt sections readable."""

    def __init__(self, columns: int) -> None:
        self.columns = check_width(columns)
        self.lines: list[Line] = []

    def text(self, text: str, align: Align = "left", bold: bool = False,
             double: bool = False) -> None:
        """Add ``text``, wrapped to the width (half of it when ``double``)."""
        width = self.columns // 2 if double else self.columns
        for row in wrap(text, width):
            self.lines.append(TextLine(pad(row, width, align), bold=bold, double=double))

    def pair(self, left: str, right: str, bold: bool = False, double: bool = False) -> None:
        """``left`` at the start, ``right`` flush right; ``right`` drops a row if both can't fit."""
        width = self.columns // 2 if double else self.columns
        left, right = clean(left), clean(right)
        if text_width(left) + 1 + text_width(right) <= width:
            self.lines.append(TextLine(pad(left, width - text_width(right)) + right,
                                       bold=bold, double=double))
            return
        self.text(left, bold=bold, double=double)
        self.text(right, "right", bold=bold, double=double)

    def big(self, text: str) -> None:
        """``text`` centred at four times the size (a 주문번호: a few digits)."""
        width = self.columns // 4
        self.lines.append(TextLine(pad(clean(text)[:width], width, "center"), bold=True,
                                   quad=True))

    def field(self, label: str, value: str) -> None:
        """``label    : value``, the value wrapped under itself when long."""
        head = pad(clean(label), LABEL_COLUMNS) + ": " if text_width(label) <= LABEL_COLUMNS \
            else clean(label) + ": "
        room = self.columns - text_width(head)
        rows = wrap(value, room)
        self.lines.append(TextLine(pad(head + rows[0], self.columns)))
        for row in rows[1:]:
            self.lines.append(TextLine(pad(" " * text_width(head) + row, self.columns)))

    def rule(self, char: str = "-") -> None:
        self.lines.append(RuleLine(char))

    def feed(self, rows: int = 1) -> None:
        self.lines.append(FeedLine(rows))

    def qr(self, payload: str) -> None:
        self.lines.append(QrLine(payload))

    def row(self, name: str, qty: str, amount: str, indent: int = 0, bold: bool = False) -> None:
        """An item-table row: name | qty | amount.

        A name too long for its column takes whole rows (wrapped between words, a syllable
        never split) and qty and amount go on its last row, or on a row of their own.
        """
        cols = ITEM_COLUMNS[self.columns]
        name_room = cols.name - 1 - indent  # one space keeps name and qty apart
        if text_width(qty) <= cols.qty and text_width(amount) < cols.amount:
            numbers = pad(qty, cols.qty, "right") + pad(amount, cols.amount, "right")
        else:  # an outsized qty or amount: both flush right on their own row
            numbers = pad(f"{qty} {amount}", cols.qty + cols.amount, "right")
            name_room = -1
        rows = wrap(name, max(name_room, 2))
        if len(rows) > 1 or name_room < 0:
            rows = wrap(name, self.columns - indent)
        for part in rows[:-1]:
            self.lines.append(TextLine(pad(" " * indent + part, self.columns), bold=bold))
        last = rows[-1]
        if text_width(last) <= name_room:
            self.lines.append(TextLine(pad(" " * indent + last, cols.name) + numbers, bold=bold))
        else:
            self.lines.append(TextLine(pad(" " * indent + last, self.columns), bold=bold))
            self.lines.append(TextLine(pad(numbers, self.columns, "right"), bold=bold))

    def indented(self, text: str, indent: int) -> None:
        """``text`` indented by ``indent`` columns over the whole width, wrapped under itself."""
        for part in wrap(text, self.columns - indent):
            self.lines.append(TextLine(pad(" " * indent + part, self.columns)))

    def layout(self, training: bool = False) -> Layout:
        return Layout(self.columns, tuple(self.lines), training)


# --- receipt sections -------------------------------------------------------------------------


def store_block(b: Builder, store: StoreHeader) -> None:
    b.text(store.name, "center", bold=True, double=True)
    number = f"사업자번호: {store.business_number}"
    owner = f"대표: {store.owner}" if store.owner else ""
    if owner and text_width(number) + 2 + text_width(owner) <= b.columns:
        b.pair(number, owner)
    else:
        b.text(number)
        if owner:
            b.text(owner)
    if store.address:
        b.text(f"주소: {store.address}")
    if store.phone:
        b.text(f"전화: {store.phone}")
    if store.pos:  # which counter: a store with several terminals finds the sale by it
        b.text(store.pos)


def _training_banner(b: Builder) -> None:
    banner = "*** 연습 TRAINING ***"
    if text_width(banner) > b.columns // 2:
        banner = "연습 TRAINING"
    b.text(banner, "center", bold=True, double=True)
    b.text("연습 거래 - 실제 결제가 아닙니다", "center")


def heading_block(b: Builder, receipt: Receipt) -> None:
    b.rule("=")
    b.text(receipt.kind.title, "center", bold=True, double=True)
    if receipt.reprint:
        b.text("** 재발행 REPRINT **", "center", bold=True)
    b.field("영수증번호", receipt.receipt_no)
    when = receipt.issued_at
    stamp = f"{when:%Y-%m-%d}({WEEKDAYS[when.weekday()]}) {when:%H:%M:%S}"
    if text_width(stamp) > b.columns - LABEL_COLUMNS - 2:  # 58 mm: no room for the weekday
        stamp = f"{when:%Y-%m-%d %H:%M:%S}"
    b.field("거래일시", stamp)
    if receipt.original_receipt_no:
        b.field("원영수증", receipt.original_receipt_no)
    if receipt.cashier:
        b.field("담당자", receipt.cashier)
    for label, value in receipt.extra:
        b.field(label, value)


def order_number_block(b: Builder, number: int | None) -> None:
    """The 주문번호, four times the size: the customer matches it against the board."""
    if number is None:
        return
    b.rule("=")
    b.text("주문번호 ORDER NO.", "center", bold=True)
    b.big(str(number))


def _item(b: Builder, line: ReceiptLine, negative: bool) -> None:
    name = f"{'*' if line.tax_free else ''}{line.name}"
    amount = "서비스" if line.service else amount_text(line.amount, negative)
    b.row(name, str(line.qty), amount)
    for option in line.options:
        b.indented(f"+ {option}", 2)
    if line.discount and not line.service:
        b.row("할인", "", amount_text(line.discount, not negative), indent=2)


def items_block(b: Builder, receipt: Receipt) -> None:
    b.rule("=")
    b.row("상품명", "수량", "금액")
    b.rule("-")
    negative = receipt.kind.negative
    for line in receipt.lines:
        _item(b, line, negative)


def totals_block(b: Builder, receipt: Receipt) -> None:
    neg = receipt.kind.negative
    t = receipt.totals
    line_discounts = receipt.discount_total - receipt.order_discount
    b.rule("-")
    if receipt.discount_total or t.service_charge:
        b.pair("상품 합계", amount_text(receipt.goods_total, neg))
    if receipt.order_discount:
        b.pair("주문 할인", amount_text(receipt.order_discount, not neg))
    if line_discounts:
        b.pair("할인 합계", amount_text(receipt.discount_total, not neg))
    if t.service_charge:
        b.pair("봉사료", amount_text(t.service_charge, neg))
    b.pair("합계", amount_text(t.total, neg), bold=True, double=True)
    b.rule("-")
    b.pair("과세물품가액", amount_text(t.supply, neg))
    b.pair("부가세", amount_text(t.vat, neg))
    if t.tax_free:
        b.pair("면세물품가액", amount_text(t.tax_free, neg))
    if any(line.tax_free for line in receipt.lines):
        b.text("* 표시는 면세 품목입니다")


def _card(b: Builder, tender: CardTender, neg: bool) -> None:
    b.pair("신용카드" + (" 취소" if neg else ""), amount_text(tender.amount, neg), bold=True)
    b.field("카드사", tender.issuer)
    b.field("카드번호", tender.grouped_pan)
    b.field("할부", tender.installment_text)
    b.field("승인번호", tender.approval_no)
    if tender.original_approval_no:
        b.field("원승인번호", tender.original_approval_no)
    if tender.approved_at is not None:
        b.field("승인일시", f"{tender.approved_at:%Y-%m-%d %H:%M:%S}")
    if tender.merchant_no:
        b.field("가맹점번호", tender.merchant_no)
    if tender.acquirer:
        b.field("매입사", tender.acquirer)


def _cash(b: Builder, tender: CashTender, neg: bool) -> None:
    b.pair("현금" + (" 환불" if neg else ""), amount_text(tender.amount, neg), bold=True)
    if not neg and tender.received is not None:
        b.pair("받은 금액", amount_text(tender.received))
        b.pair("거스름돈", amount_text(tender.change))
    receipt = tender.cash_receipt
    if receipt is not None:
        title = f"현금영수증{' 취소' if neg else ''} ({receipt.purpose.value})"
        b.text(title + (" 자진발급" if receipt.self_issued else ""))
        b.field("식별번호", receipt.identity)
        b.field("승인번호", receipt.approval_no)
    again = tender.reissued
    if neg and again is not None:  # the receipt for what the customer kept, issued anew
        b.pair(f"현금영수증 재발급 ({again.purpose.value})", amount_text(tender.kept))
        b.field("식별번호", again.identity)
        b.field("승인번호", again.approval_no)


def _easy_pay(b: Builder, tender: EasyPayTender, neg: bool) -> None:
    b.pair(f"간편결제 {tender.wallet}" + (" 취소" if neg else ""),
           amount_text(tender.amount, neg), bold=True)
    b.field("승인번호", tender.approval_no)
    if tender.original_approval_no:
        b.field("원승인번호", tender.original_approval_no)


def tenders_block(b: Builder, tenders: Iterable[Tender], neg: bool) -> None:
    for tender in tenders:
        b.rule("-")
        if isinstance(tender, CardTender):
            _card(b, tender, neg)
        elif isinstance(tender, CashTender):
            _cash(b, tender, neg)
        else:
            _easy_pay(b, tender, neg)


def lay_out(receipt: Receipt, columns: int = 48) -> Layout:
    """The receipt on a ``columns`` grid (48, 42 or 32)."""
    b = Builder(columns)
    if receipt.training:
        _training_banner(b)
    store_block(b, receipt.store)
    order_number_block(b, receipt.order_no)
    heading_block(b, receipt)
    items_block(b, receipt)
    totals_block(b, receipt)
    tenders_block(b, receipt.tenders, receipt.kind.negative)
    b.rule("=")
    if receipt.qr:
        b.feed()
        b.qr(receipt.qr)
    for line in receipt.footer:
        b.text(line, "center")
    if receipt.training:
        _training_banner(b)
    return b.layout(training=receipt.training)
