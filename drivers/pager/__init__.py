"""진동벨 (pager) transmitters behind ``kspos.ports.Pager``: ``tcp:HOST:PORT`` and
``serial:PORT?baudrate=N``; ``sim`` is ``drivers.sim.pager.SimPager``. Building touches no
hardware: the connection opens on ``open()`` or the first call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kspos.devices.specs import DeviceSpec, SpecError

if TYPE_CHECKING:
    from drivers.pager.serial import SerialPager
    from drivers.pager.tcp import TcpPager


def build_pager(spec: DeviceSpec) -> TcpPager | SerialPager:
    """The transmitter for a parsed ``tcp`` or ``serial`` spec; SpecError for another kind."""
    if spec.kind == "tcp":
        from drivers.pager.tcp import TcpPager

        return TcpPager(spec)
    if spec.kind == "serial":
        from drivers.pager.serial import SerialPager

        return SerialPager(spec)
    raise SpecError(f"pager: no driver for {spec.text!r}")
