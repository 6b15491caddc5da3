"""Per-day rollups of closed business days' sales (tables of migration 0004_reports).

A closed day's sales never change (closing refuses open or held orders, and a date is opened
once), so its Facts are stored once, with a fingerprint of its paid orders; a report reads the
rows of every sealed day whose fingerprint still matches and computes the rest live. Refunds
are never stored here: they count on the day they are made.

Sealing needs no hook in the sales core: the closing screen and ``demo-data`` seal the day they
close, and any report that meets a closed, unsealed day seals it on the way.
"""

from __future__ import annotations

from kspos.reports.facts import DIMS, Facts, Row, now_stamp, sales_facts
from kspos.reports.tally import FIELDS, Tally
from kspos.store import reports as stored
from kspos.store.readonly import snapshot

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `kspos report` time
if TYPE_CHECKING:
    from collections.abc import Iterable

    from kspos.store.readonly import Connection

VERSION = 2  # bump when what a rollup row means changes: old rows are then rebuilt
Fingerprint = tuple[int, int, int]  # paid orders, their total, the largest order id


def fingerprints(conn: Connection, day_ids: Iterable[int]) -> dict[int, Fingerprint]:
    """(orders, Σ total, max id) of each business day's paid non-training orders."""
    ids = sorted(day_ids)
    found: dict[int, Fingerprint] = {i: (0, 0, 0) for i in ids}
    if not ids:
        return found
    for day_id, count, total, top in stored.day_fingerprints(conn, ids[0], ids[-1]):
        if day_id in found:
            found[day_id] = (count, total, top)
    return found


def valid_days(conn: Connection, closed: dict[int, str]) -> set[str]:
    """The dates among ``closed`` {business_day id: date} whose rollup can be trusted.

    One aggregate over the range first: when it equals the stored fingerprints' sum (the
    usual case) every day is good; otherwise each day is compared on its own.
    """
    if not closed:
        return set()
    dates = sorted(closed.values())
    stored_days = {row[0]: row[1:] for row in stored.sealed_days(conn, dates[0], dates[-1])}
    usable = {day_id: day for day_id, day in closed.items()
              if (row := stored_days.get(day)) and row[0] == day_id and row[1] == VERSION}
    if not usable:
        return set()
    ids = sorted(closed)
    count, total, top = stored.range_fingerprint(conn, ids[0], ids[-1])
    if len(usable) == len(closed) and len(ids) == ids[-1] - ids[0] + 1:
        rows = [stored_days[day] for day in usable.values()]
        if (count, total, top) == (sum(r[2] for r in rows), sum(r[3] for r in rows),
                                   max(r[4] for r in rows)):
            return set(usable.values())
    current = fingerprints(conn, closed)
    return {day for day_id, day in usable.items()
            if tuple(stored_days[day][2:]) == current[day_id]}


def read(conn: Connection, dates: set[str], skip: set[str], into: Facts) -> None:
    """Add the stored sales of ``dates`` (a range, minus the dates in ``skip``) to ``into``:
    summed in SQL, each row labelled with its newest day's words."""
    if not dates:
        return
    ordered = sorted(dates)
    for row in stored.rollup_day_totals(conn, FIELDS, ordered[0], ordered[-1], skip):
        tally = Tally.of(row[1:])
        into.totals += tally
        into.row("day", row[0], row[0], row[0]).__iadd__(tally)
    for row in stored.rollup_rows(conn, FIELDS, ordered[0], ordered[-1], skip):
        into.row(row[0], row[1], row[2], row[3]).__iadd__(Tally.of(row[4:]))


def _rows(day: str, facts: Facts) -> list[tuple]:  # type: ignore[type-arg]
    rows: list[tuple] = [(day, "total", "", "", *facts.totals.values())]  # type: ignore[type-arg]
    for dim in DIMS:
        if dim == "day":
            continue
        row: Row
        for row in facts.dims[dim].values():
            rows.append((day, dim, row.key, row.label, *row.tally.values()))
    return rows


def store(conn: Connection, closed: dict[int, str], facts: dict[str, Facts]) -> int:
    """Seal closed days {id: date} whose live ``facts`` were just computed. Returns days
    stored; a read-only or busy database is logged and skipped (the cache is optional)."""
    if not closed:
        return 0
    prints = fingerprints(conn, closed)
    days = [(day, day_id, _rows(day, facts.get(day) or Facts()), prints[day_id])
            for day_id, day in closed.items()]
    trouble = stored.replace_rollups(conn, FIELDS, days, VERSION, now_stamp())
    if trouble is not None:
        import logging  # lazy: logging costs ``kspos report`` ~10 ms at start-up

        logging.getLogger(__name__).info("report rollups not stored (%s); computing live",
                                         trouble)
        return 0
    return len(closed)


def seal_day(conn: Connection, day: str) -> bool:
    """Seal one closed business day (call after BusinessDays.close). False if not closed."""
    day_id = stored.closed_day_id(conn, day)
    if day_id is None:
        return False
    closed = {day_id: day}
    with snapshot(conn):
        facts = sales_facts(conn, closed)
    return store(conn, closed, facts) == 1
