"""``kspos office report sales``: the office's 판매집계 in the formats of ``kspos report sales``.

The figures are :func:`office.store.sales.sales_summary` (the rollups kept at ingest) and the
output is :mod:`kspos.reports.export`'s, byte for byte the shape a terminal prints: the
office's JSON for a store equals the sum of its terminals' (tests/integration/office_reports).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from office.store import OfficeStore

GROUPINGS = ("day", "hour", "category", "item", "tender", "zone", "table")


def arguments(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
              parents: list[argparse.ArgumentParser], parser_class: type) -> None:
    """``report sales (--store CODE | --all) --from --to [--by] [--format] [--out]``."""
    report = sub.add_parser("report", parents=parents[:1], help="the office's sales reports")
    rsub = report.add_subparsers(dest="report_command", required=True,
                                 parser_class=parser_class, metavar="{sales}")
    sales = rsub.add_parser("sales", parents=parents,
                            help="판매집계 of one store or all of them for a date range")
    which = sales.add_mutually_exclusive_group(required=True)
    which.add_argument("--store", metavar="CODE", help="one store's code")
    which.add_argument("--all", action="store_true", help="every store, summed")
    sales.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    sales.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    sales.add_argument("--by", choices=GROUPINGS, default="day")
    sales.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    sales.add_argument("--out", metavar="FILE", help="write here instead of stdout (xlsx: needed)")


def main(args: argparse.Namespace, host: CommandHost, store: OfficeStore) -> int:
    """Run ``kspos office report sales`` on the opened office ``store``."""
    from kspos.reports.periods import PeriodError, parse_range
    from kspos.reports.report_cli import write_summary
    from office.store import OfficeStoreError
    from office.store.sales import known_stores, sales_summary

    try:
        start, end = parse_range(args.date_from, args.date_to)
    except PeriodError as exc:
        raise host.UsageError(str(exc)) from None
    if args.format == "xlsx" and not args.out:
        raise host.UsageError("--format xlsx needs --out FILE.xlsx")
    try:
        with store.transaction() as conn:
            codes = [code for code, _name in known_stores(conn)]
            if args.store is not None and args.store not in codes:
                raise host.UsageError(f"no store {args.store[:12]!r} at this office "
                                      f"(known: {', '.join(codes[:20]) or 'none'})")
            summary = sales_summary(conn, codes if args.all else [args.store], start, end)
    except OfficeStoreError as exc:
        raise host.CommandFailed(str(exc)) from None
    try:
        write_summary(summary, args.by, args.format, args.out)
    except OSError as exc:
        raise host.CommandFailed(f"cannot write {args.out}: {exc.strerror or exc}") from None
    return 0
