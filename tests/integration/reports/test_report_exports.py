"""Exports hold the summary's numbers; rollups heal when a sealed day no longer matches."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from openpyxl import load_workbook

from kspos.receipts.textwidth import text_width
from kspos.reports.export import as_csv, as_json, as_text, write_xlsx
from kspos.reports.slips import CashCount, report_slip
from kspos.reports.summary import GROUPINGS

MON, TUE = date(2026, 3, 2), date(2026, 3, 3)


def _two_days(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    first = shop.sell(("아메리카노", 2), ("우유 900ml", 1), method="card")
    shop.sell(("토마토파스타", 1), receipt=True)
    shop.close()
    shop.open(TUE)
    shop.sell(("크루아상", 3), method="easypay", wallet="TOSS")
    shop.refund(first, {0: 1})
    shop.close()


def test_xlsx_opens_and_holds_the_same_numbers(shop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _two_days(shop)
    summary = shop.summary(MON, TUE)
    path = tmp_path / "out" / "판매집계.xlsx"
    write_xlsx(summary, GROUPINGS, path)
    book = load_workbook(path)
    assert {"판매집계", "메뉴별", "분류별", "일별", "시간대별", "결제수단별", "부가세 신고 자료"} \
        <= set(book.sheetnames)
    overview = {row[0]: (row[1], row[2]) for row in book["판매집계"].iter_rows(values_only=True)
                if row and row[0]}
    assert overview["순매출"] == (summary.totals.orders, summary.totals.net_sales)
    assert overview["환불"][1] == summary.totals.refunds
    items = list(book["메뉴별"].iter_rows(values_only=True))
    assert items[0][:2] == ("순서", "메뉴명")
    body = items[1:-1]
    assert sum(r[5] for r in body) == summary.totals.net_sales
    assert items[-1][0] == "합계" and items[-1][5] == summary.totals.net_sales
    assert {r[1]: r[5] for r in body} == {r.label: r.net_sales for r in summary.rows("item")}
    tax = list(book["부가세 신고 자료"].iter_rows(values_only=True))
    assert tax[-1][2:6] == (summary.totals.net_sales, summary.totals.supply, summary.totals.vat,
                            summary.totals.tax_free)


def test_csv_has_a_bom_korean_headers_and_a_total_row(shop) -> None:  # type: ignore[no-untyped-def]
    _two_days(shop)
    summary = shop.summary(MON, TUE)
    data = as_csv(summary, "category")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["순서", "분류명", "건수", "수량", "서비스", "금액", "%"]
    assert sum(int(r[5]) for r in rows[1:-1]) == int(rows[-1][5]) == summary.totals.net_sales


def test_json_fields_and_text_table(shop) -> None:  # type: ignore[no-untyped-def]
    _two_days(shop)
    summary = shop.summary(MON, TUE)
    data = json.loads(json.dumps(as_json(summary, "tender")))
    assert set(data) >= {"from", "to", "by", "totals", "rows"}
    assert set(data["totals"]) >= {"orders", "gross", "discounts", "service", "refunds",
                                   "net_sales", "vat", "supply", "tax_free"}
    assert set(data["rows"][0]) == {"key", "label", "orders", "qty", "service_qty", "net_sales",
                                    "guests", "share"}
    assert data["totals"]["guests"] == 0 and data["totals"]["per_guest"] == 0  # no tables
    assert sum(r["net_sales"] for r in data["rows"]) == data["totals"]["net_sales"]
    assert [r["key"] for r in data["rows"]] == ["cash_receipt", "card", "easypay:TOSS"]
    text = as_text(summary, "item")
    assert "합계" in text and f"{summary.totals.net_sales:,}" in text


def test_stale_rollup_is_rebuilt(shop) -> None:  # type: ignore[no-untyped-def]
    _two_days(shop)
    good = shop.summary(MON)
    shop.summary(MON)
    shop.conn.execute("UPDATE report_rollup SET net_sales = net_sales + 999 WHERE dim = 'total'")
    shop.conn.execute("UPDATE report_day SET orders = orders + 1")  # fingerprint no longer matches
    again = shop.summary(MON)
    assert again.live_days == 1 and again.totals == good.totals
    assert shop.summary(MON).sealed_days == 1


def test_z_slip_shows_count_and_over_short(shop) -> None:  # type: ignore[no-untyped-def]
    from kspos.config import StoreSettings

    _two_days(shop)
    summary = shop.summary(MON)
    cash = CashCount(0, 11_000, 10_000, {10_000: 1})
    for columns in (48, 42, 32):
        slip = report_slip("Z", StoreSettings(), "2026-03-02", summary, cash,
                           printed_at=datetime(2026, 3, 2, 22, 0),
                           staff="홍길동", columns=columns)
        text = "\n".join(slip.as_text())
        assert "Z 리포트" in text and "과부족 (부족)" in text and "-1,000" in text
        assert "S0001 POS 01" in text  # which counter's day (demo identity)
        assert f"{summary.totals.net_sales:,}" in text
        for line in slip.lines:
            if hasattr(line, "text"):
                assert text_width(line.text) == (columns // 2 if line.double else columns)
