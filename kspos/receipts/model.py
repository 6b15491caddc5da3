"""The receipt as printed: plain frozen dataclasses, independent of the order tables.

The sales core fills a :class:`Receipt` from an order and its payments; the layout and the two
renderers (ESC/POS text, raster) only ever read this model. Amounts are integer KRW and are
always given as positive magnitudes: a refund or cancel slip prints them with a minus sign.

Checks made on construction (a ``ValueError`` names what disagrees), so a receipt whose numbers
do not add up never reaches paper:

* ``totals``: supply + VAT + tax-free + 봉사료 == 합계;
* lines: Σ(amount − discount of the charged lines) − order discount + 봉사료 == 합계
  (서비스 lines are listed but not charged);
* tenders, when any: Σ tender amounts == 합계; cash: received − change == amount;
* card numbers are masked again here (first 6 / last 4 at most), so a full PAN can never be
  printed; the model has no field for an expiry date.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.devices.cards import mask_identity, mask_pan

if TYPE_CHECKING:
    from kspos.config import StoreSettings
    from kspos.money import VatSplit

# YYYYMMDD-TT-NNNN (TT: the terminal); YYYYMMDD-NNNN in stores older than terminal numbers
RECEIPT_NO = re.compile(r"^\d{8}-(\d{2}-)?\d{4,}$")


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalizing a frozen dataclass in __post_init__


def _check_amount(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int number of won, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (give magnitudes), got {value}")


def format_business_number(number: str) -> str:
    """``2208162517`` or ``220-81-62517`` → ``220-81-62517``; ValueError if not 10 digits."""
    digits = "".join(c for c in str(number) if c.isdigit())
    if len(digits) != 10 or len(digits) != len(str(number).replace("-", "").strip()):
        raise ValueError(f"사업자등록번호 must be 10 digits (XXX-XX-XXXXX), got {number!r}")
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


@dataclass(frozen=True, slots=True)
class StoreHeader:
    """The store block at the top: name, 사업자등록번호 (formatted), 대표자, address, phone,
    and which terminal printed it (``pos``: "S0001 POS 01"; empty: not printed)."""

    name: str
    business_number: str
    owner: str = ""
    address: str = ""
    phone: str = ""
    pos: str = ""

    def __post_init__(self) -> None:
        _set(self, "business_number", format_business_number(self.business_number))

    @classmethod
    def from_settings(cls, store: StoreSettings) -> StoreHeader:
        """The header from the config's ``[store]`` section."""
        return cls(name=store.name, business_number=store.business_number, owner=store.owner,
                   address=store.address, phone=store.phone, pos=store.pos_label)


class ReceiptKind(enum.Enum):
    """What the slip is; refund and cancel slips print amounts negative."""

    SALE = "sale"
    REFUND = "refund"  # 환불: some lines returned
    CANCEL = "cancel"  # 취소: the whole sale voided

    @property
    def title(self) -> str:
        return {"sale": "영수증", "refund": "환불 영수증", "cancel": "취소 영수증"}[self.value]

    @property
    def negative(self) -> bool:
        return self is not ReceiptKind.SALE


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One sold line.

    ``amount`` is qty × unit price with options, before the line's discount. A 서비스
    (complimentary) line is listed, marked 서비스, and not charged: its ``amount`` is the list
    price for information only. ``discount`` is this line's discount in won.
    """

    name: str
    qty: int
    amount: int
    options: tuple[str, ...] = ()
    service: bool = False
    discount: int = 0
    tax_free: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.qty, int) or self.qty < 1:
            raise ValueError(f"{self.name}: qty must be a whole number ≥ 1, got {self.qty!r}")
        _check_amount(f"{self.name}: amount", self.amount)
        _check_amount(f"{self.name}: discount", self.discount)
        if self.discount > self.amount:
            raise ValueError(f"{self.name}: discount {self.discount} exceeds amount {self.amount}")
        _set(self, "options", tuple(str(o) for o in self.options))

    @property
    def charged(self) -> int:
        """What the customer pays for this line."""
        return 0 if self.service else self.amount - self.discount


@dataclass(frozen=True, slots=True)
class Totals:
    """The VAT block: 합계 = 공급가액 + 부가세 + 면세물품가액 + 봉사료."""

    total: int
    supply: int
    vat: int
    tax_free: int = 0
    service_charge: int = 0  # 봉사료 (a charge on top), not the 서비스 lines

    def __post_init__(self) -> None:
        for name in ("total", "supply", "vat", "tax_free", "service_charge"):
            _check_amount(name, getattr(self, name))
        parts = self.supply + self.vat + self.tax_free + self.service_charge
        if parts != self.total:
            raise ValueError(f"totals disagree: supply {self.supply} + VAT {self.vat} + tax-free "
                             f"{self.tax_free} + 봉사료 {self.service_charge} = {parts}, "
                             f"not the total {self.total}")

    @classmethod
    def from_split(cls, split: VatSplit) -> Totals:
        """From :func:`kspos.money.vat_split` (rounded once per sale)."""
        return cls(total=split.total, supply=split.supply, vat=split.vat,
                   tax_free=split.tax_free, service_charge=split.service)


class CashReceiptPurpose(enum.Enum):
    DEDUCTION = "소득공제"  # individuals
    EXPENSE = "지출증빙"  # businesses


@dataclass(frozen=True, slots=True)
class CashReceipt:
    """A 현금영수증 issued for a cash tender; ``identity`` is masked again on construction."""

    purpose: CashReceiptPurpose
    identity: str
    approval_no: str
    self_issued: bool = False  # 자진발급 (010-000-1234)

    def __post_init__(self) -> None:
        visible = sum(c.isdigit() for c in self.identity)
        if visible > 7:  # a raw number (unmasked): mask it here, never print it whole
            _set(self, "identity", mask_identity(self.identity))


@dataclass(frozen=True, slots=True)
class CashTender:
    """Cash: ``amount`` applied to the sale = ``received`` − ``change``."""

    amount: int
    received: int | None = None
    change: int = 0
    cash_receipt: CashReceipt | None = None
    # Refund slips: the 현금영수증 issued again for the cash the customer kept (HK has no
    # partial cancel), and that amount.
    reissued: CashReceipt | None = None
    kept: int = 0

    def __post_init__(self) -> None:
        _check_amount("cash amount", self.amount)
        _check_amount("change", self.change)
        _check_amount("cash kept", self.kept)
        if self.received is None:
            _set(self, "received", self.amount + self.change)
        elif self.received - self.change != self.amount:
            raise ValueError(f"cash: received {self.received} − change {self.change} "
                             f"is not the amount {self.amount}")


@dataclass(frozen=True, slots=True)
class CardTender:
    """A card approval. ``masked_pan`` is re-masked (first 6 / last 4 at most); no expiry."""

    amount: int
    issuer: str
    masked_pan: str
    approval_no: str
    installment: int = 0  # 0 or 1 = 일시불
    merchant_no: str = ""
    acquirer: str = ""
    approved_at: datetime | None = None
    original_approval_no: str = ""  # cancel slips: the sale's approval beside the cancel's

    def __post_init__(self) -> None:
        _check_amount("card amount", self.amount)
        if not 0 <= self.installment <= 36:
            raise ValueError(f"installment must be 0 (일시불) or 2-36 months, "
                             f"got {self.installment}")
        _set(self, "masked_pan", safe_masked_pan(self.masked_pan))

    @property
    def installment_text(self) -> str:
        return "일시불" if self.installment <= 1 else f"{self.installment}개월"

    @property
    def grouped_pan(self) -> str:
        """The masked number grouped by four with '-': ``5365-10**-****-0006``."""
        pan = self.masked_pan
        return "-".join(pan[i:i + 4] for i in range(0, len(pan), 4))


def safe_masked_pan(pan: str) -> str:
    """Keep the masked form, masking again whatever shows more than first 6 / last 4."""
    chars = [c for c in pan if c.isdigit() or c == "*"]
    if len(chars) < 10:
        return "*" * len(chars)
    digits_only = "".join(chars)
    if digits_only.isdigit():
        return mask_pan(digits_only)
    tail = min(4, max(0, len(chars) - 12))
    middle = ["*"] * (len(chars) - 6 - tail)
    return "".join(chars[:6] + middle + (chars[-tail:] if tail else []))


@dataclass(frozen=True, slots=True)
class EasyPayTender:
    """An easy-pay (QR / barcode wallet) approval."""

    amount: int
    wallet: str  # display name, e.g. 카카오페이
    approval_no: str
    original_approval_no: str = ""  # cancel slips: the sale's approval beside the cancel's

    def __post_init__(self) -> None:
        _check_amount("easy-pay amount", self.amount)


Tender = CashTender | CardTender | EasyPayTender


@dataclass(frozen=True, slots=True)
class Receipt:
    """Everything one slip prints. Build it with keywords; see the module doc for checks."""

    store: StoreHeader
    kind: ReceiptKind
    receipt_no: str  # YYYYMMDD-TT-NNNN (older stores: YYYYMMDD-NNNN)
    issued_at: datetime
    lines: tuple[ReceiptLine, ...]
    totals: Totals
    tenders: tuple[Tender, ...] = ()
    order_discount: int = 0
    training: bool = False  # prints the 연습 watermark
    reprint: bool = False  # prints 재발행
    qr: str = ""  # QR payload (receipt lookup); empty = no QR
    footer: tuple[str, ...] = ()
    original_receipt_no: str = ""  # refund / cancel slips: the sale they undo
    cashier: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())  # more label/value pairs (테이블...)
    order_no: int | None = None  # 주문번호 (takeout/cafe, docs/pickup.md): printed large

    def __post_init__(self) -> None:
        if not RECEIPT_NO.match(self.receipt_no):
            raise ValueError("receipt number must be YYYYMMDD-TT-NNNN, got "
                             f"{self.receipt_no!r}")
        for name in ("lines", "tenders", "footer", "extra"):
            _set(self, name, tuple(getattr(self, name)))
        _check_amount("order discount", self.order_discount)
        self._check_sums()

    def _check_sums(self) -> None:
        charged = sum(line.charged for line in self.lines)
        due = charged - self.order_discount + self.totals.service_charge
        if due != self.totals.total:
            raise ValueError(f"lines disagree with the total: charged lines {charged} − order "
                             f"discount {self.order_discount} + 봉사료 "
                             f"{self.totals.service_charge} = {due}, total {self.totals.total}")
        tax_free = sum(line.charged for line in self.lines if line.tax_free)
        if self.totals.tax_free and tax_free == 0:
            raise ValueError("totals show 면세물품가액 but no line is tax-free")
        if self.tenders:
            paid = sum(t.amount for t in self.tenders)
            if paid != self.totals.total:
                raise ValueError(f"tenders add up to {paid}, not the total {self.totals.total}")

    @property
    def goods_total(self) -> int:
        """상품 합계: the charged lines before any discount."""
        return sum(line.amount for line in self.lines if not line.service)

    @property
    def discount_total(self) -> int:
        """Line discounts plus the order discount."""
        return sum(line.discount for line in self.lines if not line.service) + self.order_discount
