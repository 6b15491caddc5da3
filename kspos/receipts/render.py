"""One entry point for printer bytes: ``render(receipt, mode, columns)``."""

from __future__ import annotations

from typing import Literal

from kspos.receipts import escpos
from kspos.receipts.layout import Layout, check_width, lay_out
from kspos.receipts.model import Receipt

Mode = Literal["raster", "text"]
MODES = ("raster", "text")


def render(receipt: Receipt | Layout, mode: str = "raster", columns: int = 48, *,
           cut: bool = True, open_drawer: bool = False,
           profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
    """ESC/POS bytes for ``receipt`` in ``mode`` ("raster" or "text") on ``columns`` (48/42/32).

    ``open_drawer`` appends the drawer kick after the cut (cash sales).
    """
    if mode not in MODES:
        raise ValueError(f"printer mode must be raster or text, got {mode!r}")
    layout = receipt if isinstance(receipt, Layout) else lay_out(receipt, check_width(columns))
    if mode == "text":
        from kspos.receipts.escpos_text import layout_to_escpos

        return layout_to_escpos(layout, cut=cut, open_drawer=open_drawer, profile=profile)
    from kspos.receipts.raster import renderer_for

    return renderer_for(layout.columns).escpos(layout, cut=cut, open_drawer=open_drawer,
                                               profile=profile)
