"""Random small histories made through the sales core: every grouping splits the same 순매출,
the VAT split adds up, sealed rollups equal live computation, the filing adds up."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kspos.reports.summary import GROUPINGS
from kspos.reports.vat import vat_filing
from kspos.sales.orders import Discount

NAMES = ("아메리카노", "카페라떼", "우유 900ml", "크루아상", "토마토파스타", "바나나 1송이", "마카롱")

line = st.tuples(st.sampled_from(NAMES), st.integers(1, 3))
order = st.fixed_dictionaries({
    "lines": st.lists(line, min_size=1, max_size=3),
    "method": st.sampled_from(("cash", "card", "easypay", "split", "receipt")),
    "discount": st.sampled_from((None, Discount("percent", 10), Discount("amount", 700))),
    "service": st.booleans(),
    "refund": st.sampled_from((None, "whole", "line", "next-day")),
    "hour": st.integers(8, 21),
})
history = st.lists(st.lists(order, min_size=1, max_size=6), min_size=1, max_size=3)
_next_day = {"day": date(2026, 1, 5)}


def _sell(shop, spec):  # type: ignore[no-untyped-def]
    shop.at(spec["hour"])
    lines = list(dict.fromkeys(spec["lines"]))
    # 서비스 on the first line only when another item stays paid for (one item twice is one
    # line): an order discount larger than what is left is refused by the core.
    kwargs = {"order_discount": spec["discount"], "service": (0,) if spec["service"] and
              len({name for name, _ in lines}) > 1 else ()}
    if spec["method"] == "split":
        total_guess = 100
        return shop.sell(*lines, split_card=total_guess, **kwargs)
    if spec["method"] == "receipt":
        return shop.sell(*lines, receipt=True, **kwargs)
    return shop.sell(*lines, method=spec["method"], **kwargs)


def _make(shop, first, days) -> None:  # type: ignore[no-untyped-def]
    later: list[int] = []
    for n, orders in enumerate(days):
        shop.open(first + timedelta(days=n), at=8)
        for order_id in later:
            _refund(shop, order_id, "whole")
        later = []
        for spec in orders:
            order_id = _sell(shop, spec)
            if spec["refund"] == "next-day":
                later.append(order_id)
            elif spec["refund"]:
                _refund(shop, order_id, spec["refund"])
        shop.close()


def _refund(shop, order_id, kind):  # type: ignore[no-untyped-def]
    loaded = shop.sales.load(order_id)
    if loaded.total <= 0 or loaded.state.value != "paid":
        return
    if kind == "line":
        paid = [n for n, ln in enumerate(loaded.lines) if ln.amount > 0]
        shop.refund(order_id, {paid[0]: 1} if paid else None)
    else:
        shop.refund(order_id)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=history)
def test_every_grouping_sums_to_net_sales(shop, days) -> None:  # type: ignore[no-untyped-def]
    first = _next_day["day"]
    _next_day["day"] = first + timedelta(days=len(days) + 1)  # the next example: fresh days
    try:
        _make(shop, first, days)
    finally:  # a failed example must not leave its day open for the next one
        shop.register.new_order()
        shop.db.write("UPDATE business_day SET closed_at = opened_at WHERE closed_at IS NULL")
    last = first + timedelta(days=len(days) - 1)

    live = shop.summary(first, last, seal=False)
    t = live.totals
    assert t.gross - t.discounts - t.service - t.refunds == t.net_sales
    assert t.supply + t.vat + t.tax_free == t.net_sales
    for by in GROUPINGS:
        rows = live.rows(by)
        assert sum(r.net_sales for r in rows) == t.net_sales, by
        if by != "tender":
            assert sum(r.tally.qty for r in rows) == t.qty, by
            assert sum(r.tally.service_qty for r in rows) == t.service_qty, by
    tenders = live.rows("tender")
    assert sum(r.tally.vat for r in tenders) == t.vat
    assert sum(r.tally.tax_free for r in tenders) == t.tax_free
    filing = vat_filing(live)
    assert sum(r.total for r in filing.rows[:-1]) == t.net_sales
    assert sum(r.vat for r in filing.rows[:-1]) == t.vat

    shop.summary(first, last)  # seals the closed days
    sealed = shop.summary(first, last)
    assert sealed.sealed_days == len(days) and sealed.live_days == 0
    assert sealed.totals == live.totals
    for by in GROUPINGS:
        assert [(r.key, r.tally) for r in sealed.rows(by)] == \
            [(r.key, r.tally) for r in live.rows(by)], by
