"""Text-mode receipts for printers with Korean firmware.

ASCII goes out as is; each run of Korean (any KS X 1001 character) is sent as EUC-KR bytes
between ``FS &`` (double-byte mode on) and ``FS .`` (off). A row holding a character outside
KS X 1001 (똠, emoji...) cannot be printed that way, so that one row is drawn and sent as a
``GS v 0`` image instead. Titles and the total are bold and double size; the QR code uses the
printer's ``GS ( k`` encoder, or an image when the profile says the firmware has none.
"""

from __future__ import annotations

from kspos.receipts import escpos
from kspos.receipts.layout import FeedLine, Layout, QrLine, RuleLine, TextLine, lay_out
from kspos.receipts.model import Receipt
from kspos.receipts.textwidth import ksx1001_bytes


def encode_line(text: str) -> bytes | None:
    """``text`` as printer bytes with ``FS &``/``FS .`` around Korean runs; None if a
    character is neither printable ASCII nor in KS X 1001."""
    if text.isascii():
        return text.encode("ascii") if text.isprintable() else None
    out = bytearray()
    korean = False
    for ch in text:
        if ord(ch) < 0x80:
            if not ch.isprintable():
                return None
            if korean:
                out += escpos.KOREAN_OFF
                korean = False
            out.append(ord(ch))
            continue
        pair = ksx1001_bytes(ch)
        if pair is None:
            return None
        if not korean:
            out += escpos.KOREAN_ON
            korean = True
        out += pair
    if korean:
        out += escpos.KOREAN_OFF
    return bytes(out)


def _text_line(line: TextLine, columns: int) -> bytes:
    payload = encode_line(line.text.rstrip())
    if payload is None:  # outside KS X 1001: this row goes as an image, drawn like raster mode
        from kspos.receipts.raster import image_to_escpos, renderer_for

        return image_to_escpos(renderer_for(columns).line_image(line))
    size = {4: escpos.SIZE_QUAD, 2: escpos.SIZE_DOUBLE}.get(line.scale, b"")
    head = (escpos.BOLD_ON if line.bold else b"") + size
    tail = (escpos.SIZE_NORMAL if size else b"") + (escpos.BOLD_OFF if line.bold else b"")
    return head + payload + escpos.LF + tail


def _qr(line: QrLine, columns: int, profile: escpos.PrinterProfile) -> bytes:
    if profile.native_qr:
        return (escpos.ALIGN_CENTER + escpos.qr_native(line.payload, profile.qr_module_dots)
                + escpos.LF + escpos.ALIGN_LEFT)
    from PIL import Image

    from kspos.receipts.raster import PAPER, image_to_escpos, qr_image

    code = qr_image(line.payload, profile.qr_module_dots)
    dots = escpos.PAPER_DOTS[columns]
    row = Image.new("1", (dots, code.height), PAPER)
    row.paste(code, ((dots - code.width) // 2, 0))
    return image_to_escpos(row) + escpos.LF


def layout_to_escpos(layout: Layout, *, cut: bool = True, open_drawer: bool = False,
                     profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
    """The printer bytes for a laid-out receipt: ESC @, rows, feed, cut, drawer kick."""
    out = bytearray(escpos.INIT)
    for line in layout.lines:
        if isinstance(line, TextLine):
            out += _text_line(line, layout.columns)
        elif isinstance(line, RuleLine):
            out += line.char.encode("ascii")[:1] * layout.columns + escpos.LF
        elif isinstance(line, QrLine):
            out += _qr(line, layout.columns, profile)
        elif isinstance(line, FeedLine):
            out += escpos.LF * line.rows
    out += escpos.feed(profile.feed_before_cut)
    if cut and profile.cut:
        out += escpos.CUT
    if open_drawer:
        out += escpos.DRAWER_KICK
    return bytes(out)


def render_text(receipt: Receipt | Layout, columns: int = 48, *, cut: bool = True,
                open_drawer: bool = False,
                profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
    """A receipt (or a ready layout) as text-mode ESC/POS bytes."""
    layout = receipt if isinstance(receipt, Layout) else lay_out(receipt, columns)
    return layout_to_escpos(layout, cut=cut, open_drawer=open_drawer, profile=profile)
