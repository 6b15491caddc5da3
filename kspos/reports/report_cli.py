"""``kspos report sales`` and ``kspos demo-data`` (delegated from kspos/cli.py).

The report path never imports SQLAlchemy when the database is already at this program's
schema (see kspos/store/readonly.py): a year's report is one short process.
"""

from __future__ import annotations

import sys

# Start-up is this command's figure (a day's report is a ≤ 50 ms process): typing, pathlib,
# csv, the text-width tables and openpyxl are imported only by the formats that use them.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing alone costs milliseconds
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from kspos.command_host import CommandHost
    from kspos.store.readonly import Connection


def demo_data(args: argparse.Namespace, cli: CommandHost) -> int:
    from kspos.sales.demo_data import demo_data as run

    return run(args, cli)


def _connection(settings: Any, cli: CommandHost) -> Connection:
    from kspos.store.readonly import connect, open_at_head

    conn = open_at_head(settings.db_file)
    if conn is None:  # missing or behind: the full open creates / migrates it, or explains
        cli.open_database(settings).close()
        conn = connect(settings.db_file)
    return conn


def _write(out: str | None, data: bytes) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from pathlib import Path

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main(args: argparse.Namespace, cli: CommandHost) -> int:
    """``kspos report sales --from --to [--by] [--format] [--out]``."""
    import json

    from kspos.reports import export
    from kspos.reports.periods import PeriodError, parse_range
    from kspos.reports.summary import sales_summary
    from kspos.store.errors import PlainStoreError

    if args.report_command != "sales":
        raise cli.UsageError(f"unknown report {args.report_command!r}")
    try:
        start, end = parse_range(args.date_from, args.date_to)
    except PeriodError as exc:
        raise cli.UsageError(str(exc)) from None
    if args.format == "xlsx" and not args.out:
        raise cli.UsageError("--format xlsx needs --out FILE.xlsx")
    settings = cli.load_settings_for(args)
    try:
        conn = _connection(settings, cli)
        try:
            summary = sales_summary(conn, start, end)
        finally:
            conn.close()
        if args.format == "json":
            _write(args.out, (json.dumps(export.as_json(summary, args.by), ensure_ascii=False)
                              + "\n").encode("utf-8"))
        elif args.format == "csv":
            _write(args.out, export.as_csv(summary, args.by))
        elif args.format == "xlsx":
            from pathlib import Path

            export.write_xlsx(summary, args.by, Path(args.out))
        else:
            _write(args.out, export.as_text(summary, args.by).encode("utf-8"))
    except PlainStoreError as exc:
        raise cli.CommandFailed(f"{settings.db_path}: cannot read the sales ({exc})") from None
    except OSError as exc:
        raise cli.CommandFailed(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.out:
        print(f"{args.out}", file=sys.stderr)
    return 0
