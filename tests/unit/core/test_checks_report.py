"""판매집계 of a restaurant: 객수, 1인 객단가, and rows by zone and by table that add up."""

from __future__ import annotations

from datetime import date

from kspos.reports.export import as_json
from kspos.reports.summary import load_summary, other_info
from tests.unit.core.checks_rig import Shop, card, cash, line, seated
from tests.unit.core.checks_rig import shop as shop  # the pytest fixture


def _today(shop: Shop) -> date:
    return shop.clock().date()


def test_guests_and_per_guest_and_zone_and_table_rows(shop: Shop) -> None:
    first = seated(shop, "T1", line("삼겹살", 16_000, 2), guests=3)  # 32,000
    room = seated(shop, "룸 1", line("소갈비살", 29_000, 2), guests=4)  # 58,000
    shop.checks.pay(first, cash(32_000), shop.cashier)
    shop.checks.pay(room, card(58_000), shop.cashier)
    takeout = seated(shop, "T2", line("냉면", 9_000), guests=1)
    shop.checks.pay(takeout, card(9_000), shop.cashier)
    # a refund of the room's card takes money off its zone and table, never its guests
    shop.sales.refund(room.order.id, shop.owner, None, "손님 변심")  # type: ignore[arg-type]

    summary = load_summary(shop.db.path, _today(shop), _today(shop), shop.owner)
    totals = summary.totals
    assert totals.guests == 8
    assert totals.net_sales == 41_000
    assert totals.per_guest == 5_125  # 41,000 / 8
    info = dict(other_info(summary))
    assert info["객수"] == "8" and info["1인 객단가"] == "5,125"
    zones = {r.label: (r.tally.guests, r.net_sales) for r in summary.rows("zone")}
    assert zones == {"홀": (4, 41_000), "룸": (4, 0)}
    tables = {r.label: r.net_sales for r in summary.rows("table")}
    assert tables == {"홀 T1": 32_000, "홀 T2": 9_000, "룸 룸 1": 0}
    assert "zone" in summary.groupings() and "table" in summary.groupings()
    data = as_json(summary, "table")
    assert sum(r["net_sales"] for r in data["rows"]) == data["totals"]["net_sales"]
    assert data["totals"]["guests"] == 8 and data["totals"]["per_guest"] == 5_125
