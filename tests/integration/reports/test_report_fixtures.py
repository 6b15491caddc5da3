"""Hand-computed cases: VAT with tax-free goods, 서비스, discounts, refunds on a later day,
split tenders, training and unpaid orders left out."""

from __future__ import annotations

from datetime import date

from kspos.reports.vat import vat_filing
from kspos.sales.orders import Discount

MON, TUE = date(2026, 3, 2), date(2026, 3, 3)


def rows(summary, by):  # type: ignore[no-untyped-def]
    return {r.label: r for r in summary.rows(by)}


def test_vat_split_with_tax_free_goods(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 1), ("우유 900ml", 1), tendered=10_000)
    shop.close()
    t = shop.summary(MON).totals
    # taxable 4,500 → supply round(4,500 / 1.1) = 4,091, VAT 409; milk 3,200 tax-free
    assert (t.gross, t.net_sales, t.supply, t.vat, t.tax_free) == (7_700, 7_700, 4_091, 409, 3_200)
    cash = rows(shop.summary(MON), "tender")["현금"].tally
    assert cash.net_sales == 7_700  # what was kept, not the 10,000 handed over


def test_service_line_counts_as_service_not_sales(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("카페라떼", 1), ("초코칩쿠키", 1), service=(1,), method="card")
    shop.close()
    s = shop.summary(MON)
    assert (s.totals.gross, s.totals.service, s.totals.net_sales) == (7_500, 2_500, 5_000)
    items = rows(s, "item")
    assert (items["초코칩쿠키"].tally.qty, items["초코칩쿠키"].tally.service_qty) == (0, 1)
    assert items["초코칩쿠키"].net_sales == 0 and items["카페라떼"].net_sales == 5_000
    assert rows(s, "category")["디저트"].tally.service == 2_500


def test_order_discount_is_shared_over_lines(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 1), ("크루아상", 1), order_discount=Discount("percent", 10),
              method="easypay", wallet="NAVR")
    shop.sell(("카페라떼", 2), line_discount={0: Discount("amount", 1_000)}, method="card")
    shop.close()
    s = shop.summary(MON)
    assert s.totals.discounts == 850 + 1_000 and s.totals.net_sales == 7_650 + 9_000
    items = rows(s, "item")
    assert items["아메리카노"].net_sales == 4_050 and items["크루아상"].net_sales == 3_600
    assert items["카페라떼"].net_sales == 9_000 and items["카페라떼"].tally.discounts == 1_000
    assert rows(s, "tender")["간편결제 네이버페이"].net_sales == 7_650


def test_refund_counts_on_the_day_it_is_made(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    sold = shop.sell(("바닐라라떼", 1), method="card")
    shop.sell(("에스프레소", 1))
    shop.close()
    shop.open(TUE)
    shop.refund(sold)
    shop.close()
    monday, tuesday, both = shop.summary(MON), shop.summary(TUE), shop.summary(MON, TUE)
    assert monday.totals.net_sales == 5_500 + 4_000 and monday.totals.refunds == 0
    assert tuesday.totals.orders == 0 and tuesday.totals.refunds == 5_500
    assert tuesday.totals.net_sales == -5_500 and tuesday.totals.vat == -500
    assert rows(tuesday, "item")["바닐라라떼"].tally.qty == -1
    assert rows(tuesday, "tender")["신용카드"].net_sales == -5_500
    days = {r.key: r.net_sales for r in both.rows("day")}
    assert days == {"2026-03-02": 9_500, "2026-03-03": -5_500}
    assert both.totals.net_sales == 4_000
    # a closed day's figures never change afterwards
    assert shop.summary(MON).totals.net_sales == monday.totals.net_sales


def test_line_refund_of_a_split_tender(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    order = shop.sell(("치킨샐러드", 1), ("티라미수", 2), split_card=10_000)  # 22,600
    shop.at(15)
    shop.refund(order, {1: 1})  # one 티라미수, 6,800: back on cash first (latest tender)
    shop.close()
    s = shop.summary(MON)
    assert s.totals.refunds == 6_800 and s.totals.net_sales == 22_600 - 6_800
    tenders = rows(s, "tender")
    assert tenders["신용카드"].net_sales == 10_000 and tenders["현금"].net_sales == 5_800
    items = rows(s, "item")
    assert items["티라미수"].tally.qty == 1 and items["티라미수"].net_sales == 6_800
    assert items["치킨샐러드"].net_sales == 9_000
    hours = {r.key: r.tally for r in s.rows("hour")}
    assert hours["15"].refunds == 6_800 and hours["09"].net_sales == 22_600


def test_training_held_and_voided_orders_are_not_sales(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    register = shop.register
    register.set_training(True)
    shop.sell(("아메리카노", 3))
    register.set_training(False)
    register.add_item(shop.item("마카롱"))
    held = register.hold()
    register.recall(held.id)
    register.void("test")
    shop.sell(("마카롱", 1), receipt=True)
    shop.close()
    s = shop.summary(MON)
    assert s.totals.orders == 1 and s.totals.net_sales == 2_800
    assert rows(s, "tender")["현금(현금영수증)"].net_sales == 2_800
    filing = vat_filing(s)
    assert filing.row("cash_receipt").total == 2_800 and filing.row("cash").total == 0
    assert filing.row("total").supply + filing.row("total").vat == 2_800


def test_open_day_is_live_and_closed_day_sealed(shop) -> None:  # type: ignore[no-untyped-def]
    shop.open(MON)
    shop.sell(("아메리카노", 1))
    live = shop.summary(MON)
    assert (live.sealed_days, live.live_days) == (0, 1)
    shop.sell(("아메리카노", 1))
    assert shop.summary(MON).totals.net_sales == 9_000  # the open day is never cached
    shop.close()
    first, again = shop.summary(MON), shop.summary(MON)
    assert (first.live_days, again.sealed_days) == (1, 1)  # sealed on the way
    assert again.totals == first.totals
    assert [(r.key, r.tally) for r in again.rows("item")] == \
        [(r.key, r.tally) for r in first.rows("item")]
