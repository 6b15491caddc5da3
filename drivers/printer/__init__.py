"""Receipt printer transports behind ``kspos.ports.ReceiptPrinter`` (and ``CashDrawer``).

``build_printer(spec)`` for ``tcp:HOST:PORT``, ``serial:PORT?baudrate=N``, ``usb:VID:PID``
and ``file:PATH``; ``sim`` is ``drivers.sim.printer.SimPrinter``. Building touches no hardware:
the connection opens on ``open()`` or the first write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kspos.devices.specs import DeviceSpec, SpecError

if TYPE_CHECKING:
    from drivers.printer.file import FilePrinter
    from drivers.printer.serialport import SerialPrinter
    from drivers.printer.tcp import TcpPrinter
    from drivers.printer.usb import UsbPrinter

    AnyPrinter = TcpPrinter | SerialPrinter | UsbPrinter | FilePrinter


def build_printer(spec: DeviceSpec) -> AnyPrinter:
    """The printer for a parsed spec; DeviceUnavailable (USB without pyusb), SpecError."""
    if spec.kind == "tcp":
        from drivers.printer.tcp import TcpPrinter

        return TcpPrinter(spec)
    if spec.kind == "serial":
        from drivers.printer.serialport import SerialPrinter

        return SerialPrinter(spec)
    if spec.kind == "usb":
        from drivers.printer.usb import UsbPrinter

        return UsbPrinter(spec)
    if spec.kind == "file":
        from drivers.printer.file import FilePrinter

        return FilePrinter(spec)
    raise SpecError(f"printer: no driver for {spec.text!r} (sim is built by drivers.registry)")
