"""The one rounding rule for money: half up (away from zero), in integers, and shares that add up."""

from __future__ import annotations

from fractions import Fraction
from math import floor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kspos.money import div_half_up, share, vat_split
from kspos.sales.orders import Discount, Order, OrderLine


def test_halves_round_up_and_just_below_half_rounds_down() -> None:
    assert div_half_up(5, 2) == 3  # 2.5
    assert div_half_up(3, 2) == 2  # 1.5
    assert div_half_up(149, 100) == 1
    assert div_half_up(150, 100) == 2
    assert div_half_up(151, 100) == 2
    assert div_half_up(0, 7) == 0


def test_negative_amounts_round_away_from_zero_like_positive_ones() -> None:
    assert div_half_up(-5, 2) == -3
    assert div_half_up(5, -2) == -3
    assert div_half_up(-149, 100) == -1
    assert div_half_up(-150, 100) == -2
    with pytest.raises(ZeroDivisionError):
        div_half_up(1, 0)


@given(st.integers(-10**12, 10**12), st.integers(-10**6, 10**6).filter(bool))
def test_div_half_up_is_exact_rounding_of_the_true_quotient(n: int, d: int) -> None:
    exact = Fraction(n, d)
    expected = floor(abs(exact) + Fraction(1, 2)) * (1 if exact >= 0 else -1)
    assert div_half_up(n, d) == expected


def test_a_percent_discount_rounds_half_up_to_the_won() -> None:
    assert Discount("percent", 10).amount_off(4_505) == 451  # 450.5
    assert Discount("percent", 10).amount_off(4_504) == 450  # 450.4
    assert Discount("percent", 15).amount_off(1_010) == 152  # 151.5


def test_an_order_discount_takes_its_tax_free_share_half_up() -> None:
    order = Order()
    order.add(OrderLine(item_id=1, name="생수", base_price=1_000, tax_free=True))
    order.add(OrderLine(item_id=2, name="커피", base_price=2_000))
    order.set_order_discount(Discount("amount", 1_001))  # 면세 share 333.67 → 334
    totals = order.totals()
    assert totals.total == 1_999
    assert totals.split.tax_free == 1_000 - 334
    assert totals.split.supply + totals.split.vat == 2_000 - 667


def test_share_edges() -> None:
    assert share(3_200, 7_700, 7_700) == 3_200  # the whole order: the whole 면세 part
    assert share(3_200, 3_850, 7_700) == 1_600
    assert share(1, 1, 2) == 1  # half a won rounds up
    assert share(0, 5_000, 7_700) == 0 and share(100, 5_000, 0) == 0
    assert share(10, 3, 10) == 3  # never more than the amount itself


@given(st.integers(0, 10**8), st.integers(1, 10**8), st.data())
def test_shares_of_a_split_add_up_to_the_whole(part: int, total: int, data: st.DataObject) -> None:
    part = min(part, total)
    amount = data.draw(st.integers(0, total))
    first, second = share(part, amount, total), share(part, total - amount, total)
    assert 0 <= first <= amount and 0 <= second <= total - amount
    # Each share rounds once, so two shares miss the whole by at most the one won rounded.
    assert abs(first + second - part) <= 1
    assert share(part, total, total) == part


@given(st.integers(-10**8, 10**8), st.integers(0, 10**7), st.integers(0, 10**7))
def test_vat_split_always_adds_up(total: int, tax_free: int, service: int) -> None:
    if total >= 0:
        tax_free, service = min(tax_free, total), min(service, total - min(tax_free, total))
    else:
        tax_free = service = 0
    split = vat_split(total, tax_free=tax_free, service=service)
    assert split.supply + split.vat + split.tax_free + split.service == total
    assert split.supply == div_half_up((total - tax_free - service) * 10, 11)
