"""분할 계산: a table's bill split into parts that add up to the won.

Plain arithmetic, no database: the check service (kspos/sales/checks.py) stores a plan and
takes each part's tenders against it. Three ways to split what is due on a check:

* :func:`split_equal` — N분의 1: equal parts; the won that does not divide goes to the first
  part (12,001원 in 3 → 4,001 + 4,000 + 4,000);
* :func:`split_amounts` — by amount: the parts the cashier typed, and the rest as a last part;
* :func:`split_items` — by item: each line's quantity handed to the parts; a part pays its lines
  less its share of the order discount (cut by running totals, so no won is lost or made).

Every plan's parts are positive and sum exactly to what was split (``SplitPlan.total``).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from kspos.messages import DomainError

MAX_PARTS = 20  # a long table of friends; more is a typo


class SplitError(DomainError, ValueError):
    """A split the cashier cannot make: a message code (kspos.messages) and its parameters."""


class SplitKind(enum.StrEnum):
    EQUAL = "equal"  # N분의 1
    AMOUNT = "amount"  # 금액별
    ITEMS = "items"  # 메뉴별


@dataclass(frozen=True, slots=True)
class SplitPart:
    """One part of a split: ``amount`` won, and for a split by item the lines it pays as
    ``(line index on the check, qty)``."""

    index: int
    amount: int
    lines: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SplitPlan:
    """How what was due on a check is split; ``total`` = the sum of the parts' amounts."""

    kind: SplitKind
    parts: tuple[SplitPart, ...]

    @property
    def total(self) -> int:
        return sum(part.amount for part in self.parts)


def _check_count(parts: int) -> None:
    if isinstance(parts, bool) or not isinstance(parts, int) or not 2 <= parts <= MAX_PARTS:
        raise SplitError("split.parts_range", most=MAX_PARTS)


def split_equal(due: int, parts: int) -> SplitPlan:
    """N분의 1 of ``due``: equal parts, the won left over to the first part."""
    _check_count(parts)
    if due <= 0:
        raise SplitError("split.nothing_due")
    if due < parts:
        raise SplitError("split.amount_not_positive")
    base, left = divmod(due, parts)
    amounts = [base + left] + [base] * (parts - 1)
    return SplitPlan(SplitKind.EQUAL, tuple(SplitPart(i, a) for i, a in enumerate(amounts)))


def split_amounts(due: int, amounts: Sequence[int]) -> SplitPlan:
    """The parts the cashier typed; when they leave some of ``due``, a last part takes it."""
    if due <= 0:
        raise SplitError("split.nothing_due")
    if any(isinstance(a, bool) or not isinstance(a, int) or a <= 0 for a in amounts):
        raise SplitError("split.amount_not_positive")
    given = sum(amounts)
    if given > due:
        raise SplitError("split.amounts_over", given=given, due=due)
    chosen = list(amounts) + ([due - given] if given < due else [])
    _check_count(len(chosen))
    return SplitPlan(SplitKind.AMOUNT, tuple(SplitPart(i, a) for i, a in enumerate(chosen)))


@dataclass(frozen=True, slots=True)
class BillLine:
    """What :func:`split_items` needs of a check's line: its name, qty and amount (after its
    own discount or 서비스, before the order discount)."""

    name: str
    qty: int
    amount: int


def _cut(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` cut in proportion to ``weights`` by running totals: the pieces sum exactly
    to ``amount`` and no piece is off by more than a won."""
    whole = sum(weights)
    pieces, before, running = [], 0, 0
    for weight in weights:
        running += weight
        upto = amount * running // whole if whole else 0
        pieces.append(upto - before)
        before = upto
    return pieces


def split_items(lines: Sequence[BillLine], total: int,
                assignment: Sequence[Sequence[tuple[int, int]]]) -> SplitPlan:
    """Split a check of ``lines`` whose bill is ``total`` (the lines less the order discount)
    into parts by item: ``assignment[p]`` lists the ``(line index, qty)`` part ``p`` pays.

    Every qty of every line goes to exactly one part. A part pays its qty's share of each
    line's amount, less its share of the order discount; shares are cut by running totals,
    so the parts sum to ``total``."""
    _check_count(len(assignment))
    if total <= 0:
        raise SplitError("split.nothing_due")
    given = [0] * len(lines)
    for part in assignment:
        if not part:
            raise SplitError("split.empty_part")
        for index, qty in part:
            given[index] += qty
    for line, qty in zip(lines, given, strict=True):
        if qty > line.qty:
            raise SplitError("split.item_twice", name=line.name)
        if qty < line.qty:
            raise SplitError("split.item_unassigned", name=line.name)
    # each line's amount cut by the qty each part takes (running totals: sums stay exact)
    raw = [0] * len(assignment)
    for index, line in enumerate(lines):
        takes = [sum(q for i, q in part if i == index) for part in assignment]
        for p, piece in enumerate(_cut(line.amount, takes)):
            raw[p] += piece
    amounts = _cut(total, raw) if sum(raw) else [0] * len(raw)
    if any(a <= 0 for a in amounts):
        raise SplitError("split.amount_not_positive")
    return SplitPlan(SplitKind.ITEMS, tuple(
        SplitPart(p, amounts[p], tuple(sorted((i, q) for i, q in part)))
        for p, part in enumerate(assignment)))
