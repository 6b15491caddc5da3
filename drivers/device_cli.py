"""`kspos device ...` and `kspos doctor`: dispatched here from kspos.cli (the composition root).

Each device area keeps its own handler; this module only routes, importing the one handler a
command needs when it runs (a scan does not load the printer's renderer).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.command_host import CommandHost

Handler = Callable[[argparse.Namespace, "CommandHost"], int]


def _list(args: argparse.Namespace, cli: CommandHost) -> int:
    from drivers.discovery import cmd_list

    return cmd_list(args, cli)


def _print_test(args: argparse.Namespace, cli: CommandHost) -> int:
    from drivers.printer.print_test_cli import cmd_print_test

    return cmd_print_test(args, cli)


def _drawer(args: argparse.Namespace, cli: CommandHost) -> int:
    from drivers.printer.print_test_cli import cmd_drawer

    return cmd_drawer(args, cli)


def _read_card(args: argparse.Namespace, cli: CommandHost) -> int:
    from drivers.cardreader.read_card_cli import cmd_read_card

    return cmd_read_card(args, cli)


def _scan(args: argparse.Namespace, cli: CommandHost) -> int:
    from drivers.scanner.scan_cli import cmd_scan

    return cmd_scan(args, cli)


_ROUTES: dict[str, Handler] = {
    "list": _list,
    "print-test": _print_test,
    "drawer": _drawer,
    "read-card": _read_card,
    "scan": _scan,
}


def main(args: argparse.Namespace, cli: CommandHost) -> int:
    """`kspos device SUBCOMMAND`."""
    return _ROUTES[args.device_command](args, cli)


def doctor(args: argparse.Namespace, cli: CommandHost) -> int:
    """`kspos doctor`."""
    from drivers.doctor import cmd_doctor

    return cmd_doctor(args, cli)
