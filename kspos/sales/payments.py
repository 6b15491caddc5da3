"""The one payment interface every tender plugs into, and the cash tender.

A tender is authorised by a ``PaymentGateway``. The gateway calls ``record(session, result)``
inside the same database transaction in which it finishes its own bookkeeping (for the VAN:
clearing the network-cancel journal), so a crash can never leave money taken but not recorded.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from kspos.messages import DomainError
from kspos.records import DataclassFields, FrozenRecord

if TYPE_CHECKING:
    from dataclasses import Field

    from sqlmodel import Session

    from kspos.ports import CardRead, Signature

_set = object.__setattr__  # a frozen record's __init__ sets its fields through object


MAX_CHANGE_KRW = 1_000_000  # cash received may exceed the amount by this much at most
SELF_ISSUED_ID = "0100001234"  # 자진발급 현금영수증 identity (010-000-1234), korean-rules.md


class Method(enum.StrEnum):
    CASH = "cash"
    CARD = "card"
    EASYPAY = "easypay"


METHOD_WORDS = {Method.CASH: "현금", Method.CARD: "카드", Method.EASYPAY: "간편결제"}


class PaymentError(DomainError):
    """A tender that could not be taken: a message code (kspos.messages) and its parameters."""


# The requests and results are frozen records (kspos/records.py), not @dataclass: the POS
# imports this module before its first screen, and each @dataclass cost 1-2 ms. Same fields,
# keywords, equality and immutability; card data and ``prepare`` are left out of ``repr``
# (``prepare`` also out of ``==``), and ``dataclasses.replace()`` still works on them.


class CashReceiptRequest(FrozenRecord):
    """현금영수증 to issue with a cash tender: identity digits and purpose."""

    __slots__ = _fields = ("identity", "purpose", "self_issued")
    __dataclass_fields__ = DataclassFields()
    identity: str
    purpose: str  # deduction (소득공제, 00) | expense (지출증빙, 01)
    self_issued: bool

    def __init__(self, identity: str, purpose: str = "deduction",
                 self_issued: bool = False) -> None:
        _set(self, "identity", identity)
        _set(self, "purpose", purpose)
        _set(self, "self_issued", self_issued)


class TenderRequest(FrozenRecord):
    """What the cashier asked for: ``amount`` of the order's remaining total by ``method``."""

    __slots__ = _fields = ("method", "amount", "receipt_no", "tax_free", "service", "training",
                           "tendered", "installment", "card", "signature", "code", "wallet",
                           "cash_receipt", "prepare")
    _hidden = frozenset({"card", "signature", "code", "prepare"})
    _uncompared = frozenset({"prepare"})
    # Typed as what it yields, so that mypy takes ``dataclasses.replace(request, ...)`` (sales).
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]] = DataclassFields()  # type: ignore[assignment]
    method: Method
    amount: int
    receipt_no: str
    tax_free: int
    service: int
    training: bool
    tendered: int  # cash handed over
    installment: int
    card: CardRead | None
    signature: Signature | None
    code: str  # easy-pay code
    wallet: str | None
    cash_receipt: CashReceiptRequest | None
    # Saves the order and returns its receipt number, in the transaction that commits the host
    # request's intent (before the first byte is sent): one durable commit instead of two.
    # Only gateways with ``saves_order_before_send`` get one.
    prepare: Callable[[Session], str] | None

    def __init__(self, method: Method, amount: int, receipt_no: str, tax_free: int = 0,
                 service: int = 0, training: bool = False, tendered: int = 0, installment: int = 0,
                 card: CardRead | None = None, signature: Signature | None = None, code: str = "",
                 wallet: str | None = None, cash_receipt: CashReceiptRequest | None = None,
                 prepare: Callable[[Session], str] | None = None) -> None:
        _set(self, "method", method)
        _set(self, "amount", amount)
        _set(self, "receipt_no", receipt_no)
        _set(self, "tax_free", tax_free)
        _set(self, "service", service)
        _set(self, "training", training)
        _set(self, "tendered", tendered)
        _set(self, "installment", installment)
        _set(self, "card", card)
        _set(self, "signature", signature)
        _set(self, "code", code)
        _set(self, "wallet", wallet)
        _set(self, "cash_receipt", cash_receipt)
        _set(self, "prepare", prepare)


class TenderResult(FrozenRecord):
    """The outcome of one tender. Card data: masked PAN and BIN only."""

    __slots__ = _fields = ("approved", "method", "amount", "message", "code", "tendered", "change",
                           "approval_no", "approval_date", "approved_at", "masked_pan", "card_bin",
                           "brand", "issuer_code", "issuer", "acquirer_code", "acquirer",
                           "merchant_no", "installment", "wallet", "van_class", "van_serial",
                           "van_txn_id", "cash_receipt_purpose", "cash_receipt_id_masked",
                           "cash_receipt_approval_no", "extra")
    __dataclass_fields__ = DataclassFields()
    approved: bool
    method: Method
    amount: int
    message: str
    code: str
    tendered: int
    change: int
    approval_no: str | None
    approval_date: str | None
    approved_at: str | None
    masked_pan: str | None
    card_bin: str | None
    brand: str | None
    issuer_code: str | None
    issuer: str | None
    acquirer_code: str | None
    acquirer: str | None
    merchant_no: str | None
    installment: int
    wallet: str | None
    van_class: str | None
    van_serial: str | None
    van_txn_id: str | None
    cash_receipt_purpose: str | None
    cash_receipt_id_masked: str | None
    cash_receipt_approval_no: str | None
    extra: dict[str, Any]

    def __init__(self, approved: bool, method: Method, amount: int, message: str = "",
                 code: str = "", tendered: int = 0, change: int = 0, approval_no: str | None = None,
                 approval_date: str | None = None, approved_at: str | None = None,
                 masked_pan: str | None = None, card_bin: str | None = None,
                 brand: str | None = None, issuer_code: str | None = None,
                 issuer: str | None = None, acquirer_code: str | None = None,
                 acquirer: str | None = None, merchant_no: str | None = None, installment: int = 0,
                 wallet: str | None = None, van_class: str | None = None,
                 van_serial: str | None = None, van_txn_id: str | None = None,
                 cash_receipt_purpose: str | None = None, cash_receipt_id_masked: str | None = None,
                 cash_receipt_approval_no: str | None = None, extra: dict[str,
                 Any] | None = None) -> None:
        _set(self, "approved", approved)
        _set(self, "method", method)
        _set(self, "amount", amount)
        _set(self, "message", message)
        _set(self, "code", code)
        _set(self, "tendered", tendered)
        _set(self, "change", change)
        _set(self, "approval_no", approval_no)
        _set(self, "approval_date", approval_date)
        _set(self, "approved_at", approved_at)
        _set(self, "masked_pan", masked_pan)
        _set(self, "card_bin", card_bin)
        _set(self, "brand", brand)
        _set(self, "issuer_code", issuer_code)
        _set(self, "issuer", issuer)
        _set(self, "acquirer_code", acquirer_code)
        _set(self, "acquirer", acquirer)
        _set(self, "merchant_no", merchant_no)
        _set(self, "installment", installment)
        _set(self, "wallet", wallet)
        _set(self, "van_class", van_class)
        _set(self, "van_serial", van_serial)
        _set(self, "van_txn_id", van_txn_id)
        _set(self, "cash_receipt_purpose", cash_receipt_purpose)
        _set(self, "cash_receipt_id_masked", cash_receipt_id_masked)
        _set(self, "cash_receipt_approval_no", cash_receipt_approval_no)
        _set(self, "extra", {} if extra is None else extra)


class CancelRequest(FrozenRecord):
    """Give back ``amount`` of an earlier tender (whole or partial)."""

    __slots__ = _fields = ("payment_id", "method", "amount", "remaining", "approval_no",
                           "approval_date", "receipt_no", "tax_free", "training", "installment",
                           "wallet", "van_class", "van_txn_id", "cash_receipt_approval_no",
                           "cash_receipt_date", "cash_receipt_purpose", "cash_receipt_identity",
                           "cash_receipt_new_identity", "remaining_tax_free")
    _hidden = frozenset({"cash_receipt_identity", "cash_receipt_new_identity"})
    __dataclass_fields__ = DataclassFields()
    payment_id: int
    method: Method
    amount: int
    remaining: int  # what is left on that tender before this cancel
    approval_no: str | None
    approval_date: str | None
    receipt_no: str
    tax_free: int
    training: bool
    installment: int
    wallet: str | None
    van_class: str | None
    van_txn_id: str | None
    # A cash tender with a 현금영수증: the receipt is cancelled (HK has no partial cancel) and,
    # when cash remains, issued again for the rest. The identity is asked again at refund time
    # (it is not stored); a self-issued receipt's identity is known.
    cash_receipt_approval_no: str | None
    cash_receipt_date: str | None
    cash_receipt_purpose: str | None
    cash_receipt_identity: str | None
    # The number the receipt for the cash kept goes to when the customer asks for another
    # one (explicit, audited); None = the same number as the original.
    cash_receipt_new_identity: str | None
    # The 면세 share of ``remaining``: what the 현금영수증 being cancelled declared as tax-free
    # (the cancel repeats it; the receipt for the cash kept declares the rest of it).
    remaining_tax_free: int

    def __init__(self, payment_id: int, method: Method, amount: int, remaining: int,
                 approval_no: str | None, approval_date: str | None, receipt_no: str,
                 tax_free: int = 0, training: bool = False, installment: int = 0,
                 wallet: str | None = None, van_class: str | None = None,
                 van_txn_id: str | None = None, cash_receipt_approval_no: str | None = None,
                 cash_receipt_date: str | None = None, cash_receipt_purpose: str | None = None,
                 cash_receipt_identity: str | None = None,
                 cash_receipt_new_identity: str | None = None,
                 remaining_tax_free: int = 0) -> None:
        _set(self, "payment_id", payment_id)
        _set(self, "method", method)
        _set(self, "amount", amount)
        _set(self, "remaining", remaining)
        _set(self, "approval_no", approval_no)
        _set(self, "approval_date", approval_date)
        _set(self, "receipt_no", receipt_no)
        _set(self, "tax_free", tax_free)
        _set(self, "training", training)
        _set(self, "installment", installment)
        _set(self, "wallet", wallet)
        _set(self, "van_class", van_class)
        _set(self, "van_txn_id", van_txn_id)
        _set(self, "cash_receipt_approval_no", cash_receipt_approval_no)
        _set(self, "cash_receipt_date", cash_receipt_date)
        _set(self, "cash_receipt_purpose", cash_receipt_purpose)
        _set(self, "cash_receipt_identity", cash_receipt_identity)
        _set(self, "cash_receipt_new_identity", cash_receipt_new_identity)
        _set(self, "remaining_tax_free", remaining_tax_free)


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


Recorder = Callable[["Session", TenderResult], None]


class PaymentGateway(Protocol):
    """One tender kind (cash, card, easy pay). Blocking; the UI calls it off the GUI thread."""

    method: Method

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        """Take the tender. On approval, call ``record`` in the transaction that commits it."""
        ...

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        """Give the money back on the same tender; ``record`` as above."""
        ...


class CashGateway:
    """Cash: nothing to ask anyone; change is what was handed over minus the amount."""

    method = Method.CASH

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
