"""마감 재출력: the cash count kept at close, the closed days listed, and a reprinted Z slip
that says what the original said (sales, denominations, counted cash, 과부족) on a temp store."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from kspos.config import StoreSettings
from kspos.reports.connect import connect
from kspos.reports.rollup import seal_day
from kspos.reports.slips import REPRINT_MARK, CashCount, day_slip, reprint_z
from kspos.sales.orders import OrderError

MON, TUE, WED, THU = (date(2026, 3, 2) + timedelta(days=n) for n in range(4))
STORE = StoreSettings()
DENOMINATION_ROW = re.compile(r"^(50,000|10,000|5,000|1,000|500|100|50|10)원 ")


def _close(shop, pieces: dict[int, int] | None, counted: int | None = None):  # type: ignore[no-untyped-def]
    """Close the open day as the 마감 screen does: close, seal, then the Z slip."""
    shop.clock.now += timedelta(hours=12)
    if counted is None:
        counted = sum(d * n for d, n in (pieces or {}).items())
    info = shop.sales.days.close(shop.owner, counted, pieces)
    conn = connect(shop.db.path)
    try:
        seal_day(conn, info.day)
    finally:
        conn.close()
    z = day_slip("Z", shop.db.path, STORE, info.day,
                 CashCount(info.opening_float, info.expected_cash, counted, dict(pieces or {})),
                 shop.owner.name, info.closed_at, printed_at=datetime(2026, 3, 2, 21, 0, 5),
                 viewer=shop.owner)
    return info, z


def _without(lines: list[str], *drop: str) -> list[str]:
    return [line for line in lines if not any(word in line for word in drop)]


def test_a_reprint_says_what_the_z_report_said_marked_as_a_reprint(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 2), tendered=10_000)  # 9,000 cash
    shop.sell(("카페라떼", 1), method="card")
    shop.sell(("크루아상", 1), tendered=5_000)  # 4,000 cash → expected 13,000
    pieces = {10_000: 1, 1_000: 2, 500: 1}  # 12,500: 500 short
    info, original = _close(shop, pieces)
    assert (info.expected_cash, info.counted_cash, info.over_short) == (13_000, 12_500, -500)

    closed = shop.sales.days.closed_days()
    assert [d.day for d in closed] == ["2026-03-02"]
    day = closed[0]
    assert day.counts == pieces and day.pieces == ((10_000, 1), (1_000, 2), (500, 1))
    assert day.closed_by == shop.owner.name and day.closed_at == info.closed_at
    assert shop.sales.days.closed_day("2026-03-02") == day

    reprint = reprint_z(shop.db.path, STORE, day, printed_at=datetime(2026, 3, 5, 10, 30),
                        viewer=shop.owner)
    lines = reprint.as_text()
    assert REPRINT_MARK in [line.strip() for line in lines]
    assert lines.index(next(x for x in lines if REPRINT_MARK in x)) == \
        lines.index(next(x for x in lines if "Z 리포트 (마감)" in x)) + 1  # under the title
    assert any("출력일시" in x and "2026-03-05 10:30:00" in x for x in lines)
    assert any("마감일시" in x and f"{info.closed_at:%Y-%m-%d %H:%M:%S}" in x for x in lines)
    assert any("담당자" in x and shop.owner.name in x for x in lines)
    rows = [x for x in lines if DENOMINATION_ROW.match(x)]
    assert [r.split()[0] for r in rows] == ["10,000원", "1,000원", "500원"]
    assert rows[1].split()[1:] == ["2", "2,000"]
    assert any(x.startswith("실제 현금") and x.endswith("12,500") for x in lines)
    assert any("과부족 (부족)" in x and "-500" in x for x in lines)
    # Line for line the original, but for the mark and when it was printed.
    assert _without(lines, REPRINT_MARK, "출력일시") == _without(original.as_text(), "출력일시")


def test_a_day_closed_without_a_count_reprints_without_denomination_rows(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 1), tendered=4_500)
    _info, original = _close(shop, None, counted=5_000)  # as days closed before counts were kept
    day = shop.sales.days.closed_days()[0]
    assert day.pieces == () and day.counts == {}
    lines = reprint_z(shop.db.path, STORE, day, viewer=shop.owner).as_text()
    assert not [x for x in lines if DENOMINATION_ROW.match(x)]
    assert any(x.startswith("실제 현금") and x.endswith("5,000") for x in lines)
    assert any("과부족 (과잉)" in x and "+500" in x for x in lines)
    assert _without(lines, REPRINT_MARK, "출력일시") == _without(original.as_text(), "출력일시")


def test_a_count_that_does_not_add_up_is_refused_and_the_day_stays_open(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 1), tendered=4_500)
    days = shop.sales.days
    with pytest.raises(OrderError, match="권종별 합계 5,000원이 실제 현금 4,500원과 다릅니다"):
        days.close(shop.owner, 4_500, {5_000: 1})
    with pytest.raises(OrderError, match="20,000원권은 없습니다"):
        days.close(shop.owner, 20_000, {20_000: 1})
    with pytest.raises(OrderError, match="수량이 잘못"):
        days.close(shop.owner, 0, {1_000: -1})
    assert days.current() is not None and days.closed_days() == []
    assert days.close(shop.owner, 4_500, {1_000: 4, 500: 1, 100: 0}).counts == {1_000: 4, 500: 1}


def test_closed_days_are_newest_first_and_leave_out_the_open_day(shop) -> None:  # type: ignore[no-untyped-def]
    for when, counted in ((MON, 1_000), (TUE, 2_000), (WED, 3_000)):
        shop.open(when)
        _close(shop, {1_000: counted // 1_000})
    shop.open(THU)
    days = shop.sales.days
    assert [d.day for d in days.closed_days()] == ["2026-03-04", "2026-03-03", "2026-03-02"]
    assert [d.counted_cash for d in days.closed_days()] == [3_000, 2_000, 1_000]
    assert [d.counts for d in days.closed_days(limit=2)] == [{1_000: 3}, {1_000: 2}]
    assert all(d.closed and d.closed_at is not None for d in days.closed_days())
    assert days.closed_day("2026-03-05") is None  # still open
    with pytest.raises(OrderError, match="일수"):
        days.closed_days(limit=0)


def test_a_damaged_audit_entry_does_not_hide_the_closed_days(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    _close(shop, {10_000: 1})
    # A hand-edited entry and one written before counts were kept (no day, no pieces).
    shop.db.write("INSERT INTO audit_log (at, action, detail) VALUES (?, 'day_close', ?)",
                  ("2026-03-02 22:00:00", "{not json"))
    shop.db.write("INSERT INTO audit_log (at, action, detail) VALUES (?, 'day_close', ?)",
                  ("2026-03-02 22:00:01", '{"expected": 0, "counted": 0, "over_short": 0}'))
    assert [d.counts for d in shop.sales.days.closed_days()] == [{10_000: 1}]
