"""Barcode scanners: serial (line-terminated), keyboard wedge (``hid``) and the simulated twin.
Building a scanner opens nothing; ``open()`` does."""

from __future__ import annotations

from kspos.devices.specs import DeviceSpec, SpecError
from kspos.ports import Scanner


def build_scanner(spec: DeviceSpec) -> Scanner:
    """A scanner for a parsed ``scanner`` spec (serial, hid or sim), not yet open."""
    if spec.kind == "serial":
        from drivers.scanner.serial import SerialScanner

        return SerialScanner(spec.target, spec.baudrate, spec=spec.text)
    if spec.kind == "hid":
        from drivers.scanner.hid import HidScanner

        return HidScanner(spec.text or "hid")
    if spec.kind == "sim":
        from drivers.sim.scanner import SimScanner

        return SimScanner(spec.text or "sim")
    raise SpecError(f"scanner: no driver for {spec.kind!r}; expected serial, hid or sim")
