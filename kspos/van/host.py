"""The VAN host's rules (specs/van-telegram.md sections 2-6), without any networking.

:class:`HostState` turns one request frame into one response frame, or None when the frame
cannot be read (the server then closes without answering). It keeps approvals in memory so
cancels, partial cancels and network cancels behave as a real host's would, and its test data
follows section 6 of the spec exactly. :mod:`kspos.van.simulator` serves it over TCP.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from kspos.devices.cards import luhn_ok, mask_pan
from kspos.devices.scanning import WALLET_NAMES
from kspos.money import INSTALLMENT_FROM_KRW
from kspos.van import codes
from kspos.van.rules import identity_ok
from kspos.van.telegram import (
    FieldError,
    FrameError,
    Request,
    Response,
    decode_request,
    encode_response,
)

TID_PATTERN = re.compile(r"[A-Za-z0-9]{10}")
_TRACK2 = re.compile(r"([0-9]{1,19})=([0-9]{2})([0-9]{2})")  # ASCII: \d takes full-width too

# §6: PANs with a fixed answer.
TEST_CARDS: dict[str, str] = {
    "4000000000000002": "7001",
    "4000000000009995": "7002",
    "4000000000000069": "7003",
    "4000000000009987": "7004",
    "4000000000000119": "9001",
}
CHECK_CARDS = frozenset({"4000000000009995"})


def issuer_of(pan: str) -> tuple[str, str]:
    """(code, name) of the issuer (= acquirer) by BIN, per the §6 table."""
    two = pan[:2]
    if pan.startswith("9"):
        return "01", "BC카드"
    if pan.startswith("4"):
        return "25", "VISA"
    if two in {"51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27"}:
        return "25", "MASTER"
    if two == "35":
        return "25", "JCB"
    if two in {"34", "37"}:
        return "25", "AMEX"
    return "25", "해외카드"


@lru_cache(maxsize=1024)
def merchant_number(tid: str) -> str:
    """A 15-digit merchant number, the same for a TID every time."""
    digest = hashlib.sha256(tid.encode("ascii", "replace")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**15:015d}"


@dataclass(slots=True)
class Txn:
    """A transaction the host answered ``O``: an approval, or an accepted cancel."""

    tid: str
    serial: str
    klass: str
    type: str
    mode: str
    approval_no: str
    approval_date: str
    total: int
    remaining: int = 0
    reversed: bool = False
    tax_free: int = 0  # the request's 면세금액 (kept so a test can see what a cancel declared)
    original: Txn | None = None
    cancels: list[Txn] = field(default_factory=list)


def _card_group(klass: str) -> str:
    return "CARD" if klass in codes.CARD_CLASSES else klass


class HostState:
    """The simulated host's memory and rules. Thread-safe: one lock around each request."""

    def __init__(self, clock: Callable[[], datetime] = datetime.now,
                 rng: random.Random | None = None) -> None:
        self.clock = clock
        rng = rng or random.Random()
        self._lock = threading.Lock()
        self._next_card_no = rng.randrange(10_000_000, 60_000_000)
        self._next_cash_no = rng.randrange(100_000_000, 600_000_000)
        self._txn_seq = 0
        self._serial_day = ""
        self._serials: set[tuple[str, str]] = set()
        self._by_serial: dict[tuple[str, str], Txn] = {}
        self._by_approval: dict[str, Txn] = {}
        self._used_codes: set[str] = set()
        self.requests = 0
        self._stamp = ""
        self._second: tuple[int, ...] = ()

    # --- queries (tests, technicians) ----------------------------------------------------------

    def transaction(self, tid: str, serial: str) -> Txn | None:
        """What the host remembers of the request ``serial`` of ``tid`` (answered ``O``)."""
        with self._lock:
            return self._by_serial.get((tid, serial))

    def by_approval(self, approval_no: str) -> Txn | None:
        with self._lock:
            return self._by_approval.get(approval_no)

    def live_approvals(self) -> list[Txn]:
        """Approvals neither reversed nor fully cancelled."""
        with self._lock:
            return [t for t in self._by_approval.values()
                    if t.type == codes.APPROVE and not t.reversed and t.remaining > 0]

    # --- the one entry point --------------------------------------------------------------------

    def handle(self, data: bytes) -> bytes | None:
        """The response frame for request frame ``data``; None when it cannot be read."""
        try:
            request = decode_request(data)
        except FrameError:
            return None
        except FieldError as exc:
            with self._lock:
                self._tick()
                return encode_response(self._refusal(exc.echo, codes.FORMAT_ERROR))
        with self._lock:
            self.requests += 1
            return encode_response(self.answer(request))

    def answer(self, req: Request) -> Response:
        """Apply the spec's checks in order and the flow for the request's type."""
        self._tick()
        if self._format_problem(req):
            return self._reply(req, codes.FORMAT_ERROR)
        if not TID_PATTERN.fullmatch(req.tid):
            return self._reply(req, codes.UNKNOWN_TID)
        if req.type != codes.NETWORK_CANCEL:
            day = self._stamp[:6]
            if day != self._serial_day:
                self._serial_day, self._serials = day, set()
            if (req.tid, req.serial) in self._serials:
                return self._reply(req, codes.DUPLICATE_SERIAL)
            self._serials.add((req.tid, req.serial))
        if req.type == codes.TEST:
            return self._reply(req, codes.OK, message=codes.MSG_NETWORK_OK)
        if req.type == codes.NETWORK_CANCEL:
            return self._network_cancel(req)
        if req.type in (codes.CANCEL, codes.PARTIAL_CANCEL):
            return self._cancel(req)
        if req.klass in codes.CARD_CLASSES:
            return self._card_approval(req)
        if req.klass == codes.EASY_PAY:
            return self._easy_pay_approval(req)
        return self._cash_receipt_approval(req)

    # --- checks ---------------------------------------------------------------------------------

    @staticmethod
    def _format_problem(req: Request) -> str | None:
        """Why a readable request breaks the spec (F/8001), or None."""
        if req.type not in codes.ALLOWED_TYPES.get(req.klass, ()):
            return "unknown class/type pair"
        if req.job != "01" or req.mode not in ("N", "T"):
            return "업무구분 or 거래형태"
        if req.total != req.supply + req.vat + req.service + req.tax_free:
            return "amounts do not add up"
        if req.klass == codes.CASH_RECEIPT:
            if req.installment not in (0, 1):
                return "cash receipt purpose"
        elif req.installment == 1 or req.installment > 36:
            return "installment"
        if req.type == codes.TEST:
            return "amounts in a network test" if req.total else None
        if req.type != codes.NETWORK_CANCEL and req.total <= 0:
            return "no amount"
        if req.klass == codes.EASY_PAY and req.company not in WALLET_NAMES:
            return "wallet code"
        if req.type in (codes.CANCEL, codes.PARTIAL_CANCEL) and not (
                req.orig_approval_no and len(req.orig_approval_date) == 6
                and req.orig_approval_date.isascii() and req.orig_approval_date.isdigit()):
            return "original approval number and date"
        if req.type == codes.APPROVE:
            if req.klass in codes.CARD_CLASSES:
                match = _TRACK2.match(req.track2)
                if not match or not 1 <= int(match[3]) <= 12:
                    return "track II"
            elif not req.track2:
                return "track II"
        return None

    # --- flows ----------------------------------------------------------------------------------

    def _card_approval(self, req: Request) -> Response:
        match = _TRACK2.match(req.track2)
        assert match is not None  # checked by _format_problem
        pan, expiry = match[1], match[2] + match[3]
        card_type = "D" if pan in CHECK_CARDS else "C"
        code = codes.OK
        if not luhn_ok(pan):
            code = "7007"
        elif pan in TEST_CARDS:
            code = TEST_CARDS[pan]
        elif expiry < self._stamp[:4]:
            code = "7003"
        elif req.installment >= 2 and (req.total < INSTALLMENT_FROM_KRW or card_type == "D"):
            code = "7005"
        issuer = issuer_of(pan)
        extra = {"card_type": card_type, "issuer_code": issuer[0], "issuer_name": issuer[1],
                 "acquirer_code": issuer[0], "acquirer_name": issuer[1],
                 "filler": mask_pan(pan)}
        if code != codes.OK:
            return self._reply(req, code, **extra)
        return self._approve(req, **extra)

    def _easy_pay_approval(self, req: Request) -> Response:
        code = req.track2
        first_use = code not in self._used_codes
        self._used_codes.add(code)
        if not first_use or code.endswith("0000"):
            return self._reply(req, "8101")
        return self._approve(req)

    def _cash_receipt_approval(self, req: Request) -> Response:
        if not identity_ok(req.track2):
            return self._reply(req, "8102")
        return self._approve(req)

    def _cancel(self, req: Request) -> Response:
        orig = self._by_approval.get(req.orig_approval_no)
        if (orig is None or orig.reversed or orig.type != codes.APPROVE
                or orig.tid != req.tid or orig.approval_date != req.orig_approval_date
                or _card_group(orig.klass) != _card_group(req.klass) or orig.mode != req.mode):
            return self._reply(req, "7101")
        if orig.remaining <= 0:
            return self._reply(req, "7102")
        if (req.total > orig.remaining if req.type == codes.PARTIAL_CANCEL
                else req.total != orig.remaining):
            return self._reply(req, "7103")
        response = self._approve(req)
        cancel = self._by_serial[(req.tid, req.serial)]
        cancel.original = orig
        orig.cancels.append(cancel)
        orig.remaining -= req.total
        return response

    def _network_cancel(self, req: Request) -> Response:
        txn = self._by_serial.get((req.tid, req.serial))
        if txn is None or txn.reversed:
            return self._reply(req, codes.OK, message=codes.MSG_NOTHING_TO_REVERSE)
        txn.reversed = True
        if txn.original is not None:  # undo a cancel: its amount is cancellable again
            txn.original.remaining += txn.total
        return self._reply(req, codes.OK, message=codes.MSG_REVERSED)

    # --- answers --------------------------------------------------------------------------------

    def _approve(self, req: Request, **extra: str) -> Response:
        """Answer O/0000 with a new approval number, and remember the transaction."""
        if req.klass == codes.CASH_RECEIPT:
            number, self._next_cash_no = f"{self._next_cash_no:09d}", self._next_cash_no + 1
        else:
            number, self._next_card_no = f"{self._next_card_no:08d}", self._next_card_no + 1
        self._next_card_no = 10_000_000 + (self._next_card_no - 10_000_000) % 90_000_000
        self._next_cash_no = 100_000_000 + (self._next_cash_no - 100_000_000) % 900_000_000
        self._txn_seq += 1
        txn = Txn(tid=req.tid, serial=req.serial, klass=req.klass, type=req.type, mode=req.mode,
                  approval_no=number, approval_date=self._stamp[:6], total=req.total,
                  remaining=req.total if req.type == codes.APPROVE else 0, tax_free=req.tax_free)
        self._by_serial[(req.tid, req.serial)] = txn
        self._by_approval[number] = txn
        van_txn_id = f"{self._stamp}{self._txn_seq % 10**8:08d}"
        return self._reply(req, codes.OK, approval_no=number, van_txn_id=van_txn_id, **extra)

    def _reply(self, req: Request, code: str, message: str | None = None,
               **extra: Any) -> Response:
        status, default_message = codes.RESPONSE_CODES[code]
        if status == "F":
            return self._refusal({"klass": req.klass, "job": req.job, "type": req.type,
                                  "mode": req.mode, "tid": req.tid, "company": req.company,
                                  "serial": req.serial}, code)
        return Response(klass=req.klass, job=req.job, type=codes.response_type(req.type),
                        mode=req.mode, tid=req.tid, company=req.company, serial=req.serial,
                        status=status, code=code, host_time=self._stamp,
                        message1=message or default_message,
                        merchant_no=merchant_number(req.tid), **extra)

    def _refusal(self, echo: dict[str, str], code: str) -> Response:
        """An F answer: the echo, the code and Message1, and nothing else."""
        status, message = codes.RESPONSE_CODES[code]

        def digits(value: str, width: int) -> str:
            return value if value.isascii() and value.isdigit() and len(value) <= width \
                else "0" * width

        return Response(klass=echo.get("klass", ""), job=echo.get("job", ""),
                        type=digits(codes.response_type(echo.get("type", "")), 4),
                        mode=echo.get("mode", ""), tid=echo.get("tid", ""),
                        company=echo.get("company", ""),
                        serial=digits(echo.get("serial", ""), 12),
                        status=status, code=code, host_time=self._now(), message1=message)

    def _now(self) -> str:
        return self._stamp

    def _tick(self) -> None:
        """Read the clock once per request; format it only when the second changed."""
        now = self.clock()
        second = (now.year, now.month, now.day, now.hour, now.minute, now.second)
        if second != self._second:
            self._second, self._stamp = second, now.strftime("%y%m%d%H%M%S")
