"""The traffic monitor: the last frames each device link sent and received, card data masked.

Drivers report what crosses the wire with :func:`record` (the serial card reader's frames, the
printer's bytes and status answers, the scanner's codes, the VAN link's telegrams, the
진동벨's call lines); the technician's screen (장치 점검) shows the rows as time, direction,
hex and text.

Card data is masked *before* a row is stored, so the buffer never holds it: a VAN request's
field 16 (Track II: the track-2 equivalent, a cash-receipt identity or a payment code) and
field 25 (PIN), the card reader's ``r`` reply (track 2 and expiry), a scanned payment code, and,
as defence in depth everywhere, any 13-19 digit run that could be a card number
(:func:`kspos.logs.mask_digits_in_text`). Masked bytes stay the same length, so the hex and
text columns line up with the real frame.

Recording is cheap (a lock, a bounded copy) and never raises into the driver that calls it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass

from kspos.devices.cards import luhn_ok, mask_pan
from kspos.devices.scanning import detect_wallet, gtin_ok

log = logging.getLogger(__name__)

TX, RX, NOTE = "tx", "rx", "note"
"""Directions: sent by the POS, received by the POS, and an event (connect failed, ...)."""

CAPACITY = 500
MAX_BYTES = 2048
"""Bytes kept per row: a whole VAN telegram with its signature; print jobs are cut."""

_MASK = ord("*")
_PAN_LIKE = re.compile(rb"(?<![0-9])[0-9]{13,19}(?![0-9])")

# Byte offsets (after LLLL) of the fields that carry secrets in a VAN request, read from the
# codec's own layout so they cannot drift from it. Imported lazily: the codec is big.
_van_fields: tuple[tuple[int, int], tuple[int, int]] | None = None


def _van_secret_fields() -> tuple[tuple[int, int], tuple[int, int]]:
    global _van_fields
    if _van_fields is None:
        from kspos.van.telegram import REQUEST_OFFSETS

        track2, pin = REQUEST_OFFSETS["track2"], REQUEST_OFFSETS["pin"]
        _van_fields = ((4 + track2[0], track2[1]), (4 + pin[0], pin[1]))
    return _van_fields


# --- masking ------------------------------------------------------------------------------------


def mask_card_digits(data: bytes) -> bytes:
    """Mask every 13-19 digit run, same length, by the card-number rule: the first 6 and,
    from the 13th digit on, at most the last 4 stay (a 15-digit number shows its last 3)."""
    return _PAN_LIKE.sub(lambda m: _masked_run(m[0]), data)


def _masked_run(digits: bytes) -> bytes:
    tail = min(4, len(digits) - 12)
    return digits[:6] + b"*" * (len(digits) - 6 - tail) + digits[-tail:]


def mask_field_value(raw: bytes) -> bytes:
    """A secret field, same width: ``PAN=YYMM...`` keeps the masked PAN and hides the rest;
    anything else (an identity number, a payment code) keeps its first 3 and last 4."""
    text = raw.decode("ascii", errors="replace")
    value = text.rstrip(" ")
    pad = len(text) - len(value)
    if not value:
        return raw
    pan, sep, rest = value.partition("=")
    if sep and pan.isdigit():
        masked = mask_pan(pan) + "=" + "*" * len(rest)
    elif len(value) > 7:
        masked = value[:3] + "*" * (len(value) - 7) + value[-4:]
    else:
        masked = "*" * len(value)
    return masked.encode("ascii", errors="replace") + b" " * pad


def _blank(buffer: bytearray, start: int, width: int) -> None:
    """Overwrite ``buffer[start:start+width]`` with its masked form (when the frame has it)."""
    if start + width <= len(buffer):
        buffer[start:start + width] = mask_field_value(bytes(buffer[start:start + width]))


def _mask_van(data: bytes, direction: str) -> bytes:
    """A VAN frame (``LLLL`` + STX ...): the request's field 16 and field 25 masked."""
    buffer = bytearray(data)
    if direction == TX and len(buffer) > 5 and buffer[4] == 0x02:
        (track_at, track_width), (pin_at, pin_width) = _van_secret_fields()
        _blank(buffer, track_at, track_width)
        if pin_at + pin_width <= len(buffer):
            buffer[pin_at:pin_at + pin_width] = bytes(
                _MASK if b != 0x20 else b for b in buffer[pin_at:pin_at + pin_width])
    return bytes(buffer)


_van_answer_fields: tuple[tuple[int, int], ...] | None = None


def _van_answer_text_fields() -> tuple[tuple[int, int], ...]:
    """(offset after LLLL, width) of a VAN answer's text fields a host could fill with a card
    number: every AN field but the echo (checked against the request) and the merchant
    number (15 digits by the spec, which the digit-run rule would take for a card)."""
    global _van_answer_fields
    if _van_answer_fields is None:
        from kspos.van.telegram import RESPONSE_OFFSETS

        skip = {"klass", "job", "mode", "tid", "company", "status", "code", "merchant_no"}
        _van_answer_fields = tuple(
            (4 + start, width) for name, (start, width, kind) in RESPONSE_OFFSETS.items()
            if kind == "AN" and name not in skip)
    return _van_answer_fields


def _mask_van_answer(data: bytes) -> bytes:
    """A VAN answer: card-number-like digit runs masked field by field (the answer's digit
    fields stand side by side, so a frame-wide rule would mask the merchant number and the
    balance with its points)."""
    if len(data) <= 5 or data[4] != 0x02:
        return data
    buffer = bytearray(data)
    for start, width in _van_answer_text_fields():
        if start + width <= len(buffer):
            buffer[start:start + width] = mask_card_digits(bytes(buffer[start:start + width]))
    return bytes(buffer)


def _mask_card_frame(data: bytes) -> bytes:
    """A serial card reader frame: the ``r`` reply's track 2 and expiry masked."""
    from kspos.devices import cardframe as cf  # only when a reader frame is kept: start-up stays lean

    buffer = bytearray(data)
    # STX LEN(2) CMD DATA ETX LRC: DATA starts at 4
    if len(buffer) >= 6 and buffer[0] == cf.STX and buffer[3] == ord("r"):
        track_at = 4 + 2 + cf.READ_MASKED_PAN
        _blank(buffer, track_at, cf.READ_TRACK2)
        expiry_at = track_at + cf.READ_TRACK2
        end = min(len(buffer), expiry_at + cf.READ_EXPIRY)
        buffer[expiry_at:end] = bytes(
            _MASK if 0x30 <= b <= 0x39 else b for b in buffer[expiry_at:end])
    return bytes(buffer)


def _mask_scan(data: bytes) -> bytes:
    """A scanned code: payment codes and card-like numbers masked, product barcodes shown."""
    code = data.decode("utf-8", errors="replace").strip()
    if detect_wallet(code) is not None and len(code) > 10:
        return (code[:6] + "*" * (len(code) - 10) + code[-4:]).encode("utf-8")
    if gtin_ok(code):
        return data
    if code.isdigit() and luhn_ok(code):
        return mask_pan(code).encode("ascii")
    return mask_card_digits(data)


def mask_frame(protocol: str, direction: str, data: bytes) -> bytes:
    """``data`` with card data masked for ``protocol`` (``van``, ``cardframe``, ``scan`` or
    anything else: raw bytes), then every card-number-like digit run masked.

    A VAN answer should carry no card data (specs/van-telegram.md), but a host may echo one:
    its text fields are masked one by one (its adjacent digit fields, merchant number, balance
    and points, would look like a card number to the frame-wide rule)."""
    if protocol == "van":
        if direction == RX:
            return _mask_van_answer(data)
        data = _mask_van(data, direction)
    elif protocol == "cardframe":
        data = _mask_card_frame(data)
    elif protocol == "scan":
        return _mask_scan(data)  # a product barcode (EAN-13) is not a card number
    return mask_card_digits(data)


# --- views --------------------------------------------------------------------------------------

_CONTROL_NAMES = {0x02: "<STX>", 0x03: "<ETX>", 0x06: "<ACK>", 0x15: "<NAK>", 0x1C: "<FS>",
                  0x0D: "<CR>", 0x0A: "<LF>", 0x10: "<DLE>", 0x04: "<EOT>", 0x1B: "<ESC>",
                  0x1D: "<GS>", 0x00: "<NUL>"}


def hex_view(data: bytes) -> str:
    """``02 00 1A 52 ...``: every byte in upper-case hex."""
    return data.hex(" ").upper()


def text_view(data: bytes) -> str:
    """Printable ASCII as is, Hangul (EUC-KR pairs) decoded, control bytes by name, else '.'."""
    out: list[str] = []
    index, size = 0, len(data)
    while index < size:
        byte = data[index]
        if 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        elif byte in _CONTROL_NAMES:
            out.append(_CONTROL_NAMES[byte])
        elif 0xA1 <= byte <= 0xFE and index + 1 < size and 0xA1 <= data[index + 1] <= 0xFE:
            try:
                out.append(data[index:index + 2].decode("euc-kr"))
                index += 2
                continue
            except UnicodeDecodeError:
                out.append(".")
        else:
            out.append(".")
        index += 1
    return "".join(out)


# --- the ring buffer ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrafficRow:
    """One frame (or event) on one device link; ``data`` is already masked and bounded."""

    seq: int
    at: float
    device: str  # printer, card_reader, scanner, van, pager
    direction: str  # tx, rx or note
    data: bytes
    size: int  # the frame's real length (``data`` may be cut)
    note: str = ""

    @property
    def clock(self) -> str:
        """Local time as ``HH:MM:SS.mmm``."""
        local = time.localtime(self.at)
        return time.strftime("%H:%M:%S", local) + f".{int(self.at * 1000) % 1000:03d}"

    @property
    def hex(self) -> str:
        return hex_view(self.data)

    @property
    def text(self) -> str:
        return self.note or text_view(self.data)

    @property
    def cut(self) -> bool:
        return self.size > len(self.data)

    def line(self) -> str:
        """One line for a file: time, device, direction, size, hex | text."""
        more = " …" if self.cut else ""
        return (f"{self.clock} {self.device:<11} {self.direction:<4} {self.size:>6}  "
                f"{self.hex}{more} | {self.text}")


class TrafficMonitor:
    """A thread-safe ring buffer of the last ``capacity`` rows."""

    def __init__(self, capacity: int = CAPACITY, max_bytes: int = MAX_BYTES) -> None:
        self.capacity, self.max_bytes = capacity, max_bytes
        self.enabled = True
        self._rows: deque[TrafficRow] = deque(maxlen=capacity)
        self._seq = 0
        self._lock = threading.Lock()

    def record(self, device: str, direction: str, data: bytes = b"", *, protocol: str = "raw",
               note: str = "") -> None:
        """Keep one frame (masked, at most ``max_bytes``). Never raises."""
        if not self.enabled:
            return
        try:
            # Only what is kept is masked (a 100 KB raster job would cost ms); the margin lets
            # a card number that straddles the cut still be seen whole and masked.
            kept = bytes(data[:self.max_bytes + 32])
            masked = mask_frame(protocol, direction, kept)[:self.max_bytes]
            if note:
                from kspos.logs import mask_digits_in_text

                note = mask_digits_in_text(note)
            with self._lock:
                self._seq += 1
                self._rows.append(TrafficRow(self._seq, time.time(), device, direction, masked,
                                             len(data), note))
        except Exception:  # a monitor must never break the device it watches
            log.exception("traffic monitor: cannot record a %s frame", device)

    def since(self, seq: int = 0) -> list[TrafficRow]:
        """The rows after ``seq`` (0: every row kept), oldest first."""
        with self._lock:
            return [row for row in self._rows if row.seq > seq]

    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


MONITOR = TrafficMonitor()
"""The process's monitor: drivers record here, the screen and the bundle read it."""


def record(device: str, direction: str, data: bytes = b"", *, protocol: str = "raw",
           note: str = "") -> None:
    """Report one frame to :data:`MONITOR` (see :meth:`TrafficMonitor.record`)."""
    MONITOR.record(device, direction, data, protocol=protocol, note=note)
