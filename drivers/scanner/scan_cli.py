"""`kspos device scan [--scanner SPEC] [--timeout S] [--json]`: read one code and classify it.

With ``--scanner hid`` the keyboard-wedge scanner types into this terminal: the code is read
from standard input. JSON: ``kind`` (payment/product/unknown), ``wallet``, ``value`` (for a
payment code, the code itself).
"""

from __future__ import annotations

import argparse
import json
import select
import sys
from typing import TYPE_CHECKING

from kspos.devices.scanning import WALLET_NAMES, classify_scan
from kspos.devices.specs import SpecError, parse_spec
from kspos.ports import DeviceError

if TYPE_CHECKING:
    from kspos.command_host import CommandHost


def _read_stdin_line(timeout_s: float) -> str | None:
    """One line typed (by a wedge scanner) on standard input within ``timeout_s``."""
    stream = sys.stdin
    if stream is None or stream.closed:
        return None
    try:
        ready, _, _ = select.select([stream], [], [], timeout_s)
    except (OSError, ValueError):  # not selectable (e.g. Windows console): just block
        ready = [stream]
    if not ready:
        return None
    line = stream.readline()
    return line.rstrip("\r\n") or None


def _read(spec_text: str, timeout_s: float, cli: CommandHost) -> str | None:
    try:
        spec = parse_spec(spec_text, "scanner")
    except SpecError as exc:
        raise cli.UsageError(str(exc)) from None
    if spec.kind == "hid":
        return _read_stdin_line(timeout_s)
    from drivers.scanner import build_scanner

    scanner = build_scanner(spec)
    try:
        scanner.open()
        if spec.kind == "sim":
            return scanner.read_scan(0)  # nothing can be queued from the command line
        return scanner.read_scan(timeout_s)
    except DeviceError as exc:
        raise cli.CommandFailed(f"{spec_text}: {exc}") from None
    finally:
        scanner.close()


def cmd_scan(args: argparse.Namespace, cli: CommandHost) -> int:
    spec_text = args.scanner or cli.load_settings_for(args).devices.scanner
    if not args.json:
        print(f"{spec_text}: scan a code within {args.timeout:g} s ...", file=sys.stderr,
              flush=True)
    raw = _read(spec_text, args.timeout, cli)
    if raw is None:
        if spec_text == "sim":
            raise cli.CommandFailed("sim: the simulated scanner has no code queued (demo mode)")
        raise cli.CommandFailed(f"{spec_text}: no code scanned within {args.timeout:g} s")
    scan = classify_scan(raw)
    if args.json:
        print(json.dumps({"kind": scan.kind, "wallet": scan.wallet, "value": scan.value,
                          "scanner": spec_text}, ensure_ascii=False))
    elif scan.kind == "payment" and scan.wallet:
        korean, english = WALLET_NAMES.get(scan.wallet, (scan.wallet, scan.wallet))
        print(f"payment code: {korean} ({english}, {scan.wallet}) {scan.value}")
    else:
        print(f"{scan.kind}: {scan.value}")
    return 0
