"""One definition of what counts where: the office's 판매집계 of a store equals the sum of its
terminals' ``kspos report sales``, to the won, on PostgreSQL and on SQLite.

Two terminals of store A and one of store B make their history through the real sales core
(``kspos demo-data``: card, cash with and without 현금영수증, easy pay, split tenders, refunds
on the day and on the next day, voids, training sales), push it with the real ``kspos sync
--once`` to a real ``kspos office serve``; then ``kspos office report sales --format json``
for each store, several periods and every grouping is compared with its terminals' reports.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.office_link.rig import Office, Terminal, _env, kspos

ROOT = Path(__file__).resolve().parents[3]

GROUPINGS = ("day", "hour", "category", "item", "tender")
STORES = {"A001": ("01", "02"), "B002": ("01",)}
DAYS = 4


@pytest.fixture(params=["postgresql", "sqlite"], scope="module")
def chain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Office, list[Terminal], dict[str, int]]]:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "postgresql":
        database = request.getfixturevalue("postgres").create_database()
    else:
        database = f"sqlite:///{tmp / 'office' / 'office.sqlite3'}"
    office = Office(tmp / "office", database).start()
    terminals, made = [], {"refunds": 0, "voided": 0, "training": 0}
    for seed, (store, number) in enumerate(((s, n) for s, ns in STORES.items() for n in ns),
                                           start=11):
        t = Terminal(tmp / f"{store}-{number}", store, number, office.url,
                     office.token(store, number))
        done = t.run("demo-data", "--days", str(DAYS), "--orders-per-day", "70",
                     "--seed", str(seed))
        assert done.returncode == 0, done.stderr
        for word in made:  # "done: 4 days, 280 paid orders, 9 refunds, 1 voided, 2 training"
            made[word] += int(re.search(rf"([\d,]+) {word}", done.stdout + done.stderr)
                              .group(1).replace(",", ""))  # type: ignore[union-attr]
        today = subprocess.run([sys.executable, "-m", "tests.integration.office_reports.today"],
                               env=_env(t.folder, t.config), capture_output=True, text=True,
                               timeout=120, check=False, cwd=ROOT)
        assert today.returncode == 0, today.stderr
        terminals.append(t)
    # all three push at once: the two terminals of A001 add to the same rollup rows
    pushing = [t.popen_sync("--once", "--json") for t in terminals]
    for process in pushing:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    for t in terminals:
        assert all(row["sent"] for row in t.outbox())
    yield office, terminals, made
    office.stop()


def _terminal_report(t: Terminal, start: str, end: str, by: str) -> dict[str, Any]:
    done = t.run("report", "sales", "--from", start, "--to", end, "--by", by,
                 "--format", "json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _office_report(office: Office, *args: str) -> tuple[int, str, str]:
    done = kspos("office", "report", "sales", *args, "--database", office.database,
                 folder=office.folder)
    return done.returncode, done.stdout, done.stderr


def _summed(reports: list[dict[str, Any]], by: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Totals and rows of several reports added up. Items and categories are matched by name
    (a terminal keys them by its own row ids, the office by the menu's UUIDs and by name)."""
    totals: dict[str, int] = {}
    rows: dict[str, list[int]] = {}
    for report in reports:
        for name, value in report["totals"].items():
            totals[name] = totals.get(name, 0) + value
        for row in report["rows"]:
            ident = row["label"] if by in ("item", "category") else row["key"]
            kept = rows.setdefault(ident, [0, 0, 0, 0])
            for n, name in enumerate(("orders", "qty", "service_qty", "net_sales")):
                kept[n] += row[name]
    return totals, {k: v for k, v in rows.items() if any(v)}


def test_the_office_report_is_the_sum_of_the_terminals(
        chain: tuple[Office, list[Terminal], dict[str, int]]) -> None:
    office, terminals, made = chain
    assert made["refunds"] > 0 and made["voided"] > 0 and made["training"] > 0, made
    made_when = office.query("SELECT r.created_at, o.business_day FROM refunds r "
                             "JOIN orders o ON o.uuid = r.order_uuid")
    assert any(str(at)[:10] > str(day)[:10] for at, day in made_when)  # a later day's refund
    last = date.today() - timedelta(days=1)
    first = last - timedelta(days=DAYS - 1)
    today = last + timedelta(days=1)
    periods = [(first, today), (first, first), (first + timedelta(days=1), last),
               (today, today)]
    for store, numbers in STORES.items():
        mine = [t for t in terminals if t.store == store]
        assert len(mine) == len(numbers)
        for start, end in periods:
            for by in GROUPINGS:
                reports = [_terminal_report(t, str(start), str(end), by) for t in mine]
                totals, rows = _summed(reports, by)
                code, out, err = _office_report(office, "--store", store, "--from", str(start),
                                                "--to", str(end), "--by", by,
                                                "--format", "json")
                assert code == 0, err
                got = json.loads(out)
                assert got["totals"] == totals, (store, start, end, by)
                # an item's rows: one per terminal's menu UUID at the office, matched by name
                assert _summed([got], by) == (totals, rows), (store, start, end, by)
                assert sum(r["net_sales"] for r in got["rows"]) == totals["net_sales"]
    code, out, _err = _office_report(office, "--all", "--from", str(first), "--to",
                                     str(last + timedelta(days=1)), "--format", "json")
    everyone = _summed([_terminal_report(t, str(first), str(last + timedelta(days=1)), "day")
                        for t in terminals], "day")[0]
    assert code == 0 and json.loads(out)["totals"] == everyone


def test_the_office_report_speaks_the_terminal_formats(
        chain: tuple[Office, list[Terminal], dict[str, int]]) -> None:
    office, terminals, _made = chain
    last = date.today() - timedelta(days=1)
    code, out, _err = _office_report(office, "--store", "B002", "--from", str(last), "--to",
                                     str(last), "--by", "tender", "--format", "csv")
    own = terminals[-1].run("report", "sales", "--from", str(last), "--to", str(last),
                            "--by", "tender", "--format", "csv")
    assert code == 0 and out == own.stdout  # one terminal: the very same CSV
    code, out, _err = _office_report(office, "--store", "B002", "--from", str(last), "--to",
                                     str(last))
    assert code == 0 and "판매집계" in out and "순매출" in out


@pytest.mark.parametrize(("args", "said"), [
    (("--store", "A001", "--from", "2026-13-01", "--to", "2026-12-31"), "--from"),
    (("--store", "A001", "--from", "2026-12-31", "--to", "2026-12-01"), "before"),
    (("--store", "NOPE", "--from", "2026-12-01", "--to", "2026-12-31"), "no store"),
    (("--from", "2026-12-01", "--to", "2026-12-31"), "--store"),
])
def test_bad_input_is_exit_2_with_a_reason(chain: tuple[Office, list[Terminal], dict[str, int]],
                                           args: tuple[str, ...], said: str) -> None:
    code, out, err = _office_report(chain[0], *args)
    assert code == 2 and out == "" and said in err and "Traceback" not in err
