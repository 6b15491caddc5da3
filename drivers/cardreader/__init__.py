"""Card readers: serial (specs/card-reader-serial.md), PC/SC (pyscard + pcscd) and the
simulated twin. Building a reader opens nothing; ``open()`` does."""

from __future__ import annotations

from kspos.devices.specs import DeviceSpec, SpecError
from kspos.ports import CardReader


def build_reader(spec: DeviceSpec) -> CardReader:
    """A card reader for a parsed ``card_reader`` spec (serial, pcsc or sim), not yet open."""
    if spec.kind == "serial":
        from drivers.cardreader.serial import SerialCardReader

        return SerialCardReader(spec.target, spec.baudrate, spec=spec.text)
    if spec.kind == "pcsc":
        from drivers.cardreader.pcsc import PcscCardReader

        return PcscCardReader(spec.target, spec=spec.text)
    if spec.kind == "sim":
        from drivers.sim.reader import SimCardReader

        return SimCardReader(spec.text or "sim")
    raise SpecError(f"card_reader: no driver for {spec.kind!r}; expected serial, pcsc or sim")
