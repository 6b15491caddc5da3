"""The ports: small Protocols every device kind and the VAN link implement.

Real drivers live in ``drivers/``; each kind also has a simulated twin there that records what
it was sent (demo mode and tests use it). The core and the UI only ever see these Protocols.
Device calls may block: callers run them on that device's worker thread, never the GUI thread.

What a device can do is declared here, not probed: every driver and twin provides each member
(a capability a driver lacks has the documented answer, e.g. ``simulated = False`` and a
``queue_scan`` that raises DeviceError), so callers ask the device instead of ``getattr``.
"""

from __future__ import annotations

import contextlib
import enum
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


class DeviceError(Exception):
    """A device did not do what it was asked (not answering, unplugged, refused).

    ``str(error)`` is a short message fit for the cashier or technician.
    """


class DeviceUnavailable(DeviceError):
    """The device, or the library or daemon it needs (pyscard, pcscd), is not there."""


NOT_SIMULATED = "시뮬레이터에서만 됩니다 (only a simulated device does this)"
"""DeviceError text of the simulated twins' test hooks (``insert_card``, ``queue_scan``) when
they are asked of a real device."""


# ---------------------------------------------------------------------------------------------
# Receipt printer and cash drawer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What a printer reports (DLE EOT where the transport allows reading it)."""

    online: bool = True
    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    known: bool = True
    """False when the transport cannot read status back (``file:``, some USB)."""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.online and not self.paper_out and not self.cover_open


@runtime_checkable
class CashDrawer(Protocol):
    """A cash drawer; usually kicked through the receipt printer (ESC p)."""

    def open_drawer(self) -> None:
        """Pulse the drawer kick; raise DeviceError if it could not be sent."""
        ...


@runtime_checkable
class ReceiptPrinter(CashDrawer, Protocol):
    """A byte sink for ESC/POS receipts. Rendering happens in ``kspos.receipts``.

    Every receipt printer is also the :class:`CashDrawer` wired to it: ESC/POS kicks the drawer
    through the printer (a printer without a drawer simply has nothing on the kick pins).
    """

    spec: str

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None:
        """Send raw ESC/POS bytes; raise DeviceError when they could not be delivered."""
        ...
    def status(self) -> PrinterStatus: ...


# ---------------------------------------------------------------------------------------------
# Card reader
# ---------------------------------------------------------------------------------------------


class ReadResult(enum.Enum):
    """The outcome of one card read (the serial protocol's result digit)."""

    READ = "0"
    TIMED_OUT = "1"
    CANCELLED = "2"
    FALLBACK = "3"  # chip failed: swipe instead
    ERROR = "4"


@dataclass(frozen=True, slots=True)
class CardRead:
    """A card read by a reader.

    ``track2`` (``PAN=YYMM...``) lives only in memory for the one VAN request that carries it;
    it is excluded from ``repr`` (with ``expiry``) so it never lands in a log by accident. Only
    ``masked_pan`` and ``bin`` may be stored or printed.
    """

    result: ReadResult
    entry_mode: str = " "  # "I" chip, "S" swipe, "K" keyed
    masked_pan: str = ""
    bin: str = ""
    brand: str = ""
    track2: str = field(default="", repr=False)
    expiry: str = field(default="", repr=False)  # YYMM; never printed
    reader: str = ""
    atr: str = ""  # PC/SC readers: the card's ATR in hex


@dataclass(frozen=True, slots=True)
class Signature:
    """A customer's signature: a 128×64 1-bit image, rows top to bottom, MSB first, 1 = ink."""

    bitmap: bytes

    WIDTH = 128
    HEIGHT = 64
    SIZE = WIDTH * HEIGHT // 8  # 1024 bytes

    def __post_init__(self) -> None:
        if len(self.bitmap) != self.SIZE:
            raise ValueError(f"a signature is {self.SIZE} bytes, got {len(self.bitmap)}")

    def has_ink(self) -> bool:
        return any(self.bitmap)


@dataclass(frozen=True, slots=True)
class ReaderStatus:
    state: str  # "ready", "card", "error", "offline"
    model: str = ""
    firmware: str = ""
    detail: str = ""


@runtime_checkable
class CardReader(Protocol):
    """An IC card reader / sign pad (serial) or a PC/SC chip reader."""

    spec: str
    simulated: bool
    """True only for the simulated twin (demo mode): the cashier picks a test card on screen
    and :meth:`insert_card` presents it. False for every real reader."""

    def open(self) -> None: ...
    def close(self) -> None: ...
    def status(self) -> ReaderStatus: ...
    def read_card(self, amount: int, timeout_s: float) -> CardRead:
        """Wait for a card (blocking, up to ``timeout_s``); ``cancel_read`` ends it early."""
        ...
    def cancel_read(self) -> None: ...
    def display(self, line1: str, line2: str = "") -> None: ...
    def get_signature(self, amount: int, timeout_s: float) -> Signature | None:
        """Capture a signature on the pad; None when timed out or cancelled, or no pad."""
        ...
    def beep(self, count: int = 1) -> None: ...
    def insert_card(self, track2_or_pan: str = "") -> None:
        """Present a test card (a track-2 or a bare PAN) to the simulated twin; a real reader
        raises DeviceError: its card is the customer's, in the slot."""
        ...


# ---------------------------------------------------------------------------------------------
# Barcode scanner
# ---------------------------------------------------------------------------------------------


@runtime_checkable
class Scanner(Protocol):
    """A barcode / QR scanner that yields one decoded code at a time."""

    spec: str
    keyboard_wedge: bool
    """True when codes arrive as key presses to the focused window (a USB HID scanner in
    keyboard mode): the window's wedge decoder takes them and nothing polls ``read_scan``."""
    simulated: bool
    """True only for the simulated twin: :meth:`queue_scan` hands it a code (demo, 장치 점검)."""

    def open(self) -> None: ...
    def close(self) -> None: ...
    def read_scan(self, timeout_s: float) -> str | None:
        """Block until one code is scanned (without its terminator); None on timeout."""
        ...
    def queue_scan(self, code: str) -> None:
        """Have the simulated twin deliver ``code`` as if scanned; a real scanner raises
        DeviceError (a code must be shown to it)."""
        ...


# ---------------------------------------------------------------------------------------------
# VAN link
# ---------------------------------------------------------------------------------------------


class VanLinkError(Exception):
    """The exchange with the VAN host failed. ``maybe_sent`` decides whether 망취소 is owed."""

    maybe_sent: bool = True


class VanConnectError(VanLinkError):
    """No connection could be made: not one byte of the request left this machine."""

    maybe_sent = False


class VanNoAnswer(VanLinkError):
    """The request was (or may have been) sent and no whole frame came back in time."""

    maybe_sent = True


@runtime_checkable
class VanLink(Protocol):
    """One request frame out, one response frame back, over a fresh connection each time."""

    spec: str

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        """Send ``frame`` (LLLL-prefixed) and return the whole response frame, LLLL included.

        Raises VanConnectError when nothing was sent, VanNoAnswer when the request may have
        reached the host but no complete frame came back.
        """
        ...
    def close(self) -> None:
        """Let go of what the link holds between exchanges (the embedded simulator's thread; a
        TCP link holds nothing). Safe to call twice."""
        ...


# ---------------------------------------------------------------------------------------------
# The set of devices a running store has
# ---------------------------------------------------------------------------------------------


@runtime_checkable
class Pager(Protocol):
    """A 진동벨 (pager) transmitter: told "call N" when an order is ready (docs/pickup.md).

    The wire form is one ASCII line ``CALL <N>\\r\\n``; no answer is awaited."""

    spec: str

    def open(self) -> None: ...
    def close(self) -> None: ...
    def call(self, number: int) -> None:
        """Make pager ``number`` buzz; raise DeviceError (within ~2 s) when it cannot be sent."""
        ...


@dataclass
class Devices:
    """What ``drivers.registry.build_devices`` hands the app: one object per configured kind.

    ``problems`` maps a device kind to why it could not be built (missing library, bad port);
    the screens show it instead of crashing. (Mutable, with a ``__dict__``, as it always was.)
    """

    printer: ReceiptPrinter | None = None
    drawer: CashDrawer | None = None
    card_reader: CardReader | None = None
    scanner: Scanner | None = None
    van: VanLink | None = None
    problems: dict[str, str] = field(default_factory=dict)
    pager: Pager | None = None  # [devices] pager: None when "off"

    def close(self) -> None:
        for device in (self.printer, self.card_reader, self.scanner, self.pager):
            if device is not None:
                with contextlib.suppress(DeviceError):
                    device.close()
        if self.van is not None:
            self.van.close()
