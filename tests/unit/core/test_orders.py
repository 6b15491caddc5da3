"""Order arithmetic and the VAT split the receipt and the VAN telegram carry."""

from __future__ import annotations

import pytest

from kspos.money import vat_split
from kspos.sales.orders import ChosenOption, Discount, Order, OrderError, OrderLine, OrderState


def line(name: str = "아메리카노", price: int = 4500, qty: int = 1, **kw) -> OrderLine:  # type: ignore[no-untyped-def]
    return OrderLine(item_id=kw.pop("item_id", hash(name) % 1000), name=name, base_price=price,
                     qty=qty, **kw)


def test_vat_split_matches_the_design_brief_example() -> None:
    split = vat_split(15_500)
    assert (split.supply, split.vat) == (14_091, 1_409)


def test_vat_split_rounds_half_up_once() -> None:
    # 11 → supply 10, VAT 1; 16 → 14.545… → 15, VAT 1; 5 → 4.545 → 5, VAT 0
    assert (vat_split(11).supply, vat_split(11).vat) == (10, 1)
    assert (vat_split(16).supply, vat_split(16).vat) == (15, 1)
    assert (vat_split(5).supply, vat_split(5).vat) == (5, 0)


def test_vat_is_split_once_per_order_not_per_line() -> None:
    order = Order()
    for i in range(3):
        order.add(line(f"쿠키{i}", 2_500, item_id=i))
    per_line = sum(vat_split(2_500).vat for _ in range(3))
    totals = order.totals()
    assert totals.total == 7_500
    assert totals.split.vat == 682  # 7500 - round(7500/1.1) = 7500 - 6818
    assert per_line == 681  # the per-line sum would be off by a won


def test_tax_free_items_carry_no_vat() -> None:
    order = Order()
    order.add(line("아메리카노", 4_500, item_id=1))
    order.add(line("우유 900ml", 3_200, item_id=2, tax_free=True))
    split = order.totals().split
    assert split.tax_free == 3_200
    assert split.supply + split.vat == 4_500
    assert split.vat == 409
    assert split.total == split.supply + split.vat + split.tax_free


def test_order_discount_is_shared_between_taxable_and_tax_free() -> None:
    order = Order()
    order.add(line("원두", 10_000, item_id=1))
    order.add(line("바나나", 10_000, item_id=2, tax_free=True))
    order.set_order_discount(Discount("amount", 2_001))
    totals = order.totals()
    assert totals.total == 17_999
    # 2,001 off shared 50/50: tax-free takes 1,001 (half up), taxable 1,000
    assert totals.split.tax_free == 8_999
    assert totals.split.supply + totals.split.vat == 9_000


def test_percent_discount_rounds_half_up_and_never_goes_negative() -> None:
    assert Discount("percent", 10).amount_off(4_505) == 451
    assert Discount("amount", 9_999).amount_off(4_500) == 4_500


def test_options_change_the_unit_price_and_repeat_taps_merge() -> None:
    order = Order()
    large = (ChosenOption("사이즈", "L", "Large", 500), ChosenOption("추가", "샷 추가", "", 500))
    order.add(line(options=large, item_id=7))
    order.add(line(options=large, item_id=7))
    order.add(line(item_id=7))
    assert len(order.lines) == 2
    assert order.lines[0].qty == 2 and order.lines[0].unit_price == 5_500
    assert order.total == 2 * 5_500 + 4_500


def test_complimentary_line_costs_nothing_and_counts_as_service() -> None:
    order = Order()
    order.add(line("쿠키", 2_500, item_id=1))
    order.add(line("아메리카노", 4_500, item_id=2))
    order.set_complimentary(0)
    totals = order.totals()
    assert totals.service == 2_500 and totals.total == 4_500


def test_line_discount_refused_on_a_complimentary_line() -> None:
    order = Order()
    order.add(line())
    order.set_complimentary(0)
    with pytest.raises(OrderError, match="서비스"):
        order.set_line_discount(0, Discount("amount", 500))


@pytest.mark.parametrize("qty", [0, -1, 1000, 10**9])
def test_absurd_quantities_are_refused_and_change_nothing(qty: int) -> None:
    order = Order()
    order.add(line())
    with pytest.raises(OrderError, match="수량"):
        order.set_qty(0, qty)
    assert order.lines[0].qty == 1


def test_price_over_a_hundred_million_is_refused() -> None:
    order = Order()
    with pytest.raises(OrderError, match="100,000,000"):
        order.add(line("황금커피", 100_000_001))
    assert order.is_empty


def test_minus_below_one_is_refused() -> None:
    order = Order()
    order.add(line())
    with pytest.raises(OrderError):
        order.change_qty(0, -1)
    assert order.lines[0].qty == 1


def test_paid_order_cannot_be_edited() -> None:
    order = Order()
    order.add(line())
    order.state = OrderState.PAID
    with pytest.raises(OrderError, match="paid"):
        order.add(line("라떼", 5_000, item_id=99))
