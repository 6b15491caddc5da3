"""Golden ESC/POS outputs: the cases, and how to (re)write them.

Regenerate after a deliberate change, then REVIEW before committing:

    .venv/bin/python -m tests.unit.receipts.goldens          # writes tests/unit/receipts/golden/
    .venv/bin/python -m tests.unit.receipts.goldens --show   # decoded text + PNGs to look at

Text-mode goldens depend only on our code. Raster goldens (and the text case holding a raster
fallback row) depend on the font file and FreeType too: ``fonts.json`` records both, and the
tests skip those cases, saying why, on a machine with other fonts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kspos.money import vat_split
from kspos.receipts.escpos import PrinterProfile
from kspos.receipts.model import (
    EasyPayTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    Totals,
)
from kspos.receipts.render import render
from kspos.receipts.samples import SAMPLE_STORE, sample_receipt

GOLDEN = Path(__file__).with_name("golden")


def tom_yum_receipt() -> Receipt:
    """A line with 똠 (not in KS X 1001) next to ordinary lines; paid by easy pay."""
    lines = (ReceiptLine("똠양꿍 라면", 1, 8_000), ReceiptLine("공기밥", 1, 1_000))
    return Receipt(store=SAMPLE_STORE, kind=ReceiptKind.SALE, receipt_no="20261125-0043",
                   issued_at=datetime(2026, 11, 25, 12, 30, 0), lines=lines,
                   totals=Totals.from_split(vat_split(9_000)),
                   tenders=(EasyPayTender(9_000, "카카오페이", "KP12345678"),))


TEXT_CASES: dict[str, Callable[[], bytes]] = {
    "sale-48-text": lambda: render(sample_receipt(), "text", 48),
    "sale-42-text": lambda: render(sample_receipt(), "text", 42),
    "sale-32-text": lambda: render(sample_receipt(), "text", 32),
    "refund-32-text": lambda: render(sample_receipt(kind=ReceiptKind.REFUND), "text", 32),
    "training-reprint-48-text": lambda: render(sample_receipt(training=True, reprint=True),
                                               "text", 48, open_drawer=True),
    "qr-image-48-text": lambda: render(sample_receipt(), "text", 48,
                                       profile=PrinterProfile(native_qr=False)),
}

FONT_CASES: dict[str, Callable[[], bytes]] = {
    "tomyum-48-text": lambda: render(tom_yum_receipt(), "text", 48),
    "sale-48-raster": lambda: render(sample_receipt(), "raster", 48),
    "sale-32-raster": lambda: render(sample_receipt(), "raster", 32),
}


def font_fingerprint() -> dict[str, str]:
    """What the font-dependent goldens were drawn with."""
    from PIL import features

    from kspos.receipts.fonts import find_korean_font

    files = find_korean_font()
    digest = hashlib.sha256(files.regular.read_bytes())
    if files.bold is not None:
        digest.update(files.bold.read_bytes())
    return {"font": files.regular.name, "sha256": digest.hexdigest(),
            "freetype": str(features.version("freetype2"))}


def path_of(name: str) -> Path:
    return GOLDEN / (f"{name}.bin.gz" if "raster" in name else f"{name}.bin")


def read_golden(name: str) -> bytes:
    data = path_of(name).read_bytes()
    return gzip.decompress(data) if path_of(name).suffix == ".gz" else data


def write_all() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, make in {**TEXT_CASES, **FONT_CASES}.items():
        data = make()
        target = path_of(name)
        target.write_bytes(gzip.compress(data, mtime=0) if target.suffix == ".gz" else data)
        print(f"{target} ({len(data):,} bytes)")
    (GOLDEN / "fonts.json").write_text(json.dumps(font_fingerprint(), indent=2) + "\n")


def show() -> None:
    """Print every golden decoded, and write PNGs of the images, for review."""
    from kspos.receipts.decode import decode, images_to_png

    out = Path("/tmp/kspos-golden-review")
    out.mkdir(exist_ok=True)
    for name in {**TEXT_CASES, **FONT_CASES}:
        printout = decode(read_golden(name))
        print(f"===== {name}: qr={printout.qr_payloads} cuts={printout.cuts} "
              f"drawer={printout.drawer_kicks}")
        if "raster" not in name:
            print("\n".join(printout.rows))
        if printout.images:
            (out / f"{name}.png").write_bytes(images_to_png(printout.images))
    print(f"images in {out}")


if __name__ == "__main__":
    show() if "--show" in sys.argv else write_all()
