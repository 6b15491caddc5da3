"""The business day (영업일) after a Z 마감: a late customer can still be served, and the
reports of both days stay right."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kspos.reports.summary import load_summary
from kspos.sales.orders import Order, OrderError, OrderLine
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory


@pytest.fixture
def shop(db):  # type: ignore[no-untyped-def]
    directory = StaffDirectory(db)
    staff = {role: directory.add(name, role, pin) for name, role, pin in
             (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"))}
    clock = {"now": datetime(2026, 12, 5, 9, 0)}
    service = SalesService(db, {Method.CASH: CashGateway(db)}, clock=lambda: clock["now"])
    return service, staff, clock


def sell(service: SalesService, cashier: object, price: int) -> Order:
    order = Order()
    order.add(OrderLine(item_id=1, name="아메리카노", base_price=price))
    service.take_tender(order, TenderRequest(Method.CASH, price, "", tendered=price), cashier)
    return order


def test_a_sale_after_z_opens_the_next_business_day_and_both_reports_are_right(shop) -> None:  # type: ignore[no-untyped-def]
    service, staff, clock = shop
    owner, cashier = staff[Role.OWNER], staff[Role.CASHIER]
    service.days.open(owner, 100_000)
    sell(service, cashier, 5_000)
    clock["now"] = datetime(2026, 12, 5, 22, 0)
    first = service.days.close(owner, 105_000)
    assert first.day == "2026-12-05" and first.over_short == 0

    clock["now"] = datetime(2026, 12, 5, 22, 30)  # a late customer, same calendar date
    assert service.days.next_day() == "2026-12-06"
    late = service.days.open(owner, 50_000)
    assert late.day == "2026-12-06"
    order = sell(service, cashier, 3_000)
    assert order.receipt_no == "20261206-01-0001"
    assert service.days.expected_cash(late.id) == 53_000  # X of the new day: its float + 3,000

    closed = load_summary(service.db.path, date(2026, 12, 5), date(2026, 12, 5), owner)
    assert (closed.totals.orders, closed.totals.net_sales) == (1, 5_000)  # sealed day unchanged
    new = load_summary(service.db.path, date(2026, 12, 6), date(2026, 12, 6), owner)
    assert (new.totals.orders, new.totals.net_sales) == (1, 3_000)

    clock["now"] = datetime(2026, 12, 6, 1, 0)
    second = service.days.close(owner, 53_000)  # Z of the new day
    assert (second.day, second.expected_cash, second.over_short) == ("2026-12-06", 53_000, 0)
    assert [d.day for d in service.days.closed_days()] == ["2026-12-06", "2026-12-05"]


def test_the_next_morning_opens_the_calendar_day(shop) -> None:  # type: ignore[no-untyped-def]
    service, staff, clock = shop
    owner = staff[Role.OWNER]
    service.days.open(owner, 0)
    clock["now"] = datetime(2026, 12, 6, 0, 30)  # closed after midnight
    service.days.close(owner, 0)
    clock["now"] = datetime(2026, 12, 6, 9, 0)
    assert service.days.open(owner, 0).day == "2026-12-06"
    clock["now"] = datetime(2026, 12, 9, 9, 0)  # days without trade are skipped, not filled
    service.days.close(owner, 0)
    assert service.days.open(owner, 0).day == "2026-12-09"


def test_a_second_open_is_refused_in_words(shop) -> None:  # type: ignore[no-untyped-def]
    service, staff, _clock = shop
    service.days.open(staff[Role.OWNER], 0)
    with pytest.raises(OrderError, match="이미 영업 중"):
        service.days.open(staff[Role.OWNER], 0)
