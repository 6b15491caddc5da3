"""The office's sales reads (office/store/sales.py) on a temp SQLite file: each reads only the
stores it is given, and shows what the pages need: today beside yesterday and last week, card
approvals with their cancels and 망취소, closings with 과부족, the quarter's 부가세 split."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from office.store import OfficeStore, sales, terminals
from tests.unit.office.facts_data import new_uuid, order, payment, refund
from tests.unit.office.test_office_rollups import _push as _push_s0001

DAY = date(2026, 11, 25)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[OfficeStore]:
    store = OfficeStore(f"sqlite:///{tmp_path / 'office.sqlite3'}").open()
    with store.transaction() as conn:
        terminals.ensure_store(conn, "S0001", "강남점")
        terminals.ensure_store(conn, "S0002", "역삼점")
    yield store
    store.close()


def _on(fact: dict[str, Any], day: str) -> dict[str, Any]:
    b = fact["body"]
    for name in ("created_at", "paid_at", "at"):
        if name in b:
            b[name] = day + b[name][10:]
    if "business_day" in b:
        b["business_day"] = day
    return fact


def _sale(day: str, total: int, seq: int, method: str = "card") -> list[dict[str, Any]]:
    sold = _on(order(total=total, seq=seq), day)
    return [sold, _on(payment(sold, seq=seq + 1, method=method), day)]


def _other(kind: str, seq: int, **body: Any) -> dict[str, Any]:
    uuid = new_uuid()
    return {"seq": seq, "uuid": uuid, "kind": kind, "version": 1,
            "body": {"store": "S0001", "terminal": "01", "uuid": uuid, **body}}


def test_today_beside_yesterday_and_last_week(office: OfficeStore) -> None:
    _push_s0001(office, *_sale("2026-11-25", 9000, 1), *_sale("2026-11-25", 2200, 3),
                *_sale("2026-11-24", 5500, 5), *_sale("2026-11-18", 1100, 7))
    with office.transaction() as conn:
        rows = sales.today_by_store(conn, {"S0001", "S0002"}, DAY)
        assert sales.today_by_store(conn, set(), DAY) == []
    assert [(r.store, r.name, r.net_sales, r.orders, r.yesterday_net_sales,
             r.last_week_net_sales) for r in rows] == [
        ("S0001", "강남점", 11200, 2, 5500, 1100), ("S0002", "역삼점", 0, 0, 0, 0)]


def test_card_approvals_with_cancels_and_reversals(office: OfficeStore) -> None:
    whole, part, cash = _sale("2026-11-25", 9000, 1), _sale("2026-11-25", 8000, 3), \
        _sale("2026-11-25", 3000, 5, "cash")
    part[1]["body"]["approval_no"] = "87654321"
    reversal = _other("reversal", 20, at="2026-11-25T15:00:00.000000",
                      receipt_no="20261125-01-0009", total=4000, orig_approval_no="55550000",
                      orig_approval_date="261125", result_message="망취소 완료",
                      installment=0)
    _push_s0001(office, *whole, *part, *cash, refund(whole[0], whole[1], 9000, seq=7),
                refund(part[0], part[1], 3000, seq=8), reversal)
    with office.transaction() as conn:
        found = sales.card_approvals(conn, {"S0001"}, DAY, DAY)
        by_number = sales.card_approvals(conn, {"S0001"}, DAY, DAY, approval_no="87654321")
        by_card = sales.card_approvals(conn, {"S0001"}, DAY, DAY, last4="0006", amount=9000)
        elsewhere = sales.card_approvals(conn, {"S0002"}, DAY, DAY)
        with pytest.raises(ValueError, match="last4"):
            sales.card_approvals(conn, {"S0001"}, DAY, DAY, last4="%")
    assert sorted((a.amount, a.status, a.refunded) for a in found) == [
        (4000, "reversed", 0), (8000, "partly_cancelled", 3000), (9000, "cancelled", 9000)]
    assert all(a.masked_pan in (None, "536510******0006") for a in found)
    assert [a.amount for a in by_number] == [8000]
    assert [a.amount for a in by_card] == [9000]
    assert elsewhere == []


def test_closings_with_over_short_and_the_days_sales(office: OfficeStore) -> None:
    close = _other("day_close", 9, at="2026-11-25T22:05:00.000000", day_uuid=new_uuid(),
                   business_day="2026-11-25", opening_float=100000, expected_cash=130000,
                   counted_cash=129000, over_short=-1000, pieces={"10000": 12},
                   opened_at="2026-11-25T08:00:00.000000",
                   closed_at="2026-11-25T22:05:00.000000")
    _push_s0001(office, *_sale("2026-11-25", 9000, 1), close)
    with office.transaction() as conn:
        found = sales.closings(conn, {"S0001"}, DAY, DAY)
        assert sales.closings(conn, {"S0001"}, date(2026, 11, 26), date(2026, 11, 30)) == []
    assert [(c.terminal, c.business_day, c.counted_cash, c.over_short, c.store_net_sales,
             c.store_orders) for c in found] == [("01", "2026-11-25", 129000, -1000, 9000, 1)]


def test_the_quarter_vat_split_and_the_heatmap(office: OfficeStore) -> None:
    _push_s0001(office, *_sale("2026-11-25", 11000, 1), *_sale("2026-10-01", 2200, 3, "cash"),
                *_sale("2026-07-01", 5000, 5))
    with office.transaction() as conn:
        filing = sales.vat_quarter(conn, {"S0001"}, 2026, 4)
        heat = sales.weekday_hours(conn, {"S0001"}, date(2026, 10, 1), date(2026, 12, 31))
        with pytest.raises(ValueError):
            sales.vat_quarter(conn, {"S0001"}, 2026, 5)
    assert [(r.key, r.count, r.total, r.supply, r.vat) for r in filing.rows] == [
        ("card", 1, 11000, 10000, 1000), ("cash_receipt", 0, 0, 0, 0),
        ("cash", 1, 2200, 2000, 200), ("total", 2, 13200, 12000, 1200)]
    with office.transaction() as conn:
        info = sales.other_info(sales.sales_summary(conn, {"S0001"}, date(2026, 10, 1),
                                                    date(2026, 12, 31)))
    assert (info.cash_ratio, info.card_ratio, info.easy_pay_ratio, info.average_ticket) == (
        16.67, 83.33, 0.0, 6600)
    assert heat.net_sales[DAY.weekday()][12] == 11000  # a Wednesday, paid at 12:30
    assert heat.net_sales[date(2026, 10, 1).weekday()][12] == 2200
    assert sum(map(sum, heat.orders)) == 2
    assert sales.quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
