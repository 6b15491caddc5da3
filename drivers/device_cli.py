"""`kspos device ...` and `kspos doctor`: dispatched here from kspos.cli (the composition root).

Each device area keeps its own handlers; this module only routes.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

_ROUTES = {
    "list": ("drivers.discovery", "cmd_list"),
    "print-test": ("drivers.printer.print_test_cli", "cmd_print_test"),
    "drawer": ("drivers.printer.print_test_cli", "cmd_drawer"),
    "read-card": ("drivers.cardreader.read_card_cli", "cmd_read_card"),
    "scan": ("drivers.scanner.scan_cli", "cmd_scan"),
}


def _route(module: str, function: str, args: argparse.Namespace, cli: Any) -> int:
    try:
        handler = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        raise cli.CommandFailed(f"'{args.command}' is not available in this build") from None
    result: int = handler(args, cli)
    return result


def main(args: argparse.Namespace, cli: Any) -> int:
    """`kspos device SUBCOMMAND`."""
    module, function = _ROUTES[args.device_command]
    return _route(module, function, args, cli)


def doctor(args: argparse.Namespace, cli: Any) -> int:
    """`kspos doctor`."""
    return _route("drivers.doctor", "cmd_doctor", args, cli)
