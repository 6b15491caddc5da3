"""The integer arithmetic behind exact report sums."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kspos.reports.periods import PeriodError, parse_range, preset
from kspos.reports.tally import Tally, allocate, refund_split


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_allocate_sums_exactly_and_stays_proportional(total, weights) -> None:  # type: ignore[no-untyped-def]
    parts = allocate(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    whole = sum(weights)
    if whole:
        for part, weight in zip(parts, weights, strict=True):
            assert total * weight // whole <= part <= total * weight // whole + 1


def test_allocate_edges() -> None:
    assert allocate(0, []) == []
    assert allocate(5, [0, 0]) == [5, 0]
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    with pytest.raises(ValueError):
        allocate(1, [])


def test_refund_split_adds_up() -> None:
    assert refund_split(7_700, 3_200, 7_700) == (4_091, 409, 3_200)
    supply, vat, free = refund_split(3_850, 3_200, 7_700)
    assert supply + vat + free == 3_850 and free == 1_600


def test_tally_adds_field_by_field() -> None:
    a, b = Tally(orders=1, net_sales=100), Tally(orders=2, net_sales=-30, refunds=30)
    a += b
    assert (a.orders, a.net_sales, a.refunds) == (3, 70, 30)
    assert Tally.of(a.values()) == a


def test_periods() -> None:
    wednesday = date(2026, 11, 25)
    assert preset("week", wednesday) == (date(2026, 11, 23), wednesday)
    assert preset("month", wednesday) == (date(2026, 11, 1), wednesday)
    assert preset("yesterday", wednesday) == (date(2026, 11, 24),) * 2
    assert parse_range("2026-01-01", "2026-01-31") == (date(2026, 1, 1), date(2026, 1, 31))
    for bad in (("2026-1-1", "2026-01-02"), ("2026-02-30", "2026-03-01"),
                ("2026-03-02", "2026-03-01"), ("2000-01-01", "2026-01-01")):
        with pytest.raises(PeriodError):
            parse_range(*bad)


def test_every_field_is_added() -> None:
    import inspect

    from kspos.reports.tally import FIELDS

    assert tuple(inspect.signature(Tally).parameters) == FIELDS
    assert Tally.of(tuple(range(len(FIELDS)))).as_dict() == dict(zip(FIELDS, range(len(FIELDS)), strict=True))
    a = Tally.of(tuple(range(1, len(FIELDS) + 1)))
    a += Tally.of(tuple(range(1, len(FIELDS) + 1)))
    assert a.values() == tuple(2 * n for n in range(1, len(FIELDS) + 1))
