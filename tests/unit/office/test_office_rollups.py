"""The sales rollups kept at ingest (office/store/rollups.py) on a temp SQLite file: whatever
order a terminal's facts arrive in, however often they are re-sent, the rollups end the same
as counting everything once; a refund counts on the day it carries, a training sale never."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from office.api.validate import check_batch
from office.store import OfficeStore, rollups, sales
from office.store import ingest as repo
from office.store.tables import sales_rollup
from tests.unit.office.facts_data import batch, order, payment, refund

DAY = date(2026, 11, 25)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[OfficeStore]:
    store = OfficeStore(f"sqlite:///{tmp_path / 'office.sqlite3'}").open()
    yield store
    store.close()


def _push(office: OfficeStore, *facts: dict[str, Any]) -> None:
    with office.transaction() as conn:
        repo.store_batch(conn, "S0001", "01", check_batch(batch(*facts), "S0001", "01").facts)


def _rows(office: OfficeStore) -> set[tuple[Any, ...]]:
    with office.transaction() as conn:
        return {tuple(r) for r in conn.execute(select(sales_rollup))}


def _history() -> list[dict[str, Any]]:
    """Two orders (one split over card and cash), a partial refund of each (one made the next
    day, one naming its lines, the next tender row of that call naming none), a training sale."""
    first, second = order(total=9000, seq=1), order(total=12100, seq=4)
    card = payment(first, seq=2)
    split_card = payment(second, seq=5)
    split_card["body"]["amount"] = 7000
    split_cash = payment(second, seq=6, method="cash")
    split_cash["body"].update(amount=5100, masked_pan=None, card_bin=None, approval_no=None)
    later = refund(first, card, 3000, seq=7)
    later["body"].update(created_at="2026-11-26T10:00:00.000000", business_day="2026-11-26")
    named = refund(second, split_cash, 5100, seq=8)
    named["body"]["lines"] = [{"line_uuid": second["body"]["lines"][1]["uuid"], "qty": 1}]
    rest = refund(second, split_card, 950, seq=9)
    practice = order(total=5000, seq=10)
    practice["body"]["training"] = True
    return [first, card, second, split_card, split_cash, later, named, rest, practice,
            payment(practice, seq=11)]


def test_any_arrival_order_and_any_resend_ends_as_counting_once(office: OfficeStore,
                                                                 tmp_path: Path) -> None:
    facts = _history()
    _push(office, *facts)
    once = _rows(office)
    for seed in range(6):
        other = OfficeStore(f"sqlite:///{tmp_path / f'o{seed}.sqlite3'}").open()
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        for n, fact in enumerate(shuffled):
            _push(other, fact)
            _push(other, *shuffled[:n + 1])  # everything so far again: adds nothing
        assert _rows(other) == once, seed
        with other.transaction() as conn:
            rollups.rebuild(conn)
        assert _rows(other) == once
        other.close()


def test_what_counts_where(office: OfficeStore) -> None:
    _push(office, *_history())
    with office.transaction() as conn:
        day = sales.sales_summary(conn, {"S0001"}, DAY, DAY)
        next_day = sales.sales_summary(conn, {"S0001"}, date(2026, 11, 26), date(2026, 11, 26))
        both = sales.sales_summary(conn, {"S0001"}, DAY, date(2026, 11, 26))
        nobody = sales.sales_summary(conn, set(), DAY, DAY)
    assert (day.totals.orders, day.totals.gross, day.totals.refunds) == (2, 21100, 6050)
    assert day.totals.net_sales == 21100 - 6050
    assert (next_day.totals.orders, next_day.totals.refunds, next_day.totals.net_sales) == (
        0, 3000, -3000)
    assert both.totals.net_sales == 21100 - 9050
    for by in ("day", "hour", "category", "item", "tender"):
        assert sum(r.net_sales for r in both.rows(by)) == both.totals.net_sales
    t = both.totals
    assert t.supply + t.vat + t.tax_free == t.net_sales
    tenders = {r.key: r.net_sales for r in both.rows("tender")}
    assert tenders == {"card": 9000 + 7000 - 3000 - 950, "cash": 5100 - 5100}
    assert nobody.totals.orders == 0 and nobody.rows("day") == []


def test_a_late_payment_reshares_the_tenders(office: OfficeStore) -> None:
    facts = _history()
    second, split_card, split_cash = facts[2], facts[3], facts[4]
    _push(office, second, split_card)
    _push(office, split_cash)
    with office.transaction() as conn:
        got = sales.sales_summary(conn, {"S0001"}, DAY, DAY)
    assert {r.key: (r.net_sales, r.tally.qty) for r in got.rows("tender")} == {
        "card": (7000, 1), "cash": (5100, 1)}
    assert sum(r.tally.vat for r in got.rows("tender")) == second["body"]["vat"]


def test_the_rollup_columns_are_the_report_fields() -> None:
    from kspos.reports.tally import FIELDS, Tally
    from office.store.tables import ROLLUP_FIELDS

    assert ROLLUP_FIELDS == FIELDS
    assert Tally(*range(1, 16)).values() == tuple(range(1, 16))
