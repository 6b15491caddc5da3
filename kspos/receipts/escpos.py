"""ESC/POS command bytes both renderers and the drivers share, and the printer profile.

Only the handful of commands KSPOS# sends; each is spelled out once here so the renderers, the
simulated printer and the decoder agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE, EOT, LF = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\x04", b"\n"

INIT = ESC + b"@"  # ESC @: reset modes, clear the buffer
KOREAN_ON = FS + b"&"  # FS &: double-byte (KS X 1001 / EUC-KR) mode on
KOREAN_OFF = FS + b"."  # FS .: double-byte mode off
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
SIZE_NORMAL, SIZE_DOUBLE = GS + b"!\x00", GS + b"!\x11"  # width ×2 and height ×2
SIZE_QUAD = GS + b"!\x33"  # width ×4 and height ×4: the 주문번호 read across a counter
ALIGN_LEFT, ALIGN_CENTER = ESC + b"a\x00", ESC + b"a\x01"
CUT = GS + b"VB\x00"  # GS V 66 0: feed to the cutter and cut (partial)
DRAWER_KICK = ESC + b"p\x00\x19\xfa"  # ESC p 0 25 250: pin 2, 50 ms on, 500 ms off
STATUS_PRINTER, STATUS_OFFLINE, STATUS_PAPER = (DLE + EOT + b"\x01", DLE + EOT + b"\x02",
                                                DLE + EOT + b"\x04")

RASTER_BAND_ROWS = 256
"""GS v 0 images are sent in bands of at most this many rows (printer buffers are small)."""

PAPER_DOTS = {48: 576, 42: 576, 32: 384}
"""Printable width in dots (203 dpi): 80 mm paper for 48/42 columns, 58 mm for 32."""


def feed(lines: int) -> bytes:
    """ESC d n: print and feed ``n`` lines."""
    return ESC + b"d" + bytes([max(0, min(lines, 255))])


def raster(width_dots: int, rows: int, bits: bytes) -> bytes:
    """One ``GS v 0`` image: ``bits`` are rows of width_dots/8 bytes, MSB left, 1 = ink."""
    row_bytes = width_dots // 8
    if width_dots % 8 or len(bits) != row_bytes * rows:
        raise ValueError("raster bits do not match the image size")
    header = GS + b"v0\x00" + row_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
    return header + bits


def raster_bands(width_dots: int, rows: int, bits: bytes,
                 band_rows: int = RASTER_BAND_ROWS) -> bytes:
    """The image as consecutive ``GS v 0`` bands of at most ``band_rows`` rows."""
    row_bytes = width_dots // 8
    out = bytearray()
    for top in range(0, rows, band_rows):
        height = min(band_rows, rows - top)
        out += raster(width_dots, height, bits[top * row_bytes:(top + height) * row_bytes])
    return bytes(out)


def _qr_function(fn: int, data: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn data."""
    body = bytes([49, fn]) + data
    return GS + b"(k" + len(body).to_bytes(2, "little") + body


QR_ERROR_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}


def qr_native(payload: str, module_dots: int = 6, level: str = "M") -> bytes:
    """Print a QR code with the printer's own encoder (GS ( k, model 2)."""
    data = payload.encode("utf-8")
    if len(data) > 7089:
        raise ValueError("QR payload too long")
    return (_qr_function(65, b"\x32\x00")  # fn 65: model 2
            + _qr_function(67, bytes([max(1, min(module_dots, 16))]))  # fn 67: module size
            + _qr_function(69, bytes([QR_ERROR_LEVELS[level]]))  # fn 69: error correction
            + _qr_function(80, b"\x30" + data)  # fn 80: store the data
            + _qr_function(81, b"\x30"))  # fn 81: print it


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """What the connected printer can do; the renderers choose commands by it.

    ``native_qr``: the firmware has GS ( k (most current models); otherwise the QR is sent as
    an image. ``qr_module_dots``: QR module size. ``cut``: the printer has an auto-cutter.
    """

    native_qr: bool = True
    qr_module_dots: int = 6
    cut: bool = True
    feed_before_cut: int = 3


DEFAULT_PROFILE = PrinterProfile()


def profile_for(printer_qr: str) -> PrinterProfile:
    """The profile of the configured printer (``devices.printer_qr``: "native" or "image")."""
    return PrinterProfile(native_qr=printer_qr == "native")
