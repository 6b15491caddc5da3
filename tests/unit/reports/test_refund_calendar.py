"""Which report date a refund counts on, with only the business days near the period read."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kspos.reports.facts import RefundCalendar

START = datetime(2026, 3, 1)


def _stamp(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S.%f")


def _expected(days: list[tuple[str, str | None, str]], stamp: str) -> str:
    """The rule, over the whole history: the business day open at that moment, else the date."""
    opened = [d for d in sorted(days) if d[0] <= stamp]
    if opened and (opened[-1][1] is None or stamp <= opened[-1][1]):
        return opened[-1][2]
    return stamp[:10]


# A history of business days: each opens some time after the previous one closed (possibly
# late at night, possibly spanning midnight); the last may still be open.
day_spans = st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 1800)), min_size=0,
                     max_size=12)


@given(day_spans, st.booleans(), st.integers(0, 12), st.integers(0, 3),
       st.lists(st.integers(0, 30000), max_size=25))
def test_refunds_count_on_the_business_day_open_then_else_their_date(  # type: ignore[no-untyped-def]
        gaps, last_open, first, length, moments) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE business_day (id INTEGER PRIMARY KEY, day TEXT UNIQUE, "
                 "opened_at TEXT, closed_at TEXT)")
    days: list[tuple[str, str | None, str]] = []
    at, used = 0, set()
    for n, (gap, length_min) in enumerate(gaps):
        at += gap
        opened = _stamp(at)
        day = opened[:10]
        if day in used:  # a date is opened once
            at += length_min
            continue
        used.add(day)
        at += length_min
        closed = None if last_open and n == len(gaps) - 1 else _stamp(at)
        days.append((opened, closed, day))
        conn.execute("INSERT INTO business_day (day, opened_at, closed_at) VALUES (?, ?, ?)",
                     (day, opened, closed))
    date_from = (START + timedelta(days=first)).date().isoformat()
    date_to = (START + timedelta(days=first + length)).date().isoformat()
    calendar = RefundCalendar(conn, date_from, date_to)
    lower, upper = calendar.window
    for minutes in moments:
        stamp = _stamp(minutes)
        expected = _expected(days, stamp)
        if date_from <= expected <= date_to:  # every refund of the period is inside the window
            assert lower <= stamp and (upper is None or stamp < upper)
        if lower <= stamp and (upper is None or stamp < upper):
            assert calendar.date_of(stamp) == expected
