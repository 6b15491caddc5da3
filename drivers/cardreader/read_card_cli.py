"""`kspos device read-card [--reader SPEC] [--timeout S] [--json]` (technician's check).

Prints the masked PAN, BIN, brand and entry mode (and the ATR for PC/SC): never the full card
number, the expiry or track 2. Exit 1 when the reader does not answer or no card is read in
time, 2 for a bad spec.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from kspos.devices.specs import SpecError, parse_spec
from kspos.ports import CardRead, DeviceError, ReadResult

if TYPE_CHECKING:
    from kspos.command_host import CommandHost

_ENTRY = {"I": "chip", "S": "swipe", "K": "keyed"}
_FAILURES = {
    ReadResult.TIMED_OUT: "no card was presented in time",
    ReadResult.CANCELLED: "the read was cancelled",
    ReadResult.FALLBACK: "the chip could not be read: swipe the card instead (fallback)",
    ReadResult.ERROR: "the card could not be read",
}


def card_json(read: CardRead, spec: str) -> dict[str, Any]:
    """The JSON object of ARCHITECTURE.md (`device read-card`): masked data only."""
    return {
        "reader": read.reader or spec,
        "spec": spec,
        "result": read.result.name.lower(),
        "entry_mode": read.entry_mode.strip(),
        "masked_pan": read.masked_pan,
        "bin": read.bin,
        "brand": read.brand,
        "atr": read.atr,
    }


def cmd_read_card(args: argparse.Namespace, cli: CommandHost) -> int:
    spec_text = args.reader
    if not spec_text:
        spec_text = cli.load_settings_for(args).devices.card_reader
    try:
        spec = parse_spec(spec_text, "card_reader")
    except SpecError as exc:
        raise cli.UsageError(str(exc)) from None
    from drivers.cardreader import build_reader

    reader = build_reader(spec)
    try:
        reader.open()
        if not args.json:
            print(f"{spec_text}: insert or swipe a card within {args.timeout:g} s ...",
                  flush=True)
        read = reader.read_card(0, args.timeout)
    except DeviceError as exc:
        raise cli.CommandFailed(f"{spec_text}: {exc}") from None
    finally:
        reader.close()
    if args.json:
        print(json.dumps(card_json(read, spec_text), ensure_ascii=False))
    if read.result is not ReadResult.READ:
        if not args.json:
            print(f"{spec_text}: {_FAILURES.get(read.result, 'no card read')}")
        return 1
    if not args.json:
        entry = _ENTRY.get(read.entry_mode, read.entry_mode)
        print(f"reader: {read.reader or spec_text}")
        print(f"card:   {read.masked_pan} ({read.brand or 'unknown brand'}, {entry})")
        print(f"BIN:    {read.bin}")
        if read.atr:
            print(f"ATR:    {read.atr}")
    return 0
