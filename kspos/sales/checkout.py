"""The card and easy-pay payment flows as explicit state machines, without Qt.

A payment dialog forwards the cashier's taps and the devices' results here as events and
draws whatever state the machine is in; it decides nothing itself. The machines do no I/O:
reading the card, cancelling a read and sending the tender stay on the screens' device
worker threads, started when the machine enters the state that asks for them
(WAITING_FOR_CARD: read; RECHOOSING: cancel the read; APPROVING: send :meth:`take_request`).

Card (할부 is chosen *before* the card is read, so the reader is never left waiting while the
customer decides; 할부 변경 during a read goes through RECHOOSING, which cancels the read and
drops whatever it brings)::

    NEW ─open─▶ [REVERSAL_PENDING | NO_READER]
              ─▶ (CHOOSING_INSTALLMENT, from 50,000원) ─▶ WAITING_FOR_CARD ◀─retry (swipe)─┐
    WAITING_FOR_CARD ─chip failed─▶ CHIP_FALLBACK ─────────────────────────────────────────┘
                     ─card read─▶ (SIGNATURE, above 50,000원) ─▶ APPROVING
    APPROVING ─answer─▶ DONE | DECLINED | REVERSAL_PENDING;  ─error─▶ FAILED
    DECLINED / FAILED / REVERSAL_PENDING ─retry─▶ the checks at the top again

Easy pay: WAITING_FOR_CODE ─scan─▶ (CHOOSING_WALLET when the code names no wallet) ─pay─▶
APPROVING ─▶ DONE | DECLINED | FAILED | REVERSAL_PENDING; a new scan starts over.

A 망취소 still owed (``reversal_pending()``, asked at every start and after every unapproved
answer) holds the machine in REVERSAL_PENDING: no new card or easy-pay request goes out.

Refusals: an event the current state does not take raises :class:`CheckoutRefused` (naming the
state and the event) and changes nothing; :meth:`accepts` asks first, which is how a screen
drops a device result that arrives after the cashier cancelled. What the cashier must fix
(an empty signature pad, a product barcode, no wallet picked) is not a refusal: the state
stays and :attr:`notice` says what is missing.

Sending a tender (APPROVING) runs the gateway's three steps on the VAN worker, all inside
``Register.pay`` → ``SalesService.take_tender`` → ``CardGateway``/``EasyPayGateway`` →
``VanClient._transact``: *begin* (``NetworkCancelJournal.begin`` runs ``TenderRequest.prepare``,
which saves the order, and commits the 망취소 intent in the same transaction), *send*
(``VanClient._exchange`` over the VanLink) and *settle* (``NetworkCancelJournal.settle`` clears
the intent and runs the sale's recorder: payment, paid state and the slip, in one transaction).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from kspos.devices.scanning import classify_scan
from kspos.messages import DomainError
from kspos.money import INSTALLMENT_FROM_KRW, SIGNATURE_ABOVE_KRW
from kspos.ports import CardRead, ReadResult, Signature
from kspos.sales.payments import Method, TenderRequest, TenderResult

MAX_INSTALLMENT_MONTHS = 12  # korean-rules allow 2-36; the VAN client and the screen take 2-12


def needs_signature(amount: int) -> bool:
    """무서명 up to 50,000원: a card payment above it needs the customer's signature."""
    return amount > SIGNATURE_ABOVE_KRW


def offers_installments(amount: int) -> bool:
    """할부 is offered from 50,000원; under it every card payment is 일시불."""
    return amount >= INSTALLMENT_FROM_KRW


class CheckoutRefused(DomainError, ValueError):
    """An event the machine's current state does not take; the state is unchanged.

    A mistake of the caller, not of the cashier: ``str()`` stays English for the logs."""

    plain = True


class Notice(enum.Enum):
    """What the cashier must fix before the flow can go on (the state stays)."""

    SIGN_FIRST = "sign_first"  # 확인 on an empty signature pad
    NOT_A_PAYMENT_CODE = "not_a_payment_code"  # a product barcode, or nothing readable
    PICK_WALLET = "pick_wallet"  # 결제 before a wallet was picked


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Open:
    """The dialog shows: the flow starts."""


@dataclass(frozen=True, slots=True)
class Retry:
    """다시 시도. After a chip failure this is the fallback: the reader reads again for a swipe."""


@dataclass(frozen=True, slots=True)
class Cancel:
    """다른 결제수단: the cashier gives up this tender (not while a request is on the wire)."""


@dataclass(frozen=True, slots=True)
class ChooseInstallment:
    months: int  # 0 = 일시불, else 2-12


@dataclass(frozen=True, slots=True)
class ChangeInstallment:
    """할부 변경 while waiting for the card."""


@dataclass(frozen=True, slots=True)
class ReadStarted:
    """The screen started a read on the reader (in demo mode, once a test card is picked)."""


@dataclass(frozen=True, slots=True)
class CardInserted:
    card: CardRead  # a successful read (ReadResult.READ)


@dataclass(frozen=True, slots=True)
class ChipFailed:
    """The chip could not be read: the reader asks for a swipe."""


@dataclass(frozen=True, slots=True)
class ReadFailed:
    result: ReadResult  # timed out, cancelled or a reader error


@dataclass(frozen=True, slots=True)
class Signed:
    signature: Signature | None  # None or no ink: the pad was empty


@dataclass(frozen=True, slots=True)
class Answered:
    """The tender came back from the gateway: approved, declined, or not answered (망취소 ran)."""

    result: TenderResult


@dataclass(frozen=True, slots=True)
class Failed:
    """The reader or the tender raised (a VAN error, a store error): its message."""

    message: str


@dataclass(frozen=True, slots=True)
class Scanned:
    raw: str  # what the scanner gave, unclassified


@dataclass(frozen=True, slots=True)
class Pay:
    wallet: str | None  # the wallet the cashier's pick shows (None: none picked)


Event = (Open | Retry | Cancel | ChooseInstallment | ChangeInstallment | ReadStarted
         | CardInserted | ChipFailed | ReadFailed | Signed | Answered | Failed | Scanned | Pay)


def read_event(card: CardRead) -> CardInserted | ChipFailed | ReadFailed:
    """The event for what a reader's ``read_card`` returned."""
    if card.result is ReadResult.READ:
        return CardInserted(card)
    if card.result is ReadResult.FALLBACK:
        return ChipFailed()
    return ReadFailed(card.result)


# --- the machines ---------------------------------------------------------------------------


S = TypeVar("S", bound=enum.Enum)


class _Machine(Generic[S]):
    """What both flows share: the state, the refusal rule and the outcome of the tender."""

    # event type → the states that take it (a handler may refuse more, with its reason)
    TAKES: ClassVar[Mapping[type, frozenset[enum.Enum]]] = {}

    def __init__(self, amount: int, reversal_pending: Callable[[], bool], state: S) -> None:
        self.amount = amount
        self.reversal_pending = reversal_pending
        self.state = state
        self.notice: Notice | None = None
        self.message = ""  # the host's or the error's words in DECLINED/FAILED/REVERSAL_PENDING
        self.result: TenderResult | None = None  # the approved tender, in DONE
        self._request: TenderRequest | None = None

    def refusal(self, event: Event) -> str | None:
        """Why the current state does not take ``event``; None when it does."""
        if self.state not in self.TAKES.get(type(event), frozenset()):
            return "not taken in this state"
        return None

    def accepts(self, event: Event) -> bool:
        """Whether :meth:`handle` would take ``event`` now."""
        return self.refusal(event) is None

    def handle(self, event: Event) -> S:
        """Apply ``event``; the new state. Raises CheckoutRefused (state unchanged) when the
        current state does not take it."""
        reason = self.refusal(event)
        if reason is not None:
            raise CheckoutRefused("checkout.refused", event=type(event).__name__,
                                  state=self.state.name, reason=reason)
        self.notice = None
        # one handler per event, named after it; TAKES above keeps it from running elsewhere
        getattr(self, "_on_" + type(event).__name__)(event)
        return self.state

    def take_request(self) -> TenderRequest:
        """The tender to send, once, on entering APPROVING (card data and payment codes live
        only in it from here on)."""
        request, self._request = self._request, None
        if request is None:
            raise CheckoutRefused("checkout.no_request", state=self.state.name)
        return request

    def _answered(self, result: TenderResult, done: S, declined: S, pending: S) -> None:
        if result.approved:
            self.state, self.result = done, result
            return
        # A 0440 still owed is asked, never read from the words: it pauses the next tender.
        self.message = result.message
        self.state = pending if self.reversal_pending() else declined


class CardState(enum.Enum):
    NEW = "new"
    NO_READER = "no_reader"
    REVERSAL_PENDING = "reversal_pending"
    CHOOSING_INSTALLMENT = "choosing_installment"
    WAITING_FOR_CARD = "waiting_for_card"
    RECHOOSING = "rechoosing"  # 할부 변경 during a read: the read is being cancelled
    CHIP_FALLBACK = "chip_fallback"
    SIGNATURE = "signature"
    APPROVING = "approving"
    DONE = "done"
    DECLINED = "declined"
    FAILED = "failed"
    CANCELLED = "cancelled"


_C = CardState
_RETRYABLE = frozenset({_C.REVERSAL_PENDING, _C.CHIP_FALLBACK, _C.FAILED, _C.DECLINED})
_READ_ENDS = frozenset({_C.WAITING_FOR_CARD, _C.RECHOOSING})


class CardCheckout(_Machine[CardState]):
    """One card tender of ``amount``: 할부, the read, the signature and the approval.

    ``reversal_pending`` says whether a 망취소 is owed (AppContext.reversal_pending);
    ``has_reader`` whether a card reader is configured at all.
    """

    TAKES: ClassVar[Mapping[type, frozenset[enum.Enum]]] = {
        Open: frozenset({_C.NEW}),
        Retry: _RETRYABLE,
        Cancel: frozenset(_C) - {_C.APPROVING, _C.DONE, _C.CANCELLED},
        ChooseInstallment: frozenset({_C.CHOOSING_INSTALLMENT}),
        ChangeInstallment: frozenset({_C.WAITING_FOR_CARD}),
        ReadStarted: frozenset({_C.WAITING_FOR_CARD}),
        CardInserted: _READ_ENDS,
        ChipFailed: _READ_ENDS,
        ReadFailed: _READ_ENDS,
        Signed: frozenset({_C.SIGNATURE}),
        Answered: frozenset({_C.APPROVING}),
        Failed: frozenset({_C.WAITING_FOR_CARD, _C.RECHOOSING, _C.APPROVING}),
    }

    def __init__(self, amount: int, *, reversal_pending: Callable[[], bool],
                 has_reader: bool = True) -> None:
        super().__init__(amount, reversal_pending, CardState.NEW)
        self.has_reader = has_reader
        self.months: int | None = None  # the chosen 할부; None: not chosen yet
        self.card: CardRead | None = None  # the read card, until the request takes it
        self.reading = False  # a read is on the reader (a result will come back)
        self.read_result: ReadResult | None = None  # why a read failed, in FAILED
        self._keep_months = False  # retry keeps the 할부 (not after the host declined)

    def refusal(self, event: Event) -> str | None:
        reason = super().refusal(event)
        if reason is not None:
            return reason
        if isinstance(event, ReadStarted) and self.reading:
            return "a read is already on the reader"
        if isinstance(event, (CardInserted, ChipFailed, ReadFailed)) and not self.reading:
            return "no read was started"
        if isinstance(event, Failed) and self.state is _C.WAITING_FOR_CARD and not self.reading:
            return "nothing is running"
        if isinstance(event, ChangeInstallment) and not offers_installments(self.amount):
            return f"no 할부 under {INSTALLMENT_FROM_KRW:,}원"
        if isinstance(event, ChooseInstallment) and not (
                event.months == 0 or 2 <= event.months <= MAX_INSTALLMENT_MONTHS):
            return f"할부 is 0 (일시불) or 2-{MAX_INSTALLMENT_MONTHS} months, not {event.months}"
        return None

    def _start(self, months: int | None) -> None:
        """The checks every (re)start makes, then 할부 (unless ``months`` is kept) or the card."""
        self.card, self.months, self.read_result, self.message = None, None, None, ""
        self._keep_months = True
        if self.reversal_pending():
            self.state = _C.REVERSAL_PENDING
        elif not self.has_reader:
            self.state = _C.NO_READER
        elif months is None and offers_installments(self.amount):
            self.state = _C.CHOOSING_INSTALLMENT
        else:
            self.months = months or 0
            self.state = _C.WAITING_FOR_CARD

    def _on_Open(self, event: Open) -> None:  # noqa: N802 - named after the event
        self._start(None)

    def _on_Retry(self, event: Retry) -> None:  # noqa: N802
        self._start(self.months if self._keep_months else None)

    def _on_Cancel(self, event: Cancel) -> None:  # noqa: N802
        self.card, self.state = None, _C.CANCELLED

    def _on_ChooseInstallment(self, event: ChooseInstallment) -> None:  # noqa: N802
        self.months, self.state = event.months, _C.WAITING_FOR_CARD

    def _on_ChangeInstallment(self, event: ChangeInstallment) -> None:  # noqa: N802
        if self.reading:  # the read must end first; whatever it brings is dropped
            self.state = _C.RECHOOSING
        else:
            self._start(None)

    def _on_ReadStarted(self, event: ReadStarted) -> None:  # noqa: N802
        self.reading = True

    def _on_CardInserted(self, event: CardInserted) -> None:  # noqa: N802
        self.reading = False
        if self.state is _C.RECHOOSING:  # a card read too late: the 할부 is chosen again
            self._start(None)
            return
        self.card = event.card
        if needs_signature(self.amount):
            self.state = _C.SIGNATURE
        else:
            self._approve(None)

    def _on_ChipFailed(self, event: ChipFailed) -> None:  # noqa: N802
        self.reading = False
        if self.state is _C.RECHOOSING:
            self._start(None)
        else:
            self.state = _C.CHIP_FALLBACK

    def _on_ReadFailed(self, event: ReadFailed) -> None:  # noqa: N802
        self.reading = False
        if self.state is _C.RECHOOSING:  # the cancelled read ends here, as it should
            self._start(None)
        else:
            self.read_result, self.state = event.result, _C.FAILED

    def _on_Signed(self, event: Signed) -> None:  # noqa: N802
        if event.signature is None or not event.signature.has_ink():
            self.notice = Notice.SIGN_FIRST
            return
        self._approve(event.signature)

    def _approve(self, signature: Signature | None) -> None:
        assert self.card is not None
        self._request = TenderRequest(Method.CARD, self.amount, "", card=self.card,
                                      signature=signature, installment=self.months or 0)
        self.card = None  # track-2 lives only in the request from here on
        self.state = _C.APPROVING

    def _on_Answered(self, event: Answered) -> None:  # noqa: N802
        self._keep_months = False  # e.g. 할부불가: the cashier chooses again
        self._answered(event.result, _C.DONE, _C.DECLINED, _C.REVERSAL_PENDING)

    def _on_Failed(self, event: Failed) -> None:  # noqa: N802
        self.reading, self._request = False, None
        self.message, self.state = event.message, _C.FAILED


class EasyPayState(enum.Enum):
    WAITING_FOR_CODE = "waiting_for_code"
    CHOOSING_WALLET = "choosing_wallet"  # the code names no wallet: the cashier picks it
    REVERSAL_PENDING = "reversal_pending"
    APPROVING = "approving"
    DONE = "done"
    DECLINED = "declined"
    FAILED = "failed"
    CANCELLED = "cancelled"


_E = EasyPayState
_SCANNABLE = frozenset({_E.WAITING_FOR_CODE, _E.CHOOSING_WALLET, _E.REVERSAL_PENDING,
                        _E.DECLINED, _E.FAILED})


class EasyPayCheckout(_Machine[EasyPayState]):
    """One easy-pay tender of ``amount``: the customer's code (its wallet detected or picked
    by hand), then the approval. A code is good for one request; a new scan starts over."""

    TAKES: ClassVar[Mapping[type, frozenset[enum.Enum]]] = {
        Scanned: _SCANNABLE,
        Pay: frozenset({_E.CHOOSING_WALLET, _E.REVERSAL_PENDING}),
        Answered: frozenset({_E.APPROVING}),
        Failed: frozenset({_E.APPROVING}),
        Cancel: _SCANNABLE,
    }

    def __init__(self, amount: int, *, reversal_pending: Callable[[], bool]) -> None:
        super().__init__(amount, reversal_pending, EasyPayState.WAITING_FOR_CODE)
        self.code = ""  # the scanned payment code, until the request takes it
        self.wallet: str | None = None  # detected from the code, or picked
        self.detected = False  # the wallet came from the code (no pick needed)

    def _on_Scanned(self, event: Scanned) -> None:  # noqa: N802 - named after the event
        kind = classify_scan(event.raw)
        if not kind.value or kind.kind == "product":
            self.notice = Notice.NOT_A_PAYMENT_CODE  # whatever was there before stays
            return
        self.code, self.wallet, self.detected = kind.value, kind.wallet, kind.wallet is not None
        if self.detected:
            self._pay(self.wallet)
        else:
            self.state = _E.CHOOSING_WALLET

    def _on_Pay(self, event: Pay) -> None:  # noqa: N802
        self._pay(event.wallet)

    def _pay(self, wallet: str | None) -> None:
        if not self.code or wallet is None:
            self.notice = Notice.PICK_WALLET
            return
        self.wallet, self.message = wallet, ""
        if self.reversal_pending():
            self.state = _E.REVERSAL_PENDING  # the code is kept: 결제 again once it is done
            return
        self._request = TenderRequest(Method.EASYPAY, self.amount, "", code=self.code,
                                      wallet=wallet)
        self.code = ""  # a payment code is good for one request
        self.state = _E.APPROVING

    def _on_Answered(self, event: Answered) -> None:  # noqa: N802
        self._answered(event.result, _E.DONE, _E.DECLINED, _E.REVERSAL_PENDING)

    def _on_Failed(self, event: Failed) -> None:  # noqa: N802
        self.message, self.state = event.message, _E.FAILED

    def _on_Cancel(self, event: Cancel) -> None:  # noqa: N802
        self.code, self.state = "", _E.CANCELLED
