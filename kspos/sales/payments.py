"""The one payment interface every tender plugs into, and the cash tender.

A tender is authorised by a ``PaymentGateway``. The gateway calls ``record(session, result)``
inside the same database transaction in which it finishes its own bookkeeping (for the VAN:
clearing the network-cancel journal), so a crash can never leave money taken but not recorded.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kspos.messages import DomainError

if TYPE_CHECKING:
    from kspos.ports import CardRead, Signature
    from kspos.store.unit import Unit


MAX_CHANGE_KRW = 1_000_000  # cash received may exceed the amount by this much at most
SELF_ISSUED_ID = "0100001234"  # 자진발급 현금영수증 identity (010-000-1234), korean-rules.md


class Method(enum.StrEnum):
    CASH = "cash"
    CARD = "card"
    EASYPAY = "easypay"


METHOD_WORDS = {Method.CASH: "현금", Method.CARD: "카드", Method.EASYPAY: "간편결제"}


class PaymentError(DomainError):
    """A tender that could not be taken: a message code (kspos.messages) and its parameters."""


@dataclass(frozen=True, slots=True)
class CashReceiptRequest:
    """현금영수증 to issue with a cash tender: identity digits and purpose."""

    identity: str
    purpose: str = "deduction"  # deduction (소득공제, 00) | expense (지출증빙, 01)
    self_issued: bool = False


def identity_problem(digits: str) -> str:
    """Empty when ``digits`` is a usable 현금영수증 identity (a mobile number, a 13-19 digit
    cash-receipt card, or a 사업자등록번호 with its check digit), else why not. The cashier's
    keypad and the customer's display check the same way."""
    from kspos.config import valid_business_number

    if digits.startswith("01") and len(digits) in (10, 11):
        return ""
    if 13 <= len(digits) <= 19:
        return ""
    if len(digits) == 10:
        return "" if valid_business_number(digits) else "사업자등록번호가 올바르지 않습니다"
    return "휴대폰 번호, 현금영수증 카드 번호 또는 사업자등록번호를 입력하세요"


@dataclass(frozen=True, slots=True)
class TenderRequest:
    """What the cashier asked for: ``amount`` of the order's remaining total by ``method``."""

    method: Method
    amount: int
    receipt_no: str
    tax_free: int = 0
    service: int = 0
    training: bool = False
    tendered: int = 0  # cash handed over
    installment: int = 0
    card: CardRead | None = field(default=None, repr=False)
    signature: Signature | None = field(default=None, repr=False)
    code: str = field(default="", repr=False)  # easy-pay code
    wallet: str | None = None
    cash_receipt: CashReceiptRequest | None = None
    # Saves the order and returns its receipt number, in the transaction that commits the host
    # request's intent (before the first byte is sent): one durable commit instead of two.
    # Only gateways with ``saves_order_before_send`` get one.
    prepare: Callable[[Unit], str] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TenderResult:
    """The outcome of one tender. Card data: masked PAN and BIN only."""

    approved: bool
    method: Method
    amount: int
    message: str = ""
    code: str = ""
    tendered: int = 0
    change: int = 0
    approval_no: str | None = None
    approval_date: str | None = None
    approved_at: str | None = None
    masked_pan: str | None = None
    card_bin: str | None = None
    brand: str | None = None
    issuer_code: str | None = None
    issuer: str | None = None
    acquirer_code: str | None = None
    acquirer: str | None = None
    merchant_no: str | None = None
    installment: int = 0
    wallet: str | None = None
    van_class: str | None = None
    van_serial: str | None = None
    van_txn_id: str | None = None
    cash_receipt_purpose: str | None = None
    cash_receipt_id_masked: str | None = None
    cash_receipt_approval_no: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CancelRequest:
    """Give back ``amount`` of an earlier tender (whole or partial)."""

    payment_id: int
    method: Method
    amount: int
    remaining: int  # what is left on that tender before this cancel
    approval_no: str | None
    approval_date: str | None
    receipt_no: str
    tax_free: int = 0
    training: bool = False
    installment: int = 0
    wallet: str | None = None
    van_class: str | None = None
    van_txn_id: str | None = None
    # A cash tender with a 현금영수증: the receipt is cancelled (HK has no partial cancel) and,
    # when cash remains, issued again for the rest. The identity is asked again at refund time
    # (it is not stored); a self-issued receipt's identity is known.
    cash_receipt_approval_no: str | None = None
    cash_receipt_date: str | None = None
    cash_receipt_purpose: str | None = None
    cash_receipt_identity: str | None = field(default=None, repr=False)
    # The number the receipt for the cash kept goes to when the customer asks for another
    # one (explicit, audited); None = the same number as the original.
    cash_receipt_new_identity: str | None = field(default=None, repr=False)
    # The 면세 share of ``remaining``: what the 현금영수증 being cancelled declared as tax-free
    # (the cancel repeats it; the receipt for the cash kept declares the rest of it).
    remaining_tax_free: int = 0


def check_cash_received(amount: int, tendered: int) -> None:
    """What the customer handed over must be said (딱맞게 = exactly ``amount``), cover the
    amount, and be something a drawer can change: at most ``amount`` + 1,000,000원 (a typo such
    as 999,999,999원 is refused, not booked with 999,995,999원 change)."""
    if isinstance(tendered, bool) or not isinstance(tendered, int):
        raise PaymentError("payment.cash_not_whole")
    if tendered == 0 and amount > 0:
        raise PaymentError("payment.cash_missing")
    if tendered < amount:
        raise PaymentError("payment.cash_short", short=amount - tendered)
    if tendered - amount > MAX_CHANGE_KRW:
        raise PaymentError("payment.cash_too_much", most=MAX_CHANGE_KRW)


Recorder = Callable[["Unit", TenderResult], None]


class PaymentGateway(Protocol):
    """One tender kind (cash, card, easy pay). Blocking; the UI calls it off the GUI thread."""

    method: Method
    saves_order_before_send: bool
    """Runs ``TenderRequest.prepare`` in the transaction that commits the host request's intent
    (a host tender: the order and the 망취소 intent are one durable commit)."""
    needs_receipt_identity: bool
    """Cancelling needs the 현금영수증's identity number (the host cancels a receipt by it)."""

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        """Take the tender. On approval, call ``record`` in the transaction that commits it."""
        ...

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        """Give the money back on the same tender; ``record`` as above."""
        ...


class CashGateway:
    """Cash: nothing to ask anyone; change is what was handed over minus the amount."""

    method = Method.CASH
    saves_order_before_send = False
    needs_receipt_identity = False

    def __init__(self, db: Any) -> None:
        self.db = db

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        tendered = request.tendered
        check_cash_received(request.amount, tendered)
        result = TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                              tendered=tendered, change=tendered - request.amount,
                              message="현금 결제")
        with self.db.session() as session:
            record(session, result)
        return result

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        result = TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                              message="현금 환불")
        with self.db.session() as session:
            record(session, result)
        return result
