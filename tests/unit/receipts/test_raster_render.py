"""Raster receipts: 1-bit images on the column grid, GS v 0 bands, the PNG preview."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from kspos.receipts import escpos
from kspos.receipts.decode import decode, images_to_png
from kspos.receipts.fonts import ReceiptFontMissing, find_korean_font
from kspos.receipts.layout import QrLine, lay_out
from kspos.receipts.raster import Grid, preview_png, renderer_for, save_png
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from tests.unit.receipts.goldens import FONT_CASES, GOLDEN, font_fingerprint, read_golden


@pytest.mark.parametrize("name", ["sale-48-raster", "sale-32-raster"])
def test_raster_golden_bytes(name: str) -> None:
    recorded = json.loads((GOLDEN / "fonts.json").read_text())
    if font_fingerprint() != recorded:
        pytest.skip(f"golden drawn with {recorded}; this machine has {font_fingerprint()}")
    assert FONT_CASES[name]() == read_golden(name)


IMAGE_QR = escpos.PrinterProfile(native_qr=False)  # a printer without GS ( k


@pytest.mark.parametrize(("columns", "dots"), [(48, 576), (42, 576), (32, 384)])
def test_bands_cover_the_paper_width(columns: int, dots: int) -> None:
    data = render(sample_receipt(), "raster", columns, profile=IMAGE_QR)
    printout = decode(data)
    assert data.startswith(escpos.INIT) and printout.cuts == 1
    assert printout.images and all(w == dots for w, _, _ in printout.images)
    assert all(rows <= escpos.RASTER_BAND_ROWS for _, rows, _ in printout.images)
    image = renderer_for(columns).draw(lay_out(sample_receipt(), columns))
    assert sum(rows for _, rows, _ in printout.images) == image.height


def test_preview_is_the_printed_image() -> None:
    receipt = sample_receipt()
    printed = Image.open(io.BytesIO(images_to_png(
        decode(render(receipt, "raster", 48, profile=IMAGE_QR)).images)))
    preview = Image.open(io.BytesIO(preview_png(receipt, 48)))
    assert preview.size == printed.size
    assert preview.convert("1").tobytes() == printed.convert("1").tobytes()


@pytest.mark.parametrize("columns", [48, 32])
def test_a_printer_with_native_qr_draws_the_code_between_the_bands(columns: int) -> None:
    """The paper is the preview with the QR strip left to the printer's own encoder."""
    receipt = sample_receipt()
    native = render(receipt, "raster", columns)
    printout = decode(native)
    assert printout.qr_payloads == [receipt.qr] and printout.cuts == 1
    layout = lay_out(receipt, columns)
    renderer = renderer_for(columns)
    strips = renderer.strips(layout)
    at = next(i for i, line in enumerate(layout.lines) if isinstance(line, QrLine))
    above = b"".join(strips[:at])
    below = b"".join(strips[at + 1:])
    printed = Image.open(io.BytesIO(images_to_png(printout.images))).convert("1")
    width = renderer.grid.dots
    expected = Image.frombytes("1", (width, (len(above) + len(below)) * 8 // width),
                               above + below)
    assert printed.size == expected.size
    assert printed.tobytes() == expected.tobytes()
    # the code itself is the printer's work: the job is smaller by the strip it would be
    assert len(native) < len(render(receipt, "raster", columns, profile=IMAGE_QR)) - 2_000


def test_glyphs_sit_on_the_column_grid() -> None:
    """Right-aligned amounts end in the last column: ink in the last cell, none beyond."""
    grid = Grid.for_columns(42)
    image = renderer_for(42).draw(lay_out(sample_receipt(), 42)).convert("L")
    right_cell = image.crop((grid.margin + grid.cell * 41, 0, grid.margin + grid.cell * 42,
                             image.height))
    outside = image.crop((grid.margin + grid.cell * 42, 0, image.width, image.height))
    assert right_cell.getextrema()[0] == 0  # some ink in the last column
    assert outside.getextrema() == (255, 255)  # nothing spills past the grid


def test_training_receipts_carry_a_watermark() -> None:
    plain = renderer_for(48).draw(lay_out(sample_receipt(), 48))
    training = renderer_for(48).draw(lay_out(sample_receipt(training=True), 48))
    # the stamp adds stippled ink in the middle that the plain receipt lacks
    def ink(image: Image.Image) -> int:
        return image.convert("L").histogram()[0]

    assert ink(training) > ink(plain) * 1.02


def test_save_png(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = save_png(sample_receipt(), tmp_path / "r" / "receipt.png", 32)
    with Image.open(path) as image:
        assert image.width == 384 and image.height > 1000


def test_missing_font_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReceiptFontMissing, match="fonts-nanum"):
        find_korean_font((str(tmp_path),))
