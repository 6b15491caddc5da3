"""A simulated card reader / sign pad: records what it was sent; demo cashiers "insert" cards.

When nothing is queued a read returns the Luhn-valid VISA test card 4111 1111 1111 1111 with an
expiry three years ahead, so demo payments work without any setup.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque
from dataclasses import dataclass

from kspos.devices.cards import brand_of, card_bin, mask_pan, split_track2
from kspos.ports import CardRead, DeviceError, ReaderStatus, ReadResult, Signature

TEST_CARD_PAN = "4111111111111111"


def future_expiry(years: int = 3, today: dt.date | None = None) -> str:
    """YYMM of December ``years`` years from ``today``: an expiry that is always valid."""
    year = (today or dt.date.today()).year + years
    return f"{year % 100:02d}12"


def test_track2(pan: str = TEST_CARD_PAN, expiry: str | None = None) -> str:
    """Track-2 equivalent data for a test card: ``PAN=YYMM`` + service code 101."""
    return f"{pan}={expiry or future_expiry()}101"


def sample_signature() -> bytes:
    """A drawn sample signature: a looping stroke across the 128×64 pad, 2 px thick."""
    width, height = Signature.WIDTH, Signature.HEIGHT
    bitmap = bytearray(Signature.SIZE)

    def ink(x: int, y: int) -> None:
        if 0 <= x < width and 0 <= y < height:
            bitmap[y * (width // 8) + x // 8] |= 0x80 >> (x % 8)

    for x in range(12, width - 12):
        y = int(height / 2 + 14 * math.sin(x / 7.0) * math.cos(x / 23.0))
        for dy in (0, 1):
            ink(x, y + dy)
    for x in range(20, width - 20):  # the underline
        ink(x, height - 10)
    return bytes(bitmap)


@dataclass(frozen=True, slots=True)
class _QueuedCard:
    result: ReadResult
    track2: str = ""
    entry_mode: str = "I"


class SimCardReader:
    """Simulated CardReader. ``displayed``, ``beeps``, ``reads`` and ``commands`` record what
    it was asked; ``insert_card`` queues what the next read returns; ``offline`` rehearses a
    dead reader."""

    simulated = True

    def __init__(self, spec: str = "sim") -> None:
        self.spec = spec
        self.is_open = False
        self.offline = False
        self.sign = True
        self.commands: list[str] = []
        self.displayed: list[tuple[str, str]] = []
        self.beeps = 0
        self.reads: list[tuple[int, float]] = []
        self.signature_requests: list[int] = []
        self.wait_for_card = False
        """True: a read blocks until a card is inserted (or it times out / is cancelled)."""
        self._queue: deque[_QueuedCard] = deque()
        self._cancelled = False
        self._cond = threading.Condition()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def _record(self, command: str) -> None:
        with self._cond:
            self.commands.append(command)
        if self.offline:
            raise DeviceError("리더기 응답 없음 (card reader not answering)")

    def insert_card(self, track2_or_pan: str = "", entry_mode: str = "I",
                    result: ReadResult = ReadResult.READ) -> None:
        """Queue what the next read returns: a track-2 (``PAN=YYMM...``) or a bare PAN (a
        future expiry is added), or another ``result`` (timed out, fallback, error)."""
        track2 = track2_or_pan or test_track2()
        if "=" not in track2:
            track2 = test_track2(track2)
        with self._cond:
            self._queue.append(_QueuedCard(result, track2, entry_mode))
            self._cond.notify_all()

    def status(self) -> ReaderStatus:
        if self.offline:
            return ReaderStatus("offline", detail="simulated reader set offline")
        return ReaderStatus("card" if self._queue else "ready", "KSPOS-SIM", "1.0")

    def read_card(self, amount: int, timeout_s: float) -> CardRead:
        self._record("R")
        self.reads.append((amount, timeout_s))
        with self._cond:
            self._cancelled = False
            if self.wait_for_card:
                self._cond.wait_for(lambda: bool(self._queue) or self._cancelled, timeout_s)
                if self._cancelled:
                    return CardRead(ReadResult.CANCELLED, reader=self.spec)
                if not self._queue:
                    return CardRead(ReadResult.TIMED_OUT, reader=self.spec)
            card = self._queue.popleft() if self._queue else _QueuedCard(
                ReadResult.READ, test_track2())
        if card.result is not ReadResult.READ:
            return CardRead(card.result, reader=self.spec)
        pan, expiry = split_track2(card.track2)
        return CardRead(ReadResult.READ, entry_mode=card.entry_mode, masked_pan=mask_pan(pan),
                        bin=card_bin(pan), brand=brand_of(pan), track2=card.track2,
                        expiry=expiry, reader=self.spec)

    def cancel_read(self) -> None:
        self._record("C")
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    def display(self, line1: str, line2: str = "") -> None:
        self._record("D")
        self.displayed.append((line1, line2))

    def get_signature(self, amount: int, timeout_s: float) -> Signature | None:
        self._record("G")
        self.signature_requests.append(amount)
        return Signature(sample_signature()) if self.sign else None

    def beep(self, count: int = 1) -> None:
        self._record("B")
        self.beeps += count
