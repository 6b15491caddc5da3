"""``kspos device print-test`` and ``kspos device drawer`` (routed from drivers.device_cli).

Exit codes: 0 printed / kicked, 1 the printer did not answer or refused, 2 a bad spec.
"""

from __future__ import annotations

import argparse
import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.devices.specs import SpecError, parse_spec
from kspos.ports import DeviceError, ReceiptPrinter

if TYPE_CHECKING:
    from kspos.command_host import CommandHost


def _printer_for(args: argparse.Namespace, cli: CommandHost) -> tuple[Any, ReceiptPrinter]:
    """(settings, printer) from --printer or the config; UsageError / CommandFailed."""
    from drivers.registry import build_printer

    settings = cli.load_settings_for(args)
    spec = args.printer or settings.devices.printer
    try:
        parse_spec(spec, "printer")
        return settings, build_printer(spec)
    except SpecError as exc:
        raise cli.UsageError(str(exc)) from None
    except DeviceError as exc:
        raise cli.CommandFailed(str(exc)) from None


def _send(printer: ReceiptPrinter, data: bytes, cli: CommandHost) -> str:
    """Check status, write, close; returns the status note; CommandFailed on any problem."""
    try:
        printer.open()
        status = printer.status()
        if status.known and not status.ok:
            raise cli.CommandFailed(f"{printer.spec}: 프린터 준비 안 됨 (printer not ready): "
                                    f"{status.detail or 'offline'}")
        printer.write(data)
        note = status.detail if status.known else "status not available on this connection"
        return note or "ready"
    except DeviceError as exc:
        raise cli.CommandFailed(f"{printer.spec}: {exc}") from None
    finally:
        with contextlib.suppress(DeviceError):
            printer.close()


def cmd_print_test(args: argparse.Namespace, cli: CommandHost) -> int:
    """Print a test page (store header, Hangul + English, width rulers, items, QR, cut)."""
    from kspos.receipts.fonts import ReceiptFontMissing
    from kspos.receipts.model import StoreHeader
    from kspos.receipts.render import render
    from kspos.receipts.samples import test_page

    settings, printer = _printer_for(args, cli)
    mode = args.mode or settings.devices.printer_mode
    width = args.width or settings.devices.printer_width
    try:
        store = StoreHeader.from_settings(settings.store)
    except ValueError as exc:
        raise cli.UsageError(f"[store] business_number: {exc}") from None
    page = test_page(width, printer.spec, mode, datetime.now(), store)
    try:
        data = render(page, mode, width)
    except ReceiptFontMissing as exc:  # say what to install, no traceback
        raise cli.CommandFailed(str(exc)) from None
    note = _send(printer, data, cli)
    print(f"printed a test page on {printer.spec} ({mode}, {width} columns, "
          f"{len(data):,} bytes; status: {note})")
    if parse_spec(printer.spec, "printer").kind == "sim":  # show what the paper would show
        from kspos.receipts.raster import save_png

        path = Path(settings.data_dir) / "receipts" / f"print-test-{width}.png"
        try:
            save_png(page, path, width)
        except ReceiptFontMissing as exc:
            raise cli.CommandFailed(str(exc)) from None
        except OSError as exc:
            raise cli.CommandFailed(f"cannot write {path}: {exc.strerror or exc}") from None
        print(f"preview: {path}")
    return 0


def cmd_drawer(args: argparse.Namespace, cli: CommandHost) -> int:
    """Kick the cash drawer wired to the printer (ESC p)."""
    _settings, printer = _printer_for(args, cli)
    try:
        printer.open()
        printer.open_drawer()
    except DeviceError as exc:
        raise cli.CommandFailed(f"{printer.spec}: 금전함 열기 실패 (drawer kick failed): "
                                f"{exc}") from None
    finally:
        with contextlib.suppress(DeviceError):
            printer.close()
    print(f"drawer kick sent through {printer.spec}")
    return 0
