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


def write_summary(summary: Any, by: str, fmt: str, out: str | None) -> None:
    """``summary`` grouped ``by`` in ``fmt`` (json, csv, xlsx, table) to ``out`` or stdout:
    the formats of ``kspos report sales``, which ``kspos office report sales`` writes too.
    OSError when ``out`` cannot be written."""
    import json

    from kspos.reports import export

    if fmt == "json":
        _write(out, (json.dumps(export.as_json(summary, by), ensure_ascii=False)
                     + "\n").encode("utf-8"))
    elif fmt == "csv":
        _write(out, export.as_csv(summary, by))
    elif fmt == "xlsx":
        from pathlib import Path

        export.write_xlsx(summary, by, Path(str(out)))
    else:
        _write(out, export.as_text(summary, by).encode("utf-8"))


def main(args: argparse.Namespace, cli: CommandHost) -> int:
    """``kspos report sales --from --to [--by] [--format] [--out]``."""
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
        write_summary(summary, args.by, args.format, args.out)
    except PlainStoreError as exc:
        raise cli.CommandFailed(f"{settings.db_path}: cannot read the sales ({exc})") from None
    except OSError as exc:
        raise cli.CommandFailed(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.out:
        print(f"{args.out}", file=sys.stderr)
    return 0
