"""Builds device objects from spec strings (ARCHITECTURE.md, "Device specs").

A device that cannot be built (missing library, bad port) is recorded in ``Devices.problems``
with the reason instead of raising, so the app still starts and the screens say what is wrong.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kspos.devicespec import parse_spec
from kspos.ports import Devices, ReceiptPrinter

if TYPE_CHECKING:
    from kspos.config import Settings

log = logging.getLogger(__name__)


def build_printer(spec_text: str) -> ReceiptPrinter:
    """A printer for ``spec_text``; raises SpecError or DeviceError."""
    spec = parse_spec(spec_text, "printer")
    if spec.kind == "sim":
        from drivers.sim.printer import SimPrinter

        return SimPrinter(spec_text)
    from drivers.printer import open_transport  # type: ignore[attr-defined]

    printer: ReceiptPrinter = open_transport(spec)
    return printer


def build_devices(settings: Settings) -> Devices:
    """Every configured device, unopened; problems recorded per kind."""
    devices = Devices()
    try:
        printer = build_printer(settings.devices.printer)
        devices.printer = printer
        if hasattr(printer, "open_drawer"):
            devices.drawer = printer  # type: ignore[assignment]
    except Exception as exc:  # noqa: BLE001 - any failure is shown as the device's status
        log.warning("printer %s: %s", settings.devices.printer, exc)
        devices.problems["printer"] = str(exc)
    return devices
