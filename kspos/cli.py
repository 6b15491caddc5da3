"""The ``kspos`` command: the one composition root (ARCHITECTURE.md, "Command line").

Only this module may import ``ui`` and ``drivers``, and it does so lazily, per subcommand, so
``kspos --help`` and the headless commands stay fast and never load Qt.

Exit codes: 0 success, 1 a check or transaction failed, 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from kspos import __version__

# Not `from typing import TYPE_CHECKING`: importing typing alone costs a short command (such as
# `kspos report`) several milliseconds; mypy treats any TYPE_CHECKING name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, NoReturn

    from kspos.command_host import CommandHost
    from kspos.config import Settings
    from kspos.store import Database

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SCREENS = ("cashier", "payment", "history", "sales", "menu", "closing", "device-test", "staff",
           "tables", "check", "customer-display", "order-call")


class UsageError(Exception):
    """Bad usage or bad input: printed as one line, exit 2."""


class CommandFailed(Exception):
    """A check or transaction failed: printed as one line, exit 1."""


def _terminal_columns() -> int:
    """``$COLUMNS``, else the terminal's width, else 80 (what shutil would say)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter without ``shutil``: argparse builds one for every argument it
    adds, and shutil (with bz2 and lzma behind it) would cost a short command ~4 ms."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         width if width is not None else max(_terminal_columns() - 2, 20))


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (no usage dump) and exits 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"seconds must be in (0, 3600]: {text}")
    return value


def _response_seconds(text: str) -> float:
    """A VAN response timeout: what [van] response_timeout_s takes, (0, 300] s."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 300:  # nan and inf fail this too
        raise argparse.ArgumentTypeError(f"a VAN response timeout is in (0, 300] seconds: "
                                         f"{text}")
    return value


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"expected WxH such as 1280x800, got {text!r}")
    w, h = int(width), int(height)
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size out of range (320x240 to 7680x4320): {text}")
    return w, h


def _global_options() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config file (default: $KSPOS_CONFIG or the platform config dir)")
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder (default: $KSPOS_DATA_DIR or the platform data dir)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="debug logging")
    return common


def _van_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--van", metavar="SPEC", help="tcp:HOST:PORT or embedded (default: config)")
    p.add_argument("--tid", help="terminal id (default: config)")
    p.add_argument("--timeout", type=_response_seconds, metavar="S",
                   help="response timeout in seconds, at most 300")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _van_source(p: argparse.ArgumentParser, required: bool) -> None:
    source = p.add_mutually_exclusive_group(required=required)
    source.add_argument("--card", metavar="PAN=YYMM", help="keyed card (class KI, entry K)")
    source.add_argument("--code", metavar="PAYCODE", help="scanned easy-pay code (class EP)")
    source.add_argument("--cash-receipt", metavar="ID", help="cash receipt identity (class HK)")
    p.add_argument("--wallet", metavar="CODE", help="easy-pay wallet code (with --code)")
    p.add_argument("--purpose", choices=("deduction", "expense"),
                   help="cash receipt purpose (default deduction)")


def _args_van(van: _Parser, common: _Parser) -> None:
    vsub = van.add_subparsers(dest="van_command", metavar="{test,approve,cancel,list}",
                              required=True, parser_class=_Parser)
    test = vsub.add_parser("test", parents=[common], help="network test (0800)")
    _van_common(test)
    approve = vsub.add_parser("approve", parents=[common], help="approve a payment (0200)")
    approve.add_argument("--amount", type=_positive_int, required=True, metavar="N")
    _van_source(approve, required=True)
    approve.add_argument("--installment", type=_positive_int, default=0, metavar="M")
    approve.add_argument("--test", action="store_true", help="거래형태 T (technician's test)")
    _van_common(approve)
    cancel = vsub.add_parser("cancel", parents=[common], help="cancel a payment (0420/7420)")
    cancel.add_argument("--approval", required=True, metavar="NO")
    cancel.add_argument("--date", required=True, metavar="YYMMDD")
    cancel.add_argument("--amount", type=_positive_int, required=True, metavar="N")
    cancel.add_argument("--partial", action="store_true", help="partial cancel (7420)")
    _van_source(cancel, required=False)
    cancel.add_argument("--test", action="store_true", help="cancel a test (T) approval")
    _van_common(cancel)
    listing = vsub.add_parser("list", parents=[common],
                              help="the answers approve/cancel got, newest first")
    listing.add_argument("--tid", help="only this terminal id (default: every TID)")
    listing.add_argument("--limit", type=_positive_int, default=50, metavar="N")
    listing.add_argument("--json", action="store_true", help="print one JSON object")


def _args_device(device: _Parser, common: _Parser) -> None:
    dsub = device.add_subparsers(dest="device_command", required=True, parser_class=_Parser,
                                 metavar="{list,print-test,read-card,scan,drawer}")
    listing = dsub.add_parser("list", parents=[common], help="configured and discovered devices")
    listing.add_argument("--json", action="store_true")
    pt = dsub.add_parser("print-test", parents=[common], help="print a test page")
    pt.add_argument("--printer", metavar="SPEC")
    pt.add_argument("--mode", choices=("text", "raster"))
    pt.add_argument("--width", type=int, choices=(48, 42, 32))
    rc = dsub.add_parser("read-card", parents=[common], help="read one card")
    rc.add_argument("--reader", metavar="SPEC")
    rc.add_argument("--timeout", type=_seconds, default=30.0, metavar="S")
    rc.add_argument("--json", action="store_true")
    sc = dsub.add_parser("scan", parents=[common], help="read one barcode / QR code")
    sc.add_argument("--scanner", metavar="SPEC")
    sc.add_argument("--timeout", type=_seconds, default=30.0, metavar="S")
    sc.add_argument("--json", action="store_true")
    dr = dsub.add_parser("drawer", parents=[common], help="open the cash drawer")
    dr.add_argument("--printer", metavar="SPEC")


def _args_run(run: _Parser, common: _Parser) -> None:
    run.add_argument("--demo", action="store_true", help="demo mode whatever the config says")
    run.add_argument("--kind", choices=("cafe", "restaurant", "retail"), default="cafe")
    run.add_argument("--lang", choices=("ko", "en"))
    run.add_argument("--fullscreen", action="store_true")


def _args_shot(shot: _Parser, common: _Parser) -> None:
    shot.add_argument("screen", choices=SCREENS, metavar="SCREEN",
                      help=f"one of: {' '.join(SCREENS)}")
    shot.add_argument("out", metavar="OUT.png")
    shot.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH")
    shot.add_argument("--lang", choices=("ko", "en"))


def _args_van_sim(sim: _Parser, common: _Parser) -> None:
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=_positive_int, default=9560)
    sim.add_argument("--fault", default="none", metavar="none|timeout|drop|garble|slow:MS")
    sim.add_argument("--fault-rate", type=float, default=1.0, metavar="R")


def _args_doctor(doctor: _Parser, common: _Parser) -> None:
    doctor.add_argument("--json", action="store_true")
    doctor.add_argument("--bundle", metavar="FILE", help="write a diagnostics zip")


def _args_report(report: _Parser, common: _Parser) -> None:
    rsub = report.add_subparsers(dest="report_command", required=True, parser_class=_Parser,
                                 metavar="{sales}")
    sales = rsub.add_parser("sales", parents=[common], help="sales summary for a date range")
    sales.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    sales.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    sales.add_argument("--by", default="day", choices=(
        "day", "hour", "category", "item", "tender", "zone", "table"))
    sales.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    sales.add_argument("--out", metavar="FILE")


def _args_db(db: _Parser, common: _Parser) -> None:
    dbsub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser,
                              metavar="{upgrade,backup,restore,check}")
    dbsub.add_parser("upgrade", parents=[common], help="apply migrations")
    backup = dbsub.add_parser("backup", parents=[common], help="copy the database to FILE")
    backup.add_argument("file", metavar="FILE")
    restore = dbsub.add_parser("restore", parents=[common],
                               help="put a backup FILE back (the current store is kept aside)")
    restore.add_argument("file", metavar="FILE")
    dbsub.add_parser("check", parents=[common], help="integrity check and migration head")


def _args_demo_data(demo: _Parser, common: _Parser) -> None:
    demo.add_argument("--days", type=_positive_int, required=True, metavar="N")
    demo.add_argument("--orders-per-day", type=_positive_int, required=True, metavar="M")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--kind", choices=("cafe", "restaurant"), default="cafe")
    demo.add_argument("--print", action="store_true", help="kitchen slips to [[kitchen]]")


def _beside(module: str, name: str, *bound: Any) -> Any:
    """``module.name`` imported when called (a command beside its feature), ``bound`` appended."""
    return lambda *args: getattr(__import__(module, fromlist=[name]), name)(*args, *bound)


COMMANDS: dict[str, tuple[str, Callable[[_Parser, _Parser], None]]] = {
    "run": ("start the POS (default)", _args_run),
    "shot": ("render a screen to a PNG (offscreen)", _args_shot),
    "van-sim": ("run the VAN host simulator", _args_van_sim),
    "van": ("VAN link tools (technician)", _args_van),
    "device": ("device tools (technician)", _args_device),
    "doctor": ("check every device and the VAN", _args_doctor),
    "report": ("sales reports", _args_report),
    "db": ("database maintenance", _args_db),
    "demo-data": ("generate synthetic sales history", _args_demo_data),
    "staff": ("staff and PINs (installing a store)",
              _beside("kspos.sales.staff_cli", "arguments")),
    "sync": ("push the outbox to the office now", _beside("kspos.sync.sync_cli", "arguments")),
    "office": ("the head-office server (e-KSPOS)", _beside("office.cli", "arguments")),
}
_VALUE_OPTIONS = ("--config", "--data-dir")  # global options that take the next word


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand word in ``argv`` (skipping global options), or None if unsure."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("-"):
            if word == "-h" or (len(word) > 2 and "--help".startswith(word)):
                return None  # the main help lists every command
            # argparse accepts unambiguous prefixes (--data for --data-dir)
            skip = "=" not in word and len(word) > 2 and any(
                option.startswith(word) for option in _VALUE_OPTIONS)
        else:
            return word if word in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``kspos`` parser; given ``argv``, only the invoked subcommand gets its arguments.

    Building every subcommand's arguments costs more than a short command's whole work, so a
    ``kspos report`` process fills in the report parser alone. Without a recognisable command
    word (``--help``, a typo) every subcommand is built, so help and errors are complete.
    """
    wanted = None if argv is None else _command_in(argv)
    common = _global_options()
    parser = _Parser(prog="kspos", parents=[common],
                     description="KSPOS# — point of sale for Korean stores")
    parser.add_argument("--version", action="version", version=f"KSPOS# {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (summary, fill) in COMMANDS.items():
        # The other commands are not even named: with a recognised command word this
        # process can neither list them nor be asked for them (a parser each costs ~1 ms).
        if wanted is None or wanted == name:
            fill(sub.add_parser(name, parents=[common], help=summary), common)
    return parser


# --- composition helpers -----------------------------------------------------------------------


def load_settings_for(args: argparse.Namespace, demo: bool = False) -> Settings:
    """Settings per the global options; ConfigError becomes a usage error (exit 2)."""
    from kspos.config import ConfigError, demo_settings, load_settings

    data_dir = getattr(args, "data_dir", None)
    if demo:
        return demo_settings(data_dir, getattr(args, "kind", "cafe"))
    try:
        return load_settings(getattr(args, "config", None), data_dir)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def open_database(settings: Settings) -> Database:
    """Open (and migrate) the store; a store problem is a failed check (exit 1)."""
    from kspos.store import Database, StoreError

    try:
        return Database(settings.db_path, settings.identity).open()
    except StoreError as exc:
        raise CommandFailed(str(exc)) from None


def _setup_logging(settings: Any, args: argparse.Namespace) -> None:
    from kspos.logs import setup_logging

    try:
        setup_logging(settings.log_dir, verbose=getattr(args, "verbose", False))
    except OSError as exc:  # a read-only or full data dir must not stop a technician's command
        print(f"kspos: warning: cannot write logs to {settings.log_dir}: {exc.strerror}",
              file=sys.stderr)


def build_app_context(settings: Any, lang: str | None = None) -> Any:
    """Compose the running store: database, catalog, devices and services."""
    from drivers.registry import build_devices
    from kspos.config.writer import remembered_language
    from kspos.context import AppContext

    db = open_database(settings)
    devices = build_devices(settings)
    training_link = None
    try:  # 연습 모드 never reaches the real host: its own in-process simulator
        from kspos.devices.specs import parse_spec
        from kspos.van.link import build_van_link

        training_link = build_van_link(parse_spec("embedded", "van"))
    except Exception as exc:  # noqa: BLE001 - training payments then say the VAN is missing
        import logging

        logging.getLogger("kspos.cli").warning("training VAN simulator unavailable: %s", exc)
    # The UI starts the background work (망취소 recovery, warming) after its first paint.
    # --lang, else the cashier's last choice (kept by the 메뉴 ▾ language switch), else [ui]
    lang = lang or remembered_language(settings) or settings.ui.lang
    context = AppContext.create(settings, db, devices, lang=lang,
                                training_link=training_link, start_workers=False)
    context.device_lab = _LazyDriverLab()  # the device-test screen builds devices through it
    return context


class _LazyDriverLab:
    """drivers.doctor.DriverLab, imported when 장치 점검 first uses it (not at start-up)."""

    def __getattr__(self, name: str) -> Any:
        lab = self.__dict__.get("_lab")
        if lab is None:
            from drivers.doctor import DriverLab

            lab = self.__dict__["_lab"] = DriverLab()
        return getattr(lab, name)


# --- subcommands ---------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings_for(args, demo=args.demo)
    _setup_logging(settings, args)
    context = build_app_context(settings, args.lang)
    from ui.app import run_app

    fullscreen = args.fullscreen or settings.ui.fullscreen
    return int(run_app(context, fullscreen=fullscreen))


def _cmd_shot(args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pathlib import Path

    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise UsageError(f"OUT must be a .png file, got {args.out!r}")
    settings = load_settings_for(args)
    _setup_logging(settings, args)
    context = build_app_context(settings, args.lang)
    from ui.app import shoot_screen

    try:
        shoot_screen(context, args.screen, out, args.size)
    except OSError as exc:
        raise CommandFailed(f"cannot write {out}: {exc.strerror or exc}") from None
    print(out)
    return EXIT_OK


def _db_copy(command: str, settings: Any, file: str) -> int:
    """``db backup FILE`` / ``db restore FILE``: one line on success, on refusal exit 1."""
    from pathlib import Path

    from kspos.store import Database
    from kspos.store.backup import backup_database, restore_database

    if command == "backup":
        written = backup_database(settings.db_path, Path(file))
        print(f"backed up {settings.db_path} to {written}")
        return EXIT_OK
    restored = restore_database(settings.db_path, Path(file))
    Database(settings.db_path).open().close()  # an older backup is brought up to this schema
    kept = f"; the replaced store is kept as {restored.kept}" if restored.kept else ""
    print(f"restored {file} (schema {restored.revision}) to {settings.db_path}{kept}")
    return EXIT_OK


def _cmd_db(args: argparse.Namespace) -> int:
    from kspos.store import Database, DatabaseTooNew, StoreError
    from kspos.store.db import check

    settings = load_settings_for(args)
    database = Database(settings.db_path, settings.identity)
    try:
        if args.db_command in ("backup", "restore"):
            return _db_copy(args.db_command, settings, args.file)
        if args.db_command == "check":
            if not settings.db_path.exists():
                raise CommandFailed(f"no database at {settings.db_path}")
            database.open(migrate=False)
            result = check(database.engine)
            print(f"integrity: {result.integrity}")
            print(f"schema: {result.revision or 'none'} (head {result.head})")
            return EXIT_OK if result.ok else EXIT_FAILED
        database.open()
        print(f"{settings.db_path}: at schema {check(database.engine).revision}")
        return EXIT_OK
    except DatabaseTooNew as exc:
        raise CommandFailed(str(exc)) from None
    except StoreError as exc:
        raise CommandFailed(str(exc)) from None
    except OSError as exc:
        raise CommandFailed(f"{exc.filename or ''}: {exc.strerror or exc}") from None
    finally:
        database.close()


class _Host:
    """:class:`~kspos.command_host.CommandHost`: what the handlers below get from this module
    (passed to them: ``drivers/`` may not import the composition root)."""

    UsageError = UsageError
    CommandFailed = CommandFailed
    load_settings_for = staticmethod(load_settings_for)
    open_database = staticmethod(open_database)

    @staticmethod
    def build_printer(spec: str) -> Any:
        from drivers.registry import build_printer
        return build_printer(spec)


HOST: CommandHost = _Host()


class _Feature:
    """``with _Feature(args): from … import handler``: a feature this build lacks (its module
    or a library it needs will not import) is a failed command, not a traceback. Only the
    import sits inside: an ImportError the handler itself raises stays what it is."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.command = args.command

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is not None and issubclass(kind, ImportError):
            raise CommandFailed(f"'{self.command}' is not available in this build") from None


# Each handler imports its feature when its command runs, never before: start-up is measured
# (`kspos report` must not load the VAN, the drivers or Qt).


def _cmd_van_sim(args: argparse.Namespace) -> int:
    with _Feature(args):
        from kspos.van import van_cli
    return van_cli.van_sim(args, HOST)


def _cmd_van(args: argparse.Namespace) -> int:
    with _Feature(args):
        from kspos.van import van_cli
    return van_cli.main(args, HOST)


def _cmd_device(args: argparse.Namespace) -> int:
    with _Feature(args):
        from drivers import device_cli
    return device_cli.main(args, HOST)


def _cmd_doctor(args: argparse.Namespace) -> int:
    with _Feature(args):
        from drivers import device_cli
    return device_cli.doctor(args, HOST)


def _cmd_report(args: argparse.Namespace) -> int:
    with _Feature(args):
        from kspos.reports import report_cli
    return report_cli.main(args, HOST)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    with _Feature(args):
        from kspos.reports import report_cli
    return report_cli.demo_data(args, HOST)


def _cmd_staff(args: argparse.Namespace) -> int:
    with _Feature(args):
        from kspos.sales import staff_cli
    return staff_cli.main(args, HOST)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _cmd_run,
    "shot": _cmd_shot,
    "db": _cmd_db,
    "van-sim": _cmd_van_sim,
    "van": _cmd_van,
    "device": _cmd_device,
    "doctor": _cmd_doctor,
    "report": _cmd_report,
    "demo-data": _cmd_demo_data,
    "staff": _cmd_staff,
    "sync": _beside("kspos.sync.sync_cli", "main", HOST),
    "office": _beside("office.cli", "main", HOST),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kspos`` console script."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    if args.command is None:  # `kspos` alone is `kspos run`
        words = ["run", *words]
        args = build_parser(words).parse_args(words)
    try:
        return HANDLERS[args.command](args)
    except UsageError as exc:
        print(f"kspos: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailed as exc:
        print(f"kspos: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("kspos: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: a message for the user, the traceback in the log
        import logging

        logging.getLogger("kspos.cli").exception("unexpected error in %s", args.command)
        print(f"kspos: unexpected error: {type(exc).__name__}: {exc} "
              "(details in the log file)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
