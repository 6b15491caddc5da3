"""Receipt rendering speed: raster (Pillow) and text ESC/POS for a 20-line receipt.

Run: ``.venv/bin/python -m bench.receipts`` (or through ``make bench``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime

from kspos.money import vat_split
from kspos.receipts.model import CardTender, Receipt, ReceiptKind, ReceiptLine, Totals
from kspos.receipts.samples import SAMPLE_STORE

MENU = ("아메리카노", "카페라떼", "바닐라 라떼", "콜드브루",
        "제주 유기농 말차 크림 프라푸치노 (벤티)", "크루아상", "Blueberry Muffin", "초코칩 쿠키",
        "레몬 에이드", "허브티")


def twenty_line_receipt() -> Receipt:
    lines = tuple(ReceiptLine(MENU[i % len(MENU)], 1 + i % 3, (4_000 + 100 * i) * (1 + i % 3),
                              options=("ICE",) if i % 4 == 0 else ())
                  for i in range(20))
    total = sum(line.charged for line in lines)
    return Receipt(store=SAMPLE_STORE, kind=ReceiptKind.SALE, receipt_no="20261125-0100",
                   issued_at=datetime(2026, 11, 25, 15, 0), lines=lines,
                   totals=Totals.from_split(vat_split(total)),
                   tenders=(CardTender(total, "신한카드", "536510******0006", "30012345"),),
                   qr="KSPOS 20261125-0100", footer=("감사합니다",))


def _median_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run() -> list[tuple[str, str, str]]:
    from kspos.receipts.layout import lay_out
    from kspos.receipts.raster import RasterRenderer, preview_png
    from kspos.receipts.render import render

    receipt = twenty_line_receipt()
    started = time.perf_counter()
    render(receipt, "raster", 48)  # first call: finds and loads the fonts
    cold = (time.perf_counter() - started) * 1000
    raster = _median_ms(lambda: render(receipt, "raster", 48), 30)
    raster32 = _median_ms(lambda: render(receipt, "raster", 32), 30)
    # A fresh renderer has no drawn rows yet: every row drawn glyph by glyph (fonts loaded).
    uncached = _median_ms(lambda: RasterRenderer(48).escpos(lay_out(receipt, 48)), 10)
    text = _median_ms(lambda: render(receipt, "text", 48), 200)
    png = _median_ms(lambda: preview_png(receipt, 48), 20)
    size = len(render(receipt, "raster", 48))
    return [
        ("receipt raster render, 20 lines, 48 col (median)", f"{raster:.1f} ms", "≤ 30 ms"),
        ("receipt raster render, 20 lines, 32 col (median)", f"{raster32:.1f} ms", "≤ 30 ms"),
        ("receipt raster render, 48 col, no row drawn before", f"{uncached:.1f} ms", "≤ 30 ms"),
        ("receipt raster render, first call (font load)", f"{cold:.1f} ms", "-"),
        ("receipt text render, 20 lines, 48 col (median)", f"{text:.2f} ms", "≤ 2 ms"),
        ("receipt preview PNG, 48 col (median)", f"{png:.1f} ms", "-"),
        ("receipt raster size, 20 lines, 48 col", f"{size / 1024:.0f} KiB", "-"),
    ]


if __name__ == "__main__":
    for name, value, goal in run():
        print(f"{name:52} {value:>10}  (goal {goal})")
