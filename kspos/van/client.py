"""The VAN client: card, cash-receipt and easy-pay calls with the network-cancel guarantee.

Use::

    client = VanClient(db, link, tid, Timeouts(5, 30))      # or VanClient.from_settings(...)
    client.resume_pending()                                 # at start-up: finish old 망취소
    result = client.approve_card(12_000, card=card_read, pos_ref="20250101-0001",
                                 on_response=record_payment)

Every call blocks (run it on a worker thread) and returns a :class:`VanResult`. Input that
breaks the rules (bad PAN shape, installment under 50,000 KRW, a missing signature above
50,000 KRW, a bad cash-receipt identity, an unknown wallet) raises :class:`VanInputError`
before anything is written or sent. While a network cancel is pending, card and easy-pay calls
first try to finish it and raise :class:`VanReversalPending` if they cannot; cash receipts and
network tests go on.

**Recording the outcome atomically.** ``on_response(session, result)`` runs inside the one
database transaction that clears the request's journal entry, so the outcome is recorded
exactly when the entry disappears: a crash before that commit leaves the entry, and start-up
(``resume_pending``) reverses the transaction at the host; a crash after it leaves the
outcome recorded and nothing owed. It runs for every valid answer (``O``, ``X`` or ``F``).
Write your Payment/Refund rows with ``session.add(...)``; do not commit. If it raises, the
transaction rolls back, the client sends a ``0440`` for the request (the host's approval is
undone, so it is never approved-but-unrecorded) and re-raises the exception. When no valid
answer comes it is not called: the result has ``type`` None and ``network_cancel`` set, and
nothing must be recorded as paid.

``on_reversed(session, pending)`` (constructor) runs inside the transaction that marks a
journal entry reversed, e.g. to write an audit line.

Card data (track-2) lives only in the request in memory; the journal, the logs and the result
carry the masked PAN and the BIN at most.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from kspos import SW_MODEL
from kspos.devices.cards import brand_of, card_bin, mask_identity, mask_pan
from kspos.devices.scanning import detect_wallet
from kspos.money import INSTALLMENT_FROM_KRW, SIGNATURE_ABOVE_KRW
from kspos.ports import CardRead, Signature, VanConnectError, VanLink, VanLinkError
from kspos.store.van_journal import any_open
from kspos.van import answers, codes, rules
from kspos.van.journal import BeforeSend, NetworkCancelJournal, OnReversed
from kspos.van.result import NetworkCancel, ReversalOutcome, VanResult
from kspos.van.rules import VanError, VanInputError
from kspos.van.store import VanReversal
from kspos.van.telegram import (
    Request,
    Response,
    TelegramError,
    decode_response,
    encode_request,
    width_of,
)
from kspos.van.worker import ReversalWorker  # re-exported: the app imports it from here

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.store.db import Database
    from kspos.store.unit import Session

__all__ = ["ReversalPolicy", "ReversalWorker", "Timeouts", "VanAnswerNotRecorded", "VanClient",
           "VanError", "VanInputError", "VanReversalPending", "reversal_request"]

log = logging.getLogger(__name__)

OnResponse = Callable[["Session", VanResult], Any]


class VanReversalPending(VanError):
    """A network cancel is still owed: no new card or easy-pay request may be sent."""

    def __init__(self, pending: list[VanReversal]) -> None:
        serials = ", ".join(p.serial for p in pending[:3])
        super().__init__(f"망취소 대기 중 ({len(pending)}건: {serials}): the VAN host has not "
                         "confirmed an earlier network cancel; card and easy-pay payments wait "
                         "until it does (cash sales go on)")
        self.pending = pending


class VanAnswerNotRecorded(VanError):
    """The host answered, but the store could not record the answer (disk full, locked).

    The client has sent the 0440 for it already; ``str()`` says what the host did and whether
    that 망취소 finished, so nobody is told that nothing happened after an approval."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Client timeouts (specs/van-telegram.md §1): connect, and response after the last byte."""

    connect_s: float = 5.0
    response_s: float = 30.0

    MAX_CONNECT_S: ClassVar[float] = 60.0
    MAX_RESPONSE_S: ClassVar[float] = 300.0

    def __post_init__(self) -> None:
        # `not 0 < x <= max` refuses nan too; inf or 1e300 would crash the socket after the
        # request's intent was committed, and every later run on the 0440 of it.
        for name, value, top in (("connect", self.connect_s, self.MAX_CONNECT_S),
                                 ("response", self.response_s, self.MAX_RESPONSE_S)):
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not 0 < value <= top:
                raise VanInputError("van.timeout", name=name, top=top, value=value)


@dataclass(frozen=True, slots=True)
class ReversalPolicy:
    """When 0440s are sent: ``immediate`` delays for the in-line attempts (the first at once),
    then every ``base_s * 2**n`` seconds up to ``max_s`` via ``resume_pending``."""

    immediate: tuple[float, ...] = (0.0, 1.0, 2.0)
    base_s: float = 5.0
    max_s: float = 300.0

    def next_delay(self, attempts: int) -> float:
        return float(min(self.max_s, self.base_s * 2 ** min(attempts, 20)))


@dataclass(frozen=True, slots=True)
class _Draft:
    """A request without its serial, plus what the result shows (never the PAN itself)."""

    request: Request
    guarded: bool  # card / easy pay: refused while a 망취소 is pending
    masked_pan: str = ""
    bin: str = ""
    brand: str = ""
    masked_identity: str = ""


class VanClient:
    """High-level VAN calls for one terminal (TID). Thread-safe: one exchange at a time."""

    def __init__(self, db: Database, link: VanLink, tid: str, timeouts: Timeouts | None = None,
                 sw_model: str = SW_MODEL, *, policy: ReversalPolicy | None = None,
                 on_reversed: OnReversed | None = None,
                 clock: Callable[[], datetime] = datetime.now,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not isinstance(tid, str) or not rules.TID.fullmatch(tid):
            raise VanInputError("van.tid", tid=tid)
        self.link, self.tid = link, tid
        self.timeouts = timeouts or Timeouts()
        self.sw_model = sw_model
        self.policy = policy or ReversalPolicy()
        self.on_reversed = on_reversed
        self.journal = NetworkCancelJournal(db, clock, tid)
        self._sleep = sleep
        self._lock = threading.RLock()
        # Entries whose 0440 went out while the store refused to note it (disk full): entry
        # id → (done, message), written to the journal as soon as the store takes writes again.
        self._unjournaled: dict[int, tuple[bool, str]] = {}

    @classmethod
    def from_settings(cls, settings: Settings, db: Database, link: VanLink,
                      **kwargs: Any) -> VanClient:
        """A client for the configured TID and timeouts."""
        van = settings.van
        return cls(db, link, van.tid, Timeouts(van.connect_timeout_s, van.response_timeout_s),
                   **kwargs)

    # --- card -----------------------------------------------------------------------------------

    def approve_card(self, amount: int, *, card: CardRead | None = None,
                     keyed: str | None = None, installment: int = 0,
                     signature: Signature | None = None, tax_free: int = 0, service: int = 0,
                     test: bool = False, pos_ref: str = "",
                     on_response: OnResponse | None = None,
                     before_send: BeforeSend | None = None) -> VanResult:
        """Card approval (0200): a chip/swipe ``card`` read, or ``keyed`` ``PAN=YYMM`` (KI).

        Above 50,000 KRW a ``signature`` with ink is required; installment is 0 or 2-12, and
        2-12 only from 50,000 KRW. ``before_send(session)`` runs in the transaction that commits
        the request's intent and returns the POS reference to send (instead of ``pos_ref``).
        """
        amount = rules.amount(amount)
        track2, entry, reader = rules.card_source(card, keyed)
        if installment != 0 and not 2 <= installment <= 12:
            raise VanInputError("van.installment")
        if installment and amount < INSTALLMENT_FROM_KRW:
            raise VanInputError("van.installment_from")
        sign: bytes | None = None
        if amount > SIGNATURE_ABOVE_KRW:
            if signature is None or not signature.has_ink():
                raise VanInputError("van.signature")
            sign = signature.bitmap
        pan = track2.partition("=")[0]
        request = Request(klass=codes.CLASS_FOR_ENTRY[entry], type=codes.APPROVE, tid=self.tid,
                          serial="", mode=rules.mode(test), entry_mode=entry, track2=track2,
                          reader_model=reader, installment=installment, signature=sign,
                          pos_ref=pos_ref)
        request = rules.priced(request, amount, tax_free, service)
        draft = _Draft(request, guarded=True, masked_pan=mask_pan(pan), bin=card_bin(pan),
                       brand=brand_of(pan))
        return self._transact(draft, on_response, before_send)

    def cancel_card(self, *, approval_no: str, approval_date: str, amount: int,
                    partial: bool = False, klass: str = "IC", installment: int = 0,
                    tax_free: int = 0, service: int = 0, test: bool = False,
                    van_txn_id: str = "", pos_ref: str = "",
                    on_response: OnResponse | None = None) -> VanResult:
        """Card cancel (0420, what remains) or partial cancel (7420, ``amount`` of it)."""
        if klass not in codes.CARD_CLASSES:
            raise VanInputError("van.cancel_class", klass=klass)
        return self._cancel(klass, approval_no, approval_date, amount, partial=partial,
                            installment=installment, tax_free=tax_free, service=service,
                            test=test, van_txn_id=van_txn_id, pos_ref=pos_ref, guarded=True,
                            on_response=on_response)

    # --- cash receipt ---------------------------------------------------------------------------

    def approve_cash_receipt(self, amount: int, *, identity: str | None = None,
                             purpose: str = codes.PURPOSE_DEDUCTION, entry_mode: str = "K",
                             tax_free: int = 0, service: int = 0, test: bool = False,
                             pos_ref: str = "",
                             on_response: OnResponse | None = None) -> VanResult:
        """Cash receipt (HK 0200). No ``identity`` = 자진발급 (0100001234, 소득공제)."""
        ident, purpose = rules.identity(identity, purpose)
        if entry_mode not in ("K", "S"):
            raise VanInputError("van.receipt_entry")
        request = Request(klass=codes.CASH_RECEIPT, type=codes.APPROVE, tid=self.tid, serial="",
                          mode=rules.mode(test), entry_mode=entry_mode, track2=ident,
                          installment=int(purpose), pos_ref=pos_ref)
        request = rules.priced(request, amount, tax_free, service)
        return self._transact(_Draft(request, guarded=False,
                                     masked_identity=mask_identity(ident)), on_response)

    def cancel_cash_receipt(self, *, approval_no: str, approval_date: str, amount: int,
                            identity: str | None = None,
                            purpose: str = codes.PURPOSE_DEDUCTION, tax_free: int = 0,
                            service: int = 0, test: bool = False, pos_ref: str = "",
                            on_response: OnResponse | None = None) -> VanResult:
        """Cancel a cash receipt (HK 0420; there is no partial cancel for HK)."""
        ident, purpose = rules.identity(identity, purpose)
        return self._cancel(codes.CASH_RECEIPT, approval_no, approval_date, amount,
                            partial=False, installment=int(purpose), tax_free=tax_free,
                            service=service, test=test, pos_ref=pos_ref, guarded=False,
                            on_response=on_response, track2=ident,
                            masked_identity=mask_identity(ident))

    # --- easy pay -------------------------------------------------------------------------------

    def approve_easy_pay(self, amount: int, *, code: str, wallet: str | None = None,
                         tax_free: int = 0, service: int = 0, test: bool = False,
                         pos_ref: str = "", on_response: OnResponse | None = None,
                         before_send: BeforeSend | None = None) -> VanResult:
        """Easy pay (EP 0200, entry B): the scanned ``code``; the wallet detected or given.

        ``before_send`` as for :meth:`approve_card`.
        """
        code = code.strip() if isinstance(code, str) else ""
        if not code or not code.isascii() or not code.isprintable() or len(code) > 37:
            raise VanInputError("van.payment_code")
        wallet = rules.wallet(wallet or detect_wallet(code))
        request = Request(klass=codes.EASY_PAY, type=codes.APPROVE, tid=self.tid, serial="",
                          mode=rules.mode(test), company=wallet, entry_mode="B", track2=code,
                          pos_ref=pos_ref)
        request = rules.priced(request, amount, tax_free, service)
        return self._transact(_Draft(request, guarded=True), on_response, before_send)

    def cancel_easy_pay(self, *, approval_no: str, approval_date: str, amount: int,
                        wallet: str, partial: bool = False, tax_free: int = 0, service: int = 0,
                        test: bool = False, van_txn_id: str = "", pos_ref: str = "",
                        on_response: OnResponse | None = None) -> VanResult:
        """Cancel (0420) or partly cancel (7420) an easy-pay approval of ``wallet``."""
        return self._cancel(codes.EASY_PAY, approval_no, approval_date, amount, partial=partial,
                            company=rules.wallet(wallet), tax_free=tax_free, service=service,
                            test=test, van_txn_id=van_txn_id, pos_ref=pos_ref, guarded=True,
                            on_response=on_response)

    # --- network ------------------------------------------------------------------------------

    def network_test(self, on_response: OnResponse | None = None) -> VanResult:
        """Network test (NT 0800): ``O``/``0000`` 망점검정상 when the host is there."""
        request = Request(klass=codes.NETWORK_TEST, type=codes.TEST, tid=self.tid, serial="")
        return self._transact(_Draft(request, guarded=False), on_response)

    def reversal_owed(self) -> bool:
        """Whether this TID owes a 망취소 (card and easy-pay calls would first try to finish it):
        what the card dialog and the cashier's banner show. A cheap read, no ORM."""
        return self.journal.owed() or not all(done for done, _ in self._unjournaled.values())

    def pending_reversals(self) -> list[VanReversal]:
        """This TID's network cancels still owed (interrupted exchanges included), oldest
        first."""
        with self._lock:
            self._journal_unjournaled()
        self.journal.recover_abandoned()
        return self.journal.pending()

    def resume_pending(self, force: bool = True) -> list[ReversalOutcome]:
        """Send a 0440 for every pending entry (``force=False``: only those due by backoff).

        Call it at start-up and from time to time (the app's timer or ReversalWorker).
        """
        with self._lock:
            self._journal_unjournaled()
            self.journal.recover_abandoned()
            now = time.time()
            outcomes = []
            for entry in self.journal.pending():
                if force or entry.next_retry <= now:
                    outcomes.append(self._send_reversal(entry))
            return outcomes

    # --- the exchange -------------------------------------------------------------------------

    def _cancel(self, klass: str, approval_no: str, approval_date: str, amount: int, *,
                partial: bool, guarded: bool, on_response: OnResponse | None,
                installment: int = 0, tax_free: int = 0, service: int = 0, test: bool = False,
                van_txn_id: str = "", pos_ref: str = "", company: str = "",
                track2: str = "", masked_identity: str = "") -> VanResult:
        approval_no = approval_no.strip() if isinstance(approval_no, str) else ""
        if not approval_no or not approval_no.isascii() or not approval_no.isalnum() \
                or len(approval_no) > 12:
            raise VanInputError("van.approval_no")
        if not rules.valid_yymmdd(approval_date):
            raise VanInputError("van.approval_date", date=approval_date)
        if width_of(van_txn_id) > 20:
            raise VanInputError("van.txn_id")
        request = Request(klass=klass, type=codes.PARTIAL_CANCEL if partial else codes.CANCEL,
                          tid=self.tid, serial="", mode=rules.mode(test), company=company,
                          van_txn_id=van_txn_id, track2=track2, installment=installment,
                          orig_approval_no=approval_no, orig_approval_date=approval_date,
                          pos_ref=pos_ref)
        request = rules.priced(request, amount, tax_free, service)
        return self._transact(_Draft(request, guarded=guarded, masked_identity=masked_identity),
                              on_response)

    def _transact(self, draft: _Draft, on_response: OnResponse | None,
                  before_send: BeforeSend | None = None) -> VanResult:
        _check_pos_ref(draft.request.pos_ref)
        checked_before_send = None
        if before_send is not None:
            def checked_before_send(session: Session) -> str:
                pos_ref = before_send(session)
                _check_pos_ref(pos_ref)  # raising here rolls the caller's writes back
                return pos_ref

        draft = replace(draft, request=replace(draft.request, sw_model=self.sw_model))
        journaled = draft.request.type in codes.REVERSIBLE_TYPES
        with self._lock:
            if draft.guarded:
                self._require_no_pending()
            for attempt in (1, 2):
                request, entry_id = self.journal.begin(
                    draft.request, journal=journaled,
                    deadline_s=self.timeouts.connect_s + self.timeouts.response_s + 10,
                    before_send=checked_before_send)
                response = self._exchange(request, entry_id, draft)
                if isinstance(response, VanResult):
                    return response
                if response.code == codes.DUPLICATE_SERIAL and attempt == 1:
                    log.warning("VAN serial %s already used at the host: retrying with the next",
                                request.serial)
                    self.journal.discard(entry_id)
                    continue
                result = self._result(request, response, draft)
                self._settle(entry_id, request, result, on_response)
                return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, request: Request, entry_id: int | None,
                  draft: _Draft) -> Response | VanResult:
        """Send ``request``; the valid answer, or the result of a failure (망취소 done)."""
        try:
            raw = self.link.exchange(encode_request(request),
                                     connect_timeout_s=self.timeouts.connect_s,
                                     response_timeout_s=self.timeouts.response_s)
        except VanConnectError as exc:
            self.journal.discard(entry_id)
            log.warning("VAN %s %s serial %s not sent: %s", request.klass, request.type,
                        request.serial, exc)
            return self._failure(request, draft, str(exc), sent=False)
        except VanLinkError as exc:
            return self._no_answer(request, entry_id, draft, str(exc))
        try:
            response = answers.cleaned(decode_response(raw))
            answers.check_answer(request, response)
        except TelegramError as exc:
            return self._no_answer(request, entry_id, draft, f"malformed answer: {exc}")
        log.info("VAN %s %s serial %s: %s %s %s", request.klass, request.type, request.serial,
                 response.status, response.code, response.message1)
        return response

    def _settle(self, entry_id: int | None, request: Request, result: VanResult,
                on_response: OnResponse | None) -> None:
        """Clear the entry and record the outcome in one transaction; reverse if that fails.

        A store that fails here (disk full, locked) raises :class:`VanAnswerNotRecorded`, whose
        message says what the host did and how the 0440 ended; anything else is re-raised."""
        record = None if on_response is None else (lambda s: on_response(s, result))
        try:
            self.journal.settle(entry_id, record)
        except BaseException as exc:
            if entry_id is None:
                raise
            log.error("VAN serial %s: recording the answer failed (%s): reversing it",
                      request.serial, type(exc).__name__)
            outcome = self._reverse_now(entry_id, request, "the answer could not be recorded")
            trouble = answers.store_trouble(exc)
            if trouble is None:
                raise
            message = answers.unrecorded_message(result, outcome, trouble)
            raise VanAnswerNotRecorded(message) from exc

    def _no_answer(self, request: Request, entry_id: int | None, draft: _Draft,
                   reason: str) -> VanResult:
        """No valid answer: 망취소 at once, then with backoff; the result says how it ended."""
        log.warning("VAN %s %s serial %s: %s", request.klass, request.type, request.serial,
                    reason)
        if entry_id is None:  # a network test: nothing to reverse
            return self._failure(request, draft, reason)
        outcome = self._reverse_now(entry_id, request, reason)
        status = "done" if outcome.done else "pending"
        message = f"응답 없음: {reason}; 망취소 " + ("완료" if outcome.done else "대기")
        return self._failure(request, draft, message,
                             network_cancel=NetworkCancel(request.serial, status,
                                                          outcome.message))

    def _reverse_now(self, entry_id: int, request: Request, reason: str) -> ReversalOutcome:
        """The in-line 망취소 of ``request`` (no valid answer, or one that could not be kept).

        The 0440 is built from the request in memory and sent whatever the store does: a full
        disk fails every write, and the host's approval must be undone all the same. The
        journal is told when the store lets us; when it does not, its entry (the failed
        transaction kept it) is finished again later, which the host answers 원거래없음.
        """
        journal_ok = self._journal_step(request, self.journal.mark_pending, entry_id, reason)
        reversal = reversal_request(request, self.sw_model)
        outcome = ReversalOutcome(request.tid, request.serial, False, "no attempt",
                                  request.pos_ref)
        for delay in self.policy.immediate:
            if delay:
                self._sleep(delay)
            if journal_ok and self.journal.get(entry_id) is None:
                break  # the entry is gone: nothing left to reverse
            done, message = self._send_0440(reversal)
            outcome = replace(outcome, done=done, message=message)
            if done:
                break
        if outcome.done:
            noted = self._journal_step(request, self.journal.mark_reversed, entry_id,
                                       outcome.message, self.on_reversed)
            log.info("VAN 망취소 serial %s (%s %s): %s", request.serial, request.klass,
                     request.type, outcome.message)
        else:
            noted = self._journal_step(request, self.journal.mark_failed_attempt, entry_id,
                                       outcome.message, time.time() + self.policy.next_delay(0))
            log.warning("VAN 망취소 serial %s not done: %s", request.serial, outcome.message)
        if not (journal_ok and noted):
            self._unjournaled[entry_id] = (outcome.done, outcome.message)
        return outcome

    def _journal_unjournaled(self) -> None:
        """Note in the journal what :meth:`_reverse_now` could not (the store is back)."""
        for entry_id, (done, message) in list(self._unjournaled.items()):
            try:
                if done:
                    self.journal.mark_reversed(entry_id, message, self.on_reversed)
                else:
                    self.journal.mark_pending(entry_id, message)
            except Exception as exc:  # noqa: BLE001 - still failing: next round
                log.warning("VAN 망취소 journal still not writable: %s", exc)
                return
            del self._unjournaled[entry_id]

    @staticmethod
    def _journal_step(request: Request, step: Callable[..., Any], *args: Any) -> bool:
        """One journal write that must not stop a 0440 (the store may be failing)."""
        try:
            step(*args)
        except Exception as exc:  # noqa: BLE001 - the 0440 matters more than the note of it
            log.error("VAN serial %s: the 망취소 journal cannot be written (%s): %s",
                      request.serial, type(exc).__name__, exc)
            return False
        return True

    def _send_0440(self, request: Request) -> tuple[bool, str]:
        """One 0440 exchange: (done, the 0450's Message1 or why not)."""
        try:
            raw = self.link.exchange(encode_request(request),
                                     connect_timeout_s=self.timeouts.connect_s,
                                     response_timeout_s=self.timeouts.response_s)
            response = answers.cleaned(decode_response(raw))
            answers.check_answer(request, response)
        except (VanLinkError, TelegramError) as exc:
            return False, f"0440: {exc}"
        if response.status == "O" and response.code == codes.OK:
            return True, response.message1
        return False, f"0440 answered {response.status}/{response.code} {response.message1}"

    def _send_reversal(self, entry: VanReversal) -> ReversalOutcome:
        """One 0440 for ``entry``; a valid 0450 (O/0000) marks it reversed (and when the store
        cannot note that, the client remembers it until it can: the 0440 is done all the
        same)."""
        assert entry.id is not None
        request = reversal_request(entry, self.sw_model)
        done, message = self._send_0440(request)
        if done:
            noted = self._journal_step(request, self.journal.mark_reversed, entry.id, message,
                                       self.on_reversed)
            if not noted:
                self._unjournaled[entry.id] = (True, message)
            log.info("VAN 망취소 serial %s (%s %s): %s", entry.serial, entry.klass,
                     entry.orig_type, message)
        else:  # the entry stays pending whether or not the attempt is noted
            self._journal_step(request, self.journal.mark_failed_attempt, entry.id, message,
                               time.time() + self.policy.next_delay(entry.attempts))
            log.warning("VAN 망취소 serial %s not done: %s", entry.serial, message)
        return ReversalOutcome(entry.tid, entry.serial, done, message, entry.pos_ref)

    def _require_no_pending(self) -> None:
        # The common case (nothing owed, nothing in flight) is one indexed read, no ORM. Only
        # this TID's entries: another TID's (연습 모드, a second terminal) are not ours to send.
        if not self._unjournaled and not any_open(self.journal.db, self.tid):
            return
        if not self.pending_reversals():
            return
        self.resume_pending(force=True)
        still = self.journal.pending()
        if still:
            raise VanReversalPending(still)

    # --- results ------------------------------------------------------------------------------

    @staticmethod
    def _result(request: Request, response: Response, draft: _Draft) -> VanResult:
        approved_no = response.approval_no
        return VanResult(
            request_type=request.type, klass=request.klass, serial=request.serial,
            status=response.status, code=response.code, message=response.message1,
            type=response.type, approval_no=approved_no,
            approval_date=response.host_time[:6] if approved_no else "",
            approved_at=response.host_time,
            masked_pan=draft.masked_pan or response.filler, bin=draft.bin, brand=draft.brand,
            card_type=response.card_type, issuer_code=response.issuer_code,
            issuer=response.issuer_name, acquirer_code=response.acquirer_code,
            acquirer=response.acquirer_name, merchant_no=response.merchant_no,
            van_txn_id=response.van_txn_id, wallet=request.company,
            masked_identity=draft.masked_identity, installment=request.installment,
            amount=request.total, mode=request.mode, balance=response.balance,
            pos_ref=request.pos_ref, tid=request.tid,
            orig_approval_no=request.orig_approval_no,
            orig_approval_date=request.orig_approval_date)

    @staticmethod
    def _failure(request: Request, draft: _Draft, message: str, sent: bool = True,
                 network_cancel: NetworkCancel | None = None) -> VanResult:
        return VanResult(
            request_type=request.type, klass=request.klass, serial=request.serial, status="F",
            code="", message=message, masked_pan=draft.masked_pan, bin=draft.bin,
            brand=draft.brand, wallet=request.company, masked_identity=draft.masked_identity,
            installment=request.installment,
            amount=request.total, mode=request.mode, pos_ref=request.pos_ref, sent=sent,
            network_cancel=network_cancel, tid=request.tid,
            orig_approval_no=request.orig_approval_no,
            orig_approval_date=request.orig_approval_date)


def reversal_request(entry: VanReversal | Request, sw_model: str = SW_MODEL) -> Request:
    """The 0440 for a journal entry (or the request itself, in memory): the original's fields,
    entry space, no card, no signature."""
    return Request(klass=entry.klass, type=codes.NETWORK_CANCEL, tid=entry.tid,
                   serial=entry.serial, mode=entry.mode, company=entry.company,
                   sw_model=sw_model, installment=entry.installment, total=entry.total,
                   service=entry.service, vat=entry.vat, supply=entry.supply,
                   tax_free=entry.tax_free, orig_approval_no=entry.orig_approval_no,
                   orig_approval_date=entry.orig_approval_date, pos_ref=entry.pos_ref)


def _check_pos_ref(pos_ref: str) -> None:
    if width_of(pos_ref) > 30:
        raise VanInputError("van.pos_ref")
