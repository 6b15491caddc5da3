"""Raster receipts: the layout drawn with a Korean font into a 1-bit image, sent as ``GS v 0``.

Works on every ESC/POS printer, Korean firmware or not. The image is 576 dots wide for 80 mm
paper (48 or 42 columns) and 384 for 58 mm (32 columns). Characters sit on the same column grid
as text mode: a column is ``width // columns`` dots (12 at 48 and 32 columns, 13 at 42) and a
Hangul syllable takes two. Drawing uses Pillow only (no Qt), so the core stays GUI-free;
:func:`preview_png` gives the UI the very same picture.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kspos.receipts import escpos
from kspos.receipts.fonts import FontFiles, find_korean_font
from kspos.receipts.layout import FeedLine, Layout, QrLine, RuleLine, TextLine, lay_out
from kspos.receipts.model import Receipt
from kspos.receipts.textwidth import char_width

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageFont

INK, PAPER = 0, 1  # mode "1": 0 prints black; sent to the printer inverted (1 = dot)
_INVERT = bytes(255 - b for b in range(256))


@dataclass(frozen=True, slots=True)
class Grid:
    """Geometry of one paper width: dots, dots per column, left margin, row height, font size."""

    columns: int
    dots: int
    cell: int
    margin: int
    row: int
    font_px: int

    @classmethod
    def for_columns(cls, columns: int) -> Grid:
        dots = escpos.PAPER_DOTS[columns]
        cell = dots // columns
        return cls(columns, dots, cell, (dots - cell * columns) // 2, cell * 2 + 6, cell * 2)


class _Face:
    """One font at one size, with a cache of glyph masks sized to their grid cells.

    Every character is drawn once into a mask one row high and as wide as its cells (plus a
    small bleed for glyphs wider than their cell), then pasted at its column: the same grid
    text mode prints on, and far faster than asking FreeType for every row.
    """

    BLEED = 4

    def __init__(self, font: ImageFont.FreeTypeFont, cell: int, row: int,
                 overstrike: bool) -> None:
        self.font = font
        self.cell = cell
        self.row = row
        self.overstrike = overstrike  # no bold file: bold by drawing twice, 1 dot apart
        ascent, descent = font.getmetrics()
        # centre the font's ascent+descent box in the row
        self.baseline = (row - ascent - descent) // 2 + ascent
        self._glyphs: dict[str, PILImage.Image | None] = {}
        self._lock = threading.Lock()

    def glyph(self, ch: str) -> PILImage.Image | None:
        """The mask for ``ch`` (None for blanks), drawn centred in its cells."""
        if ch in self._glyphs:
            return self._glyphs[ch]
        with self._lock:  # FreeType faces are not to be shared by threads while drawing
            return self._draw_glyph(ch)

    def _draw_glyph(self, ch: str) -> PILImage.Image | None:
        from PIL import Image, ImageDraw

        width = char_width(ch) * self.cell
        mask: PILImage.Image | None = None
        if width and not ch.isspace():
            mask = Image.new("1", (width + 2 * self.BLEED, self.row), 0)
            x = self.BLEED + (width - self.font.getlength(ch)) / 2
            draw = ImageDraw.Draw(mask)
            for dx in ((0, 1) if self.overstrike else (0,)):
                draw.text((x + dx, self.baseline), ch, font=self.font, fill=1, anchor="ls")
            if mask.getbbox() is None:
                mask = None
        self._glyphs[ch] = mask
        return mask


@lru_cache(maxsize=32)
def _load_face(files: FontFiles, bold: bool, cell: int, row: int) -> _Face:
    from PIL import ImageFont

    path = files.bold if bold and files.bold is not None else files.regular
    probe = ImageFont.truetype(str(path), 100, index=files.index,
                               layout_engine=ImageFont.Layout.BASIC)
    # A proportional fallback font gets a size whose digits still fit one column.
    digit_per_px = probe.getlength("0") / 100
    size = min(cell * 2, int(cell / digit_per_px)) if digit_per_px > 0 else cell * 2
    font = ImageFont.truetype(str(path), size, index=files.index,
                              layout_engine=ImageFont.Layout.BASIC)
    return _Face(font, cell, row, overstrike=bold and files.bold is None)


class RasterRenderer:
    """Draws layouts for one paper width. Reuse one instance: fonts are loaded once."""

    def __init__(self, columns: int = 48, fonts: FontFiles | None = None,
                 qr_module_dots: int | None = None) -> None:
        self.grid = Grid.for_columns(columns)
        self.fonts = fonts or find_korean_font()
        self.qr_module_dots = qr_module_dots or (6 if self.grid.dots >= 576 else 5)

    # --- geometry ---------------------------------------------------------------------------

    def _height(self, line: TextLine | RuleLine | QrLine | FeedLine) -> int:
        g = self.grid
        if isinstance(line, TextLine):
            return g.row * line.scale
        if isinstance(line, RuleLine):
            return g.row
        if isinstance(line, FeedLine):
            return g.row * line.rows
        return self._qr_size(line.payload) + g.row // 2

    def _qr_size(self, payload: str) -> int:
        return len(_qr_matrix(payload)) * self.qr_module_dots

    # --- drawing ----------------------------------------------------------------------------

    def strips(self, layout: Layout) -> list[bytes]:
        """The layout as packed rows of dots, top to bottom, one strip per layout line.

        Packed as Pillow's mode "1" raw bytes (a set bit is paper). The image is the strips
        one after another, so printer bytes need no image at all: most strips come from a
        cache, and packing a whole receipt image alone would cost more than the rest.
        """
        if layout.columns != self.grid.columns:
            raise ValueError(f"layout is {layout.columns} columns, renderer {self.grid.columns}")
        return [self._strip(line) for line in layout.lines] or [self._blank(self.grid.row)]

    def _strip(self, line: TextLine | RuleLine | QrLine | FeedLine) -> bytes:
        if isinstance(line, TextLine):
            return self._text_strip(line.text, line.bold, line.scale)
        if isinstance(line, RuleLine):
            return self._rule_strip(line.char)
        if isinstance(line, QrLine):
            return self._qr_strip(line.payload)
        return self._blank(self._height(line))

    def draw(self, layout: Layout) -> PILImage.Image:
        """The whole layout as a 1-bit image (mode "1", white paper, black ink)."""
        from PIL import Image

        data = b"".join(self.strips(layout))
        image = Image.frombytes("1", (self.grid.dots, len(data) // self._row_bytes), data)
        if layout.training:
            self._stamp(image, "연습")
        return image

    def line_image(self, line: TextLine) -> PILImage.Image:
        """One text row alone (text mode sends rows it cannot encode this way)."""
        from PIL import Image

        return Image.frombytes("1", (self.grid.dots, self._height(line)),
                               self._text_strip(line.text, line.bold, line.scale))

    @property
    def _row_bytes(self) -> int:
        return self.grid.dots // 8

    def _blank(self, height: int) -> bytes:
        return b"\xff" * (self._row_bytes * height)

    # Most rows of a slip repeat from sale to sale (the store block, rules, menu lines, the
    # footer): a drawn row is kept, so a sale joins a few dozen byte strings rather than
    # pasting a thousand glyphs. 1,024 rows of 576 dots are about 2.5 MB.
    @lru_cache(maxsize=1024)  # noqa: B019 - renderers are few and live as long as the program
    def _text_strip(self, text: str, bold: bool, scale: int) -> bytes:
        """One text row drawn on its own strip of paper, glyph by glyph on the column grid
        (``scale``: 1, 2 for a double row, 4 for a 주문번호)."""
        from PIL import Image

        cell = self.grid.cell * scale
        face = _load_face(self.fonts, bold, cell, self.grid.row * scale)
        row = Image.new("1", (self.grid.dots, self.grid.row * scale), PAPER)
        x = self.grid.margin - face.BLEED
        for ch in text:
            mask = face.glyph(ch)
            if mask is not None:
                row.paste(INK, (x, 0), mask)
            x += char_width(ch) * cell
        return row.tobytes()

    @lru_cache(maxsize=4)  # noqa: B019 - a handful of rows per renderer, renderers are few
    def _rule_strip(self, char: str) -> bytes:
        """One row holding a rule: ``=`` two solid lines, anything else dashed."""
        from PIL import Image, ImageDraw

        g = self.grid
        row = Image.new("1", (g.dots, g.row), PAPER)
        draw = ImageDraw.Draw(row)
        left, right = g.margin, g.margin + g.cell * g.columns - 1
        middle = g.row // 2
        if char == "=":
            draw.rectangle((left, middle - 3, right, middle - 2), fill=INK)
            draw.rectangle((left, middle + 1, right, middle + 2), fill=INK)
        else:
            for x in range(left, right, 8):  # dashed: 5 on, 3 off
                draw.rectangle((x, middle - 1, min(x + 4, right), middle), fill=INK)
        return row.tobytes()

    def _qr_strip(self, payload: str) -> bytes:
        """The QR code centred on a strip with a quarter row of paper above it."""
        from PIL import Image

        qr = qr_image(payload, self.qr_module_dots)
        strip = Image.new("1", (self.grid.dots, self._qr_size(payload) + self.grid.row // 2),
                          PAPER)
        strip.paste(qr, ((self.grid.dots - qr.width) // 2, self.grid.row // 4))
        return strip.tobytes()

    def _stamp(self, image: PILImage.Image, word: str) -> None:
        """A stippled (one dot in four) "연습" across the middle: readable text stays readable."""
        from PIL import Image, ImageChops, ImageDraw

        face = _load_face(self.fonts, True, self.grid.dots // 10, self.grid.dots // 5)
        mask = Image.new("1", image.size, 0)
        ImageDraw.Draw(mask).text((image.width // 2, image.height // 2), word, font=face.font,
                                  fill=1, anchor="mm")
        row_bytes = image.width // 8
        rows = (b"\xaa" * row_bytes + b"\x00" * row_bytes) * (image.height // 2 + 1)
        pattern = Image.frombytes("1", image.size, rows[:row_bytes * image.height])
        image.paste(INK, mask=ImageChops.logical_and(mask, pattern))

    # --- output -----------------------------------------------------------------------------

    def escpos(self, layout: Layout, *, cut: bool = True, open_drawer: bool = False,
               profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
        """The printer bytes: ESC @, the image in GS v 0 bands, feed, cut, drawer kick.

        With a printer that draws QR codes itself (``profile.native_qr``) the QR code is its
        GS ( k command between the bands above and below it: ~14 KB less to send over the
        line, and no QR drawing per sale. A training slip stays one image (the stamp crosses
        it whole).
        """
        out = bytearray(escpos.INIT)
        if layout.training:  # the stamp is drawn over the whole image
            out += image_to_escpos(self.draw(layout))
        else:
            band = [] if layout.lines else [self._blank(self.grid.row)]
            for line in layout.lines:
                if isinstance(line, QrLine) and profile.native_qr:
                    out += self._bands(band)
                    band = []
                    out += (escpos.ALIGN_CENTER + escpos.qr_native(line.payload,
                                                                   profile.qr_module_dots)
                            + escpos.LF + escpos.ALIGN_LEFT)
                else:
                    band.append(self._strip(line))
            out += self._bands(band)
        out += escpos.feed(profile.feed_before_cut)
        if cut and profile.cut:
            out += escpos.CUT
        if open_drawer:
            out += escpos.DRAWER_KICK
        return bytes(out)

    def _bands(self, strips: list[bytes]) -> bytes:
        if not strips:
            return b""
        bits = b"".join(strips)
        return escpos.raster_bands(self.grid.dots, len(bits) // self._row_bytes,
                                   bits.translate(_INVERT))


def image_to_escpos(image: PILImage.Image) -> bytes:
    """A mode "1" image (white paper) as GS v 0 bands; its width must be a multiple of 8."""
    bits = image.tobytes().translate(_INVERT)
    return escpos.raster_bands(image.width, image.height, bits)


@lru_cache(maxsize=64)
def _qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # A fixed mask: choosing the "best" of eight costs ~3 ms per receipt in pure Python, and
    # scanners read every mask alike (the format bits say which one was used).
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=0,
                         mask_pattern=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def qr_image(payload: str, module_dots: int) -> PILImage.Image:
    """The QR code (error correction M) as a mode "1" image, ``module_dots`` per module."""
    from PIL import Image

    matrix = _qr_matrix(payload)
    size = len(matrix)
    small = Image.new("1", (size, size), PAPER)
    small.putdata([INK if dark else PAPER for row in matrix for dark in row])
    return small.resize((size * module_dots, size * module_dots), Image.Resampling.NEAREST)


@lru_cache(maxsize=3)
def renderer_for(columns: int) -> RasterRenderer:
    """A shared renderer per width (fonts found and loaded once)."""
    return RasterRenderer(columns)


def _layout_of(receipt: Receipt | Layout, columns: int) -> Layout:
    return receipt if isinstance(receipt, Layout) else lay_out(receipt, columns)


def render_raster(receipt: Receipt | Layout, columns: int = 48, *, cut: bool = True,
                  open_drawer: bool = False,
                  profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
    """A receipt (or a ready layout) as raster ESC/POS bytes."""
    layout = _layout_of(receipt, columns)
    return renderer_for(layout.columns).escpos(layout, cut=cut, open_drawer=open_drawer,
                                               profile=profile)


def preview_png(receipt: Receipt | Layout, width: int = 48) -> bytes:
    """The receipt as a PNG, exactly as the raster printer prints it (for the UI and files)."""
    layout = _layout_of(receipt, width)
    buffer = io.BytesIO()
    renderer_for(layout.columns).draw(layout).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def save_png(receipt: Receipt | Layout, path: Path | str, width: int = 48) -> Path:
    """Write :func:`preview_png` to ``path`` (folders created); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(preview_png(receipt, width))
    return target
