"""Builds device objects from spec strings (ARCHITECTURE.md, "Device specs").

A device that cannot be built (missing library, bad port) is recorded in ``Devices.problems``
with the reason instead of raising, so the app still starts and the screens say what is wrong.
Each area exposes one factory: ``drivers.printer.build_printer``,
``drivers.cardreader.build_reader``, ``drivers.scanner.build_scanner``; the VAN link comes from
``kspos.van.link.build_van_link`` (plain sockets, no driver library).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kspos.devices.specs import DeviceSpec, parse_spec
from kspos.ports import CardReader, Devices, Pager, ReceiptPrinter, Scanner, VanLink

if TYPE_CHECKING:
    from kspos.config import Settings

log = logging.getLogger(__name__)


def build_printer(spec_text: str) -> ReceiptPrinter:
    """A printer for ``spec_text``; raises SpecError or DeviceError."""
    spec = parse_spec(spec_text, "printer")
    if spec.kind == "sim":
        from drivers.sim.printer import SimPrinter

        return SimPrinter(spec_text)
    from drivers.printer import build_printer as build_real_printer

    printer: ReceiptPrinter = build_real_printer(spec)
    return printer


def build_reader(spec_text: str) -> CardReader:
    spec = parse_spec(spec_text, "card_reader")
    from drivers.cardreader import build_reader as build_real_reader

    reader: CardReader = build_real_reader(spec)
    return reader


def build_scanner(spec_text: str) -> Scanner:
    spec = parse_spec(spec_text, "scanner")
    from drivers.scanner import build_scanner as build_real_scanner

    scanner: Scanner = build_real_scanner(spec)
    return scanner


def build_van(spec_text: str) -> VanLink:
    spec: DeviceSpec = parse_spec(spec_text, "van")
    from kspos.van.link import build_van_link

    link: VanLink = build_van_link(spec)
    return link


def build_pager(spec_text: str) -> Pager | None:
    """The 진동벨 transmitter for ``spec_text``; None for "off"; raises SpecError."""
    spec = parse_spec(spec_text, "pager")
    if spec.kind == "off":
        return None
    if spec.kind == "sim":
        from drivers.sim.pager import SimPager

        return SimPager(spec_text)
    from drivers.pager import build_pager as build_real_pager

    pager: Pager = build_real_pager(spec)
    return pager


def _try(devices: Devices, kind: str, spec: str, factory: Callable[[str], Any]) -> Any:
    try:
        return factory(spec)
    except Exception as exc:  # noqa: BLE001 - any failure becomes the device's status
        log.warning("%s %s: %s", kind, spec, exc)
        devices.problems[kind] = str(exc) or type(exc).__name__
        return None


def build_devices(settings: Settings) -> Devices:
    """Every configured device, unopened; problems recorded per kind."""
    devices = Devices()
    cfg = settings.devices
    devices.printer = _try(devices, "printer", cfg.printer, build_printer)
    devices.drawer = devices.printer  # ESC/POS kicks the drawer through the printer
    devices.card_reader = _try(devices, "card_reader", cfg.card_reader, build_reader)
    devices.scanner = _try(devices, "scanner", cfg.scanner, build_scanner)
    devices.van = _try(devices, "van", settings.van.spec, build_van)
    devices.pager = _try(devices, "pager", cfg.pager, build_pager)
    return devices
