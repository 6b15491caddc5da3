"""The VAN telegram codec (specs/van-telegram.md sections 1-3), byte for byte.

A frame is ``LLLL`` + STX + fixed-width fields + ETX + CR, ``LLLL`` counting the bytes after
it. Field widths are EUC-KR bytes: a Hangul syllable takes 2, text that does not fit is cut at
a character boundary, and a character outside KS X 1001 becomes ``?``. N fields are ASCII digits,
right-aligned and zero-padded; a value too long for one is an error, never cut.

Every problem, encoding or decoding, raises :class:`TelegramError` (a ``ValueError``) with a
message that says which field and why. Decoding splits it in two so a host can follow the
spec: :class:`FrameError` for a frame that cannot be read at all (the host closes without
answering) and :class:`FieldError` for a readable frame whose fields break the spec (the host
answers ``F``/``8001``; the error carries the echo fields it needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

STX, ETX, CR, FS = 0x02, 0x03, 0x0D, 0x1C
MAX_FRAME = 9_999
REQUEST_SIZE = 452
"""Bytes after LLLL of a request without a signature."""
SIGNATURE_SIZE = 1_024
SIGNED_REQUEST_SIZE = REQUEST_SIZE + SIGNATURE_SIZE
RESPONSE_SIZE = 364


class TelegramError(ValueError):
    """A telegram that breaks the spec (bad frame, bad field, value that does not fit)."""


class FrameError(TelegramError):
    """A frame that cannot be read at all: the host closes the connection without answering."""


class FieldError(TelegramError):
    """A readable frame whose fields break the spec: the host answers ``F``/``8001``.

    ``echo`` holds fields 2-8 as best decoded (class, job, type, mode, tid, company, serial)
    so the answer can echo them.
    """

    def __init__(self, message: str, echo: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.echo = echo or {}


# --- field encoders -----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _char_bytes(char: str) -> bytes:
    """One character in EUC-KR, or ``?`` when it is outside KS X 1001.

    Python's ``euc_kr`` codec spells a Hangul syllable missing from KS X 1001 (e.g. 똠) as an
    8-byte jamo sequence no host reads; anything longer than 2 bytes is therefore refused too.
    """
    try:
        raw = char.encode("euc_kr")
    except UnicodeEncodeError:
        return b"?"
    return raw if len(raw) <= 2 else b"?"


def encode_an(text: str, width: int) -> bytes:
    """An AN field: left-aligned, space-padded, cut at a character boundary."""
    if not isinstance(text, str):
        raise TelegramError(f"an AN field takes text, got {type(text).__name__}")
    if text.isascii():
        raw = text.encode("ascii")
        return raw[:width] if len(raw) >= width else raw + b" " * (width - len(raw))
    out = bytearray()
    for char in text:
        piece = _char_bytes(char)
        if len(out) + len(piece) > width:
            break
        out += piece
    return bytes(out) + b" " * (width - len(out))


def encode_n(value: int | str, width: int, name: str) -> bytes:
    """An N field: ASCII digits, right-aligned, zero-padded; too long or not digits = error."""
    if isinstance(value, bool):
        raise TelegramError(f"{name}: expected digits, got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise TelegramError(f"{name}: must not be negative, got {value}")
        text = str(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        text = value
    else:
        raise TelegramError(f"{name}: expected digits, got {value!r}")
    if len(text) > width:
        raise TelegramError(f"{name}: {text} does not fit in {width} digits")
    return text.rjust(width, "0").encode("ascii")


def width_of(text: str) -> int:
    """How many bytes ``text`` takes in a telegram field (Hangul = 2, outside KS X 1001 = 1)."""
    if text.isascii():
        return len(text)
    return sum(len(_char_bytes(c)) for c in text)


# --- layouts ------------------------------------------------------------------------------------
# (attribute, width, kind): kind "AN" text, "N" digit string, "I" integer (N), "C" constant byte.

_Layout = tuple[tuple[str, int, str], ...]

_ECHO: _Layout = (
    ("klass", 2, "AN"), ("job", 2, "AN"), ("type", 4, "N"), ("mode", 1, "AN"),
    ("tid", 10, "AN"), ("company", 4, "AN"), ("serial", 12, "N"),
)

REQUEST_LAYOUT: _Layout = (
    ("stx", 1, "C"), *_ECHO,
    ("entry_mode", 1, "AN"), ("van_txn_id", 20, "AN"), ("card_no", 20, "AN"),
    ("encryption", 1, "AN"), ("sw_model", 16, "AN"), ("reader_model", 16, "AN"),
    ("encryption_info", 40, "AN"), ("track2", 37, "AN"), ("fs", 1, "C"),
    ("installment", 2, "I"), ("total", 12, "I"), ("service", 12, "I"), ("vat", 12, "I"),
    ("supply", 12, "I"), ("tax_free", 12, "I"), ("wk_index", 2, "AN"), ("pin", 16, "AN"),
    ("orig_approval_no", 12, "AN"), ("orig_approval_date", 6, "AN"), ("user_info", 13, "AN"),
    ("merchant_id", 2, "AN"), ("pos_ref", 30, "AN"), ("reserved", 4, "AN"),
    ("van_reserved", 20, "AN"), ("dongle", 1, "AN"), ("media", 1, "AN"), ("telco", 1, "AN"),
    ("card_kind", 1, "AN"), ("filler", 30, "AN"), ("dcc", 60, "AN"), ("signed", 1, "AN"),
)
"""Fields 1-39 of a request; the 1,024-byte signature (39a), ETX and CR follow."""

RESPONSE_LAYOUT: _Layout = (
    ("stx", 1, "C"), *_ECHO,
    ("status", 1, "AN"), ("code", 4, "AN"), ("issuer_reply", 4, "AN"), ("host_time", 12, "N"),
    ("card_type", 1, "AN"), ("message1", 16, "AN"), ("message2", 16, "AN"),
    ("approval_no", 12, "AN"), ("van_txn_id", 20, "AN"), ("merchant_no", 15, "AN"),
    ("issuer_code", 2, "AN"), ("issuer_name", 16, "AN"), ("acquirer_code", 2, "AN"),
    ("acquirer_name", 16, "AN"), ("wk_index", 2, "AN"), ("working_key", 16, "AN"),
    ("balance", 9, "I"), ("point1", 9, "I"), ("point2", 9, "I"), ("point3", 9, "I"),
    ("notice1", 20, "AN"), ("notice2", 40, "AN"), ("reserved", 5, "AN"),
    ("van_reserved", 40, "AN"), ("filler", 30, "AN"),
)
"""Fields 1-33 of a response; ETX and CR follow."""

_CONSTANTS = {"stx": STX, "fs": FS}
_CONSTANT_BYTES = {name: bytes((value,)) for name, value in _CONSTANTS.items()}


def _offsets(layout: _Layout) -> dict[str, tuple[int, int, str]]:
    offsets, position = {}, 0
    for name, width, kind in layout:
        offsets[name] = (position, width, kind)
        position += width
    return offsets


def _plan(layout: _Layout) -> tuple[tuple[str, int, int, int, str], ...]:
    """(name, start, end, width, kind) per field: the codec's loops read this, nothing else."""
    return tuple((name, start, start + width, width, kind)
                 for name, (start, width, kind) in _offsets(layout).items())


REQUEST_OFFSETS = _offsets(REQUEST_LAYOUT)
RESPONSE_OFFSETS = _offsets(RESPONSE_LAYOUT)
_REQUEST_PLAN = _plan(REQUEST_LAYOUT)
_RESPONSE_PLAN = _plan(RESPONSE_LAYOUT)
assert sum(w for _, w, _ in REQUEST_LAYOUT) + 2 == REQUEST_SIZE
assert sum(w for _, w, _ in RESPONSE_LAYOUT) + 2 == RESPONSE_SIZE


# --- the two telegrams --------------------------------------------------------------------------


@dataclass(slots=True)
class Request:
    """A request telegram (section 2). AN values are given unpadded; decoding strips padding.

    Treat it as a value (``dataclasses.replace`` to change one); it is not frozen only because
    a frozen 38-field dataclass costs the simulator a tenth of its throughput.

    ``signature`` (1,024 bytes) makes field 39 ``T``; None makes it ``X``. ``track2`` holds card
    data in an approval and is left out of ``repr`` so it never reaches a log.
    """

    klass: str
    type: str
    tid: str
    serial: str
    mode: str = "N"
    company: str = ""
    job: str = "01"
    entry_mode: str = ""
    van_txn_id: str = ""
    card_no: str = ""
    encryption: str = "A"
    sw_model: str = ""
    reader_model: str = ""
    encryption_info: str = ""
    track2: str = field(default="", repr=False)
    installment: int = 0
    total: int = 0
    service: int = 0
    vat: int = 0
    supply: int = 0
    tax_free: int = 0
    wk_index: str = "AA"
    pin: str = field(default="", repr=False)
    orig_approval_no: str = ""
    orig_approval_date: str = ""
    user_info: str = ""
    merchant_id: str = ""
    pos_ref: str = ""
    reserved: str = ""
    van_reserved: str = ""
    dongle: str = "N"
    media: str = ""
    telco: str = ""
    card_kind: str = ""
    filler: str = ""
    dcc: str = ""
    signature: bytes | None = field(default=None, repr=False)

    @property
    def signed(self) -> str:
        """Field 39: ``T`` when a signature follows, else ``X``."""
        return "X" if self.signature is None else "T"


@dataclass(slots=True)
class Response:
    """A response telegram (section 3); ``type`` is the request's + 10."""

    klass: str
    type: str
    tid: str
    serial: str
    status: str
    code: str
    mode: str = "N"
    company: str = ""
    job: str = "01"
    issuer_reply: str = ""
    host_time: str = "000000000000"
    card_type: str = ""
    message1: str = ""
    message2: str = ""
    approval_no: str = ""
    van_txn_id: str = ""
    merchant_no: str = ""
    issuer_code: str = ""
    issuer_name: str = ""
    acquirer_code: str = ""
    acquirer_name: str = ""
    wk_index: str = ""
    working_key: str = ""
    balance: int = 0
    point1: int = 0
    point2: int = 0
    point3: int = 0
    notice1: str = ""
    notice2: str = ""
    reserved: str = ""
    van_reserved: str = ""
    filler: str = ""


# --- encoding -----------------------------------------------------------------------------------

_TRAILER = bytes((ETX, CR))


def _encode_fields(plan: tuple[tuple[str, int, int, int, str], ...], values: Any) -> list[bytes]:
    parts: list[bytes] = []
    append = parts.append
    for name, _start, _end, width, kind in plan:
        if kind == "C":
            append(_CONSTANT_BYTES[name])
            continue
        value = getattr(values, name)
        if kind == "AN":
            if value.__class__ is str and value.isascii() and len(value) <= width:
                append(value.encode().ljust(width))  # the common case, fast
            else:
                append(encode_an(value, width))
        elif kind == "I" and value.__class__ is int and 0 <= value < _LIMITS[width]:
            append(b"%0*d" % (width, value))
        else:
            append(encode_n(value, width, name))
    return parts


_LIMITS = {width: 10**width for width in range(1, 13)}


def frame(body: bytes) -> bytes:
    """Prefix ``body`` (STX..CR) with its 4-digit length."""
    if len(body) > MAX_FRAME:
        raise TelegramError(f"a frame holds at most {MAX_FRAME} bytes, got {len(body)}")
    return b"%04d" % len(body) + body


def encode_request(request: Request) -> bytes:
    """The whole request frame, ``LLLL`` included (452 bytes after it; 1,476 when signed)."""
    parts = _encode_fields(_REQUEST_PLAN[:-1], request)
    parts.append(encode_an(request.signed, 1))
    if request.signature is not None:
        if not isinstance(request.signature, bytes | bytearray) or \
                len(request.signature) != SIGNATURE_SIZE:
            raise TelegramError(f"signature: must be {SIGNATURE_SIZE} bytes")
        parts.append(bytes(request.signature))
    parts.append(_TRAILER)
    return frame(b"".join(parts))


def encode_response(response: Response) -> bytes:
    """The whole response frame, ``LLLL`` included (364 bytes after it)."""
    parts = _encode_fields(_RESPONSE_PLAN, response)
    parts.append(_TRAILER)
    return frame(b"".join(parts))


# --- decoding -----------------------------------------------------------------------------------


def frame_length(prefix: bytes) -> int:
    """The length a 4-byte ``LLLL`` prefix announces; FrameError unless 4 ASCII digits."""
    if len(prefix) != 4 or not prefix.isdigit():
        raise FrameError(f"the length prefix must be 4 digits, got {prefix!r}")
    return int(prefix)


def unframe(data: bytes) -> bytes:
    """Check ``LLLL`` + STX ... ETX CR and return the bytes after ``LLLL``."""
    if not isinstance(data, bytes | bytearray):
        raise FrameError(f"a frame is bytes, got {type(data).__name__}")
    length = frame_length(bytes(data[:4]))
    body = bytes(data[4:])
    if len(body) != length:
        raise FrameError(f"the length prefix says {length} bytes, the frame has {len(body)}")
    if length < 3 or body[0] != STX or body[-2] != ETX or body[-1] != CR:
        raise FrameError("the frame does not run STX ... ETX CR")
    return body


def _decode_an(raw: bytes, name: str) -> str:
    try:
        return raw.rstrip(b" ").decode("euc_kr")
    except UnicodeDecodeError:
        raise TelegramError(f"{name}: not EUC-KR text") from None


def _decode_fields(body: bytes, plan: tuple[tuple[str, int, int, int, str], ...],
                   ) -> dict[str, Any]:
    values: dict[str, Any] = {}
    # ASCII frames (nearly all) are decoded once; each field is then a slice of that text.
    text = body.decode("latin-1") if body.isascii() else None
    for name, start, end, _width, kind in plan:
        if kind == "AN":
            if text is not None:
                values[name] = text[start:end].rstrip(" ")
            else:
                values[name] = _decode_an(body[start:end], name)
            continue
        raw = body[start:end]
        if kind == "C":
            if raw[0] != _CONSTANTS[name]:
                raise TelegramError(f"{name}: expected 0x{_CONSTANTS[name]:02X}, "
                                    f"got 0x{raw[0]:02X}")
        elif not raw.isdigit():
            raise TelegramError(f"{name}: an N field holds digits only, got {raw!r}")
        else:
            values[name] = int(raw) if kind == "I" else raw.decode("ascii")
    return values


def _echo_of(body: bytes) -> dict[str, str]:
    """Fields 2-8 decoded leniently: what an F answer echoes even for a broken request."""
    echo, position = {}, 1
    for name, width, _kind in _ECHO:
        echo[name] = body[position:position + width].rstrip(b" ").decode("euc_kr", "replace")
        position += width
    return echo


def decode_request(data: bytes) -> Request:
    """Parse a whole request frame (``LLLL`` included).

    FrameError when it cannot be read (the host closes), FieldError when a field breaks the
    spec (the host answers ``F``/``8001``).
    """
    body = unframe(data)
    if len(body) not in (REQUEST_SIZE, SIGNED_REQUEST_SIZE):
        raise FrameError(f"a request is {REQUEST_SIZE} or {SIGNED_REQUEST_SIZE} bytes, "
                         f"got {len(body)}")
    fixed = REQUEST_SIZE - 2
    try:
        values = _decode_fields(body[:fixed], _REQUEST_PLAN)
    except TelegramError as exc:
        raise FieldError(str(exc), _echo_of(body)) from None
    signed = values.pop("signed")
    signature: bytes | None = None
    if signed == "T" and len(body) == SIGNED_REQUEST_SIZE:
        signature = body[fixed:fixed + SIGNATURE_SIZE]
    elif not (signed == "X" and len(body) == REQUEST_SIZE):
        raise FieldError(f"field 39 is {signed!r} in a {len(body)}-byte request "
                         "(X: 452 bytes, T: 1,476 with the signature)", _echo_of(body))
    return Request(signature=signature, **values)


def decode_response(data: bytes) -> Response:
    """Parse a whole response frame (``LLLL`` included); TelegramError when it breaks the spec."""
    body = unframe(data)
    if len(body) != RESPONSE_SIZE:
        raise FrameError(f"a response is {RESPONSE_SIZE} bytes, got {len(body)}")
    values = _decode_fields(body, _RESPONSE_PLAN)
    if values["status"] not in ("O", "X", "F"):
        raise TelegramError(f"status: expected O, X or F, got {values['status']!r}")
    return Response(**values)
