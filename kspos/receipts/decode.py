"""Reading ESC/POS bytes back: what a printer would make of what KSPOS# sends.

The simulated printer uses it to show what it "printed" (text rows, images, QR payloads, cuts,
drawer kicks), and tests use it to check the renderers. It understands the commands in
:mod:`kspos.receipts.escpos` and rejects anything else, so a stray byte shows up as an error
instead of silently printing garbage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class DecodeError(ValueError):
    """The bytes are not ESC/POS this project sends."""


@dataclass
class Printout:
    """What a byte stream prints. ``rows``: text rows as printed (an image row shows as
    ``[image WxH]``); ``images``: (width_dots, rows, bits) per ``GS v 0`` band."""

    rows: list[str] = field(default_factory=list)
    images: list[tuple[int, int, bytes]] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    cuts: int = 0
    drawer_kicks: int = 0
    status_queries: list[int] = field(default_factory=list)
    bold_rows: list[str] = field(default_factory=list)
    double_rows: list[str] = field(default_factory=list)  # any enlarged size
    quad_rows: list[str] = field(default_factory=list)  # GS ! 0x33: four times both ways


# Fixed-length commands: prefix → total length.
_FIXED = {b"\x1b@": 2, b"\x1bE": 3, b"\x1ba": 3, b"\x1bd": 3, b"\x1bp": 5, b"\x1d!": 3,
          b"\x1c&": 2, b"\x1c.": 2, b"\x10\x04": 3}


def next_command(buf: bytes | bytearray, pos: int) -> tuple[tuple[Any, ...], int] | None:
    """The command or text byte at ``pos`` and where the next starts; None if incomplete.

    Events: ("text", byte), ("lf",), ("init",), ("bold", on), ("align", n), ("feed", n),
    ("drawer", pin), ("size", n), ("korean", on), ("status", n), ("cut",),
    ("raster", width_dots, rows, bits), ("qr", fn, data).
    """
    if pos >= len(buf):
        return None
    byte = buf[pos]
    if byte not in (0x10, 0x1B, 0x1C, 0x1D):
        return (("lf",) if byte == 0x0A else ("text", byte)), pos + 1
    head = bytes(buf[pos:pos + 2])
    if len(head) < 2:
        return None
    if head in _FIXED:
        end = pos + _FIXED[head]
        if end > len(buf):
            return None
        arg = buf[end - 1]
        kinds = {b"\x1b@": ("init",), b"\x1bE": ("bold", bool(arg)), b"\x1ba": ("align", arg),
                 b"\x1bd": ("feed", arg), b"\x1bp": ("drawer", buf[pos + 2]),
                 b"\x1d!": ("size", arg), b"\x1c&": ("korean", True),
                 b"\x1c.": ("korean", False), b"\x10\x04": ("status", arg)}
        return kinds[head], end
    if head == b"\x1dV":
        if pos + 3 > len(buf):
            return None
        end = pos + (4 if buf[pos + 2] in (65, 66) else 3)
        return (("cut",), end) if end <= len(buf) else None
    if head == b"\x1dv":
        return _raster(buf, pos)
    if head == b"\x1d(" and pos + 2 < len(buf) and buf[pos + 2] == ord("k"):
        if pos + 5 > len(buf):
            return None
        length = int.from_bytes(buf[pos + 3:pos + 5], "little")
        end = pos + 5 + length
        if end > len(buf):
            return None
        body = bytes(buf[pos + 5:end])
        return ("qr", body[1], body[2:]), end
    if head == b"\x1d(" and pos + 2 >= len(buf):
        return None
    raise DecodeError(f"unknown command {bytes(buf[pos:pos + 3])!r} at byte {pos}")


def _raster(buf: bytes | bytearray, pos: int) -> tuple[tuple[Any, ...], int] | None:
    if pos + 8 > len(buf):
        return None
    if buf[pos + 2] != 0x30:
        raise DecodeError(f"unsupported raster command at byte {pos}")
    row_bytes = int.from_bytes(buf[pos + 4:pos + 6], "little")
    rows = int.from_bytes(buf[pos + 6:pos + 8], "little")
    end = pos + 8 + row_bytes * rows
    if end > len(buf):
        return None
    return ("raster", row_bytes * 8, rows, bytes(buf[pos + 8:end])), end


class _Reader:
    def __init__(self) -> None:
        self.out = Printout()
        self.row = bytearray()
        self.korean = False
        self.bold = False
        self.double = False
        self.quad = False

    def flush(self) -> None:
        text = self.row.decode("ascii", errors="strict") if self.row.isascii() \
            else self._mixed(self.row)
        self.out.rows.append(text)
        if self.bold:
            self.out.bold_rows.append(text)
        if self.double:
            self.out.double_rows.append(text)
        if self.quad:
            self.out.quad_rows.append(text)
        self.row = bytearray()

    @staticmethod
    def _mixed(row: bytearray) -> str:
        try:
            return row.decode("euc_kr")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"bad EUC-KR bytes in a row: {bytes(row)!r}") from exc

    def feed(self, event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind == "text":
            byte = event[1]
            if (byte >= 0x80) != self.korean and not (self.korean and byte == 0x20):
                where = "inside" if self.korean else "outside"
                raise DecodeError(f"byte {byte:#04x} {where} FS & ... FS .")
            self.row.append(byte)
        elif kind == "lf":
            self.flush()
        elif kind == "korean":
            self.korean = event[1]
        elif kind == "bold":
            self.bold = event[1]
        elif kind == "size":
            self.double, self.quad = event[1] != 0, event[1] == 0x33
        elif kind == "raster":
            self.out.images.append(event[1:])
            self.out.rows.append(f"[image {event[1]}x{event[2]}]")
        elif kind == "qr" and event[1] == 80:
            self.out.qr_payloads.append(event[2][1:].decode("utf-8"))
        elif kind == "cut":
            self.out.cuts += 1
        elif kind == "drawer":
            self.out.drawer_kicks += 1
        elif kind == "status":
            self.out.status_queries.append(event[1])
        elif kind == "init":
            self.korean = self.bold = self.double = self.quad = False


def decode(data: bytes) -> Printout:
    """Everything ``data`` prints; DecodeError on bytes this project would never send."""
    reader = _Reader()
    pos = 0
    while pos < len(data):
        step = next_command(data, pos)
        if step is None:
            raise DecodeError(f"truncated command at byte {pos}")
        event, pos = step
        reader.feed(event)
    if reader.row:
        reader.flush()
    if reader.korean:
        raise DecodeError("FS & without FS . at the end")
    return reader.out


def images_to_png(images: list[tuple[int, int, bytes]]) -> bytes:
    """Stack ``GS v 0`` bands into one PNG (black ink on white), as the paper would show."""
    import io

    from PIL import Image

    if not images:
        raise ValueError("no images to draw")
    width = max(w for w, _, _ in images)
    height = sum(h for _, h, _ in images)
    sheet = Image.new("1", (width, height), 1)
    top = 0
    invert = bytes(255 - b for b in range(256))
    for w, h, bits in images:
        sheet.paste(Image.frombytes("1", (w, h), bits.translate(invert)), (0, top))
        top += h
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()
