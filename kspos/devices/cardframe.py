"""The serial card reader protocol (specs/card-reader-serial.md): framing, LRC, an incremental
parser and the DATA field codecs of every command and reply.

Pure bytes in, bytes out: the serial driver (drivers/cardreader/serial.py) and the reader
emulator (drivers/sim/reader_emulator.py) both use it, so they cannot drift apart.

Frame: ``STX | LEN (2 bytes BE, bytes of CMD+DATA) | CMD | DATA | ETX | LRC`` where LRC is the
XOR of every byte from the first LEN byte through ETX.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

STX, ETX, ACK, NAK = 0x02, 0x03, 0x06, 0x15
ACK_BYTE, NAK_BYTE = bytes([ACK]), bytes([NAK])

FRAME_TIMEOUT_S = 1.0
"""A frame not finished this long after its STX is dropped (and NAKed by the receiver)."""

MAX_BODY = 2048
"""Largest CMD+DATA accepted; the longest real frame (``g``) carries 1 + 1 + 1024 bytes."""

TEXT_ENCODING = "euc-kr"

# Field widths (bytes) of the replies' DATA.
STATUS_MODEL, STATUS_FIRMWARE = 16, 8
READ_MASKED_PAN, READ_TRACK2, READ_EXPIRY, READ_BRAND = 20, 37, 4, 10
READ_REPLY_LEN = 1 + 1 + READ_MASKED_PAN + READ_TRACK2 + READ_EXPIRY + READ_BRAND
SIGNATURE_BYTES = 1024
DISPLAY_LINE = 16
MAX_READ_TIMEOUT_S = 99


class FieldError(ValueError):
    """A DATA field that does not follow the protocol (wrong length, not digits...)."""


def lrc(data: bytes) -> int:
    """XOR of ``data`` (the caller passes LEN..ETX)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(cmd: str, data: bytes = b"") -> bytes:
    """One whole frame for command/reply byte ``cmd`` and its DATA."""
    command = cmd.encode("ascii")
    if len(command) != 1:
        raise FieldError(f"a command is one ASCII byte, got {cmd!r}")
    body = command + bytes(data)
    if len(body) > MAX_BODY:
        raise FieldError(f"frame body too long: {len(body)} bytes")
    covered = len(body).to_bytes(2, "big") + body + bytes([ETX])
    return bytes([STX]) + covered + bytes([lrc(covered)])


@dataclass(frozen=True, slots=True)
class Frame:
    """A decoded frame: ``cmd`` is the command/reply letter, ``data`` its DATA bytes."""

    cmd: str
    data: bytes = b""

    def __repr__(self) -> str:  # DATA may carry track-2: never let it reach a log via repr
        return f"Frame({self.cmd!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class ParseEvent:
    """What the parser found: ``kind`` is ``frame``, ``ack``, ``nak`` or ``bad``.

    A ``bad`` event is a frame that started but was broken (bad LRC, no ETX where it should
    be, impossible length, not finished within 1 s): the receiver answers it with NAK.
    """

    kind: str
    frame: Frame | None = None
    reason: str = ""


@dataclass
class FrameParser:
    """Incremental parser: feed it bytes as they arrive, get events back.

    Bytes outside a frame are skipped until the next STX (an ACK or NAK byte there is reported
    as such). ``noise`` counts skipped bytes. A whole frame whose command byte is not printable
    ASCII is noise that happened to look like a frame: it is skipped too (``junk`` counts them),
    with no event, so the receiver neither ACKs nor NAKs it. A NAK would make the far end
    resend its last real frame (ACK/NAK carry no sequence number), an ACK could acknowledge a
    frame it lost. Never raises, whatever the input.
    """

    clock: Callable[[], float] = time.monotonic
    timeout_s: float = FRAME_TIMEOUT_S
    noise: int = 0
    junk: int = 0
    _buffer: bytearray = field(default_factory=bytearray)
    _started: float | None = None

    @property
    def in_frame(self) -> bool:
        return bool(self._buffer)

    def feed(self, data: bytes) -> list[ParseEvent]:
        """Consume ``data``; return the events completed by it, in order."""
        events = self.expire()
        todo = bytearray(data)
        pos = 0
        while pos < len(todo):
            byte = todo[pos]
            pos += 1
            if not self._buffer:
                if byte == STX:
                    self._buffer.append(byte)
                    self._started = self.clock()
                elif byte == ACK:
                    events.append(ParseEvent("ack"))
                elif byte == NAK:
                    events.append(ParseEvent("nak"))
                else:
                    self.noise += 1
                continue
            self._buffer.append(byte)
            replay = self._scan(events)
            if replay:  # a broken frame: what followed its STX is looked at again
                todo[pos:pos] = replay
        return events

    def expire(self) -> list[ParseEvent]:
        """Drop a frame begun more than ``timeout_s`` ago; returns a ``bad`` event if so."""
        if self._buffer and self._started is not None \
                and self.clock() - self._started > self.timeout_s:
            self._reset()
            return [ParseEvent("bad", reason="frame not finished within 1 s")]
        return []

    def _reset(self) -> None:
        self._buffer.clear()
        self._started = None

    def _scan(self, events: list[ParseEvent]) -> bytes:
        """Check the buffered frame (it starts with STX). A complete frame becomes an event;
        a broken one a ``bad`` event, and the bytes after its STX are returned to re-scan."""
        buf = self._buffer
        if len(buf) < 3:
            return b""
        length = int.from_bytes(buf[1:3], "big")
        if not 1 <= length <= MAX_BODY:
            return self._resync(events, f"impossible length {length}")
        if len(buf) < 3 + length + 2:
            return b""
        if buf[3 + length] != ETX:
            return self._resync(events, "no ETX at the end of the frame")
        covered = bytes(buf[1:4 + length])
        received = buf[4 + length]
        body = bytes(buf[3:3 + length])
        self._reset()
        if lrc(covered) != received:
            events.append(ParseEvent("bad", reason="LRC mismatch"))
        elif not 0x20 <= body[0] < 0x7F:
            self.junk += 1
            self.noise += 5 + length
        else:
            events.append(ParseEvent("frame", Frame(chr(body[0]), body[1:])))
        return b""

    def _resync(self, events: list[ParseEvent], reason: str) -> bytes:
        rest = bytes(self._buffer[1:])
        self._reset()
        events.append(ParseEvent("bad", reason=reason))
        return rest


# ---------------------------------------------------------------------------------------------
# DATA fields
# ---------------------------------------------------------------------------------------------


def num(value: int, width: int) -> bytes:
    """A number: ASCII digits, right-aligned, zero-padded to ``width``."""
    if value < 0:
        raise FieldError(f"a numeric field cannot be negative: {value}")
    text = str(int(value))
    if len(text) > width:
        raise FieldError(f"{value} does not fit in {width} digits")
    return text.rjust(width, "0").encode("ascii")


def text(value: str, width: int) -> bytes:
    """Text: EUC-KR, left-aligned, space-padded, cut at a character boundary.

    Characters KS X 1001 cannot hold (e.g. 똠) become ``?``: Python's codec would spell them
    as an 8-byte jamo sequence, which readers do not show.
    """
    out = bytearray()
    for char in value:
        encoded = char.encode(TEXT_ENCODING, errors="replace")
        if len(encoded) > 2:
            encoded = b"?"
        if len(out) + len(encoded) > width:
            break
        out += encoded
    return bytes(out).ljust(width, b" ")


def decode_text(raw: bytes) -> str:
    """The inverse of :func:`text`: trailing spaces removed, bad bytes replaced."""
    return raw.decode(TEXT_ENCODING, errors="replace").rstrip(" ")


def decode_num(raw: bytes) -> int:
    digits = raw.decode("ascii", errors="replace")
    if not digits.isdigit():
        raise FieldError(f"not a number field: {digits!r}")
    return int(digits)


# --- requests (POS → reader) --------------------------------------------------------------------


def read_request(amount: int, timeout_s: int) -> bytes:
    """``R`` / ``G`` DATA: amount (12 N) + timeout seconds (2 N, 01-99)."""
    return num(amount, 12) + num(max(1, min(MAX_READ_TIMEOUT_S, timeout_s)), 2)


def parse_read_request(data: bytes) -> tuple[int, int]:
    if len(data) != 14:
        raise FieldError(f"R/G data is 14 bytes, got {len(data)}")
    return decode_num(data[:12]), decode_num(data[12:])


def display_request(line1: str, line2: str = "") -> bytes:
    """``D`` DATA: two 16-byte lines."""
    return text(line1, DISPLAY_LINE) + text(line2, DISPLAY_LINE)


def parse_display_request(data: bytes) -> tuple[str, str]:
    if len(data) != 2 * DISPLAY_LINE:
        raise FieldError(f"D data is 32 bytes, got {len(data)}")
    return decode_text(data[:DISPLAY_LINE]), decode_text(data[DISPLAY_LINE:])


def beep_request(count: int) -> bytes:
    return num(max(1, min(9, count)), 1)


# --- replies (reader → POS) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusReply:
    state: str  # "R" ready, "I" card inserted, "E" error
    model: str
    firmware: str


def status_reply(state: str, model: str, firmware: str) -> bytes:
    return state.encode("ascii")[:1].ljust(1, b"E") + text(model, STATUS_MODEL) \
        + text(firmware, STATUS_FIRMWARE)


def parse_status_reply(data: bytes) -> StatusReply:
    if len(data) != 1 + STATUS_MODEL + STATUS_FIRMWARE:
        raise FieldError(f"s data is 25 bytes, got {len(data)}")
    return StatusReply(chr(data[0]), decode_text(data[1:17]), decode_text(data[17:]))


@dataclass(frozen=True, slots=True)
class ReadReply:
    """An ``r`` reply. ``track2`` and ``expiry`` are secret: kept out of ``repr``."""

    result: str  # "0".."4"
    entry_mode: str
    masked_pan: str
    track2: str = field(repr=False)
    expiry: str = field(repr=False)
    brand: str


def read_reply(result: str, entry_mode: str = " ", masked_pan: str = "", track2: str = "",
               expiry: str = "0000", brand: str = "") -> bytes:
    """``r`` DATA. With a result other than ``0`` the text fields are spaces, expiry ``0000``."""
    if result != "0":
        entry_mode, masked_pan, track2, expiry, brand = " ", "", "", "0000", ""
    if len(expiry) != 4 or not expiry.isdigit():
        raise FieldError("expiry is 4 digits (YYMM)")
    return (result.encode("ascii")[:1] + entry_mode.encode("ascii")[:1].ljust(1)
            + text(masked_pan, READ_MASKED_PAN) + text(track2, READ_TRACK2)
            + expiry.encode("ascii") + text(brand, READ_BRAND))


def parse_read_reply(data: bytes) -> ReadReply:
    if len(data) != READ_REPLY_LEN:
        raise FieldError(f"r data is {READ_REPLY_LEN} bytes, got {len(data)}")
    at = 2
    fields: list[str] = []
    for width in (READ_MASKED_PAN, READ_TRACK2, READ_EXPIRY, READ_BRAND):
        fields.append(decode_text(data[at:at + width]))
        at += width
    masked, track2, expiry, brand = fields
    return ReadReply(chr(data[0]), chr(data[1]), masked, track2, expiry, brand)


def signature_reply(result: str, bitmap: bytes = b"") -> bytes:
    image = bitmap if result == "0" else b""
    return result.encode("ascii")[:1] + image.ljust(SIGNATURE_BYTES, b"\x00")[:SIGNATURE_BYTES]


def parse_signature_reply(data: bytes) -> tuple[str, bytes]:
    if len(data) != 1 + SIGNATURE_BYTES:
        raise FieldError(f"g data is {1 + SIGNATURE_BYTES} bytes, got {len(data)}")
    return chr(data[0]), bytes(data[1:])
