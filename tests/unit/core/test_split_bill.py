"""분할 계산 arithmetic: every kind of split adds up to the won, and bad splits are refused."""

from __future__ import annotations

import random

import pytest

from kspos.sales.split_bill import (
    BillLine,
    SplitError,
    SplitKind,
    split_amounts,
    split_equal,
    split_items,
)


def test_equal_parts_give_the_odd_won_to_the_first_part() -> None:
    plan = split_equal(12_001, 3)
    assert plan.kind is SplitKind.EQUAL
    assert [p.amount for p in plan.parts] == [4_001, 4_000, 4_000]
    assert plan.total == 12_001


@pytest.mark.parametrize("parts", [1, 0, 21, True])
def test_equal_split_refuses_a_count_out_of_range(parts: int) -> None:
    with pytest.raises(SplitError) as caught:
        split_equal(10_000, parts)
    assert "2" in caught.value.text("ko")


def test_amounts_leave_the_rest_as_a_last_part() -> None:
    plan = split_amounts(50_000, [20_000, 15_000])
    assert [p.amount for p in plan.parts] == [20_000, 15_000, 15_000]
    assert plan.total == 50_000
    assert [p.amount for p in split_amounts(30_000, [10_000, 20_000]).parts] == [10_000, 20_000]


def test_amounts_over_what_is_due_are_refused_with_both_figures() -> None:
    with pytest.raises(SplitError) as caught:
        split_amounts(30_000, [20_000, 15_000])
    assert "35,000원" in caught.value.text("ko") and "30,000원" in caught.value.text("ko")
    with pytest.raises(SplitError):
        split_amounts(30_000, [0, 5_000])
    with pytest.raises(SplitError):
        split_amounts(30_000, [30_000])  # one part is not a split


def test_items_pay_their_lines_and_share_the_order_discount_exactly() -> None:
    lines = [BillLine("삼겹살", 2, 32_000), BillLine("소주", 3, 15_000), BillLine("냉면", 1, 9_000)]
    total = 56_000 - 3_333  # an amount discount on the order
    plan = split_items(lines, total, [[(0, 1), (1, 2)], [(0, 1), (1, 1), (2, 1)]])
    assert plan.total == total
    first, second = plan.parts
    assert first.lines == ((0, 1), (1, 2)) and second.lines == ((0, 1), (1, 1), (2, 1))
    # before the discount the parts owe 26,000 and 30,000; the discount is shared by that
    assert abs(first.amount - (26_000 - 3_333 * 26_000 / 56_000)) < 1
    assert abs(second.amount - (30_000 - 3_333 * 30_000 / 56_000)) < 1


def test_items_must_each_be_given_exactly_once() -> None:
    lines = [BillLine("삼겹살", 2, 32_000), BillLine("소주", 1, 5_000)]
    with pytest.raises(SplitError) as missing:
        split_items(lines, 37_000, [[(0, 1)], [(0, 1)]])
    assert "소주를" in missing.value.text("ko")
    with pytest.raises(SplitError) as twice:
        split_items(lines, 37_000, [[(0, 2), (1, 1)], [(0, 1)]])
    assert "삼겹살" in twice.value.text("ko")
    with pytest.raises(SplitError):
        split_items(lines, 37_000, [[(0, 2), (1, 1)], []])


def test_random_splits_always_add_up() -> None:
    rng = random.Random(18)
    for _ in range(500):
        due = rng.randint(20, 2_000_000)
        parts = rng.randint(2, 20)
        if due >= parts:
            assert split_equal(due, parts).total == due
        lines = [BillLine(f"m{i}", rng.randint(1, 4), rng.randint(1, 90_000))
                 for i in range(rng.randint(2, 8))]
        gross = sum(line.amount for line in lines)
        total = gross - rng.randint(0, gross // 3)
        assignment: list[list[tuple[int, int]]] = [[], []]
        for index, line in enumerate(lines):
            for _unit in range(line.qty):
                assignment[rng.randint(0, 1)].append((index, 1))
        if all(assignment):
            merged = [[(i, sum(q for j, q in part if j == i)) for i in {j for j, _ in part}]
                      for part in assignment]
            try:
                plan = split_items(lines, total, merged)
            except SplitError:
                continue  # a part whose share rounds to nothing
            assert plan.total == total
            assert all(part.amount > 0 for part in plan.parts)
