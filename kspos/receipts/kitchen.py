"""Kitchen slips (주방 주문서): which ``[[kitchen]]`` printer gets which lines, and the paper.

A round's :class:`~kspos.receipts.kitchen_slip.KitchenSlip` is split by each line's menu
category: every kitchen printer listing the category gets the line; a line whose category no
printer lists goes nowhere, and a printer with no lines of a slip gets no paper. The slip is
laid out on the receipt grid (:mod:`kspos.receipts.layout`) and drawn by the receipt
renderers: text mode sends Korean as the firmware's double-byte code, raster mode draws it.

The paper, top to bottom: 주방 주문서 (or 주문 취소, large, on a cancel slip; 재출력 on a
reprint), the table name double width and height, zone · round (``2차``) · guests, time and
server, then one row per line (``2 × 김치찌개``, large) with its options and memo indented
(``  * 덜 맵게``), the round's memo, a cancel's reason, and the cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.receipts import escpos
from kspos.receipts.kitchen_slip import KitchenSlip, SlipLine
from kspos.receipts.layout import Builder, Layout

if TYPE_CHECKING:
    from kspos.config.kitchen import KitchenSettings

TITLE, CANCEL_TITLE, REPRINT_MARK = "주방 주문서", "주문 취소", "재출력"
INDENT = 2


def for_categories(slip: KitchenSlip, categories: Iterable[str]) -> KitchenSlip | None:
    """``slip`` with only the lines of ``categories``; None when none of its lines is."""
    wanted = set(categories)
    lines = tuple(line for line in slip.lines if line.category in wanted)
    if not lines:
        return None
    return _with(slip, lines=lines)


def route(slip: KitchenSlip, kitchens: Iterable[KitchenSettings]
          ) -> list[tuple[KitchenSettings, KitchenSlip]]:
    """Each kitchen printer with its part of ``slip``, in config order; printers with no
    lines in it are left out."""
    routed = []
    for kitchen in kitchens:
        part = for_categories(slip, kitchen.categories)
        if part is not None:
            routed.append((kitchen, part))
    return routed


def slip_layout(slip: KitchenSlip, columns: int = 48) -> Layout:
    """The slip on a ``columns`` grid (48, 42 or 32)."""
    b = Builder(columns)
    if slip.cancel:
        b.text(f"** {CANCEL_TITLE} **", "center", bold=True, double=True)
    else:
        b.text(TITLE, "center", bold=True)
    if slip.reprint:
        b.text(f"[{REPRINT_MARK}]", "center", bold=True, double=True)
    b.rule("=")
    b.text(slip.table, "center", bold=True, double=True)
    place = "  ".join(p for p in (slip.zone, f"{slip.round_no}차" if slip.round_no else "") if p)
    b.pair(place, f"인원 {slip.guests}명" if slip.guests else "")
    b.pair(f"{slip.at:%m-%d %H:%M}", f"담당 {slip.server}" if slip.server else "")
    if slip.order_ref:
        b.text(f"주문번호 {slip.order_ref}")
    b.rule("=")
    for line in slip.lines:
        _line(b, line, slip.cancel)
    b.rule("-")
    if slip.memo:
        b.text(f"메모: {slip.memo}", bold=True)
    if slip.cancel:
        b.text(f"취소 사유: {slip.reason or '-'}", bold=True)
    return b.layout()


def _line(b: Builder, line: SlipLine, cancel: bool) -> None:
    mark = "취소 " if cancel else ""
    b.text(f"{mark}{line.qty} × {line.name}", bold=True, double=True)
    for extra in (line.options, line.memo):
        if extra:
            b.indented(f"* {extra}", INDENT)


def render_slip(slip: KitchenSlip, mode: str = "text", columns: int = 48,
                profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE) -> bytes:
    """The printer bytes of ``slip`` (cut at the end): ``mode`` text or raster.
    ReceiptFontMissing (raster without a Korean font) is raised as is."""
    from kspos.receipts.render import render

    return render(slip_layout(slip, columns), mode, columns, profile=profile)


# --- stored with the job, so a reprint or a move to another printer is drawn again ------------


def slip_to_json(slip: KitchenSlip) -> str:
    """The slip as JSON text (print_job.slip_json)."""
    data: dict[str, Any] = {
        "table": slip.table, "round_no": slip.round_no, "at": slip.at.isoformat(),
        "server": slip.server, "memo": slip.memo, "guests": slip.guests, "zone": slip.zone,
        "cancel": slip.cancel, "reason": slip.reason, "reprint": slip.reprint,
        "order_ref": slip.order_ref,
        "lines": [{"name": ln.name, "qty": ln.qty, "category": ln.category,
                   "options": ln.options, "memo": ln.memo} for ln in slip.lines],
    }
    return json.dumps(data, ensure_ascii=False)


def slip_from_json(text: str) -> KitchenSlip:
    """The slip :func:`slip_to_json` stored; ValueError (or KeyError) when it is not one."""
    data = json.loads(text)
    lines = tuple(SlipLine(name=ln["name"], qty=int(ln["qty"]), category=ln["category"],
                           options=ln["options"], memo=ln["memo"]) for ln in data["lines"])
    return KitchenSlip(table=data["table"], round_no=int(data["round_no"]),
                       at=datetime.fromisoformat(data["at"]), server=data["server"],
                       lines=lines, memo=data["memo"], guests=int(data["guests"]),
                       zone=data["zone"], cancel=bool(data["cancel"]), reason=data["reason"],
                       reprint=bool(data["reprint"]), order_ref=data["order_ref"])


def as_reprint(slip: KitchenSlip) -> KitchenSlip:
    """The same slip marked 재출력."""
    return _with(slip, reprint=True)


def _with(slip: KitchenSlip, **changes: Any) -> KitchenSlip:
    from dataclasses import replace

    return replace(slip, **changes)
