"""USB receipt printers (``usb:VID:PID``) through python-escpos's Usb class (needs pyusb).

Without pyusb the printer is reported unavailable with the reason; nothing crashes.
Status is not read back over USB here (``known=False``): python-escpos's own status query
sleeps a second per question, too slow for the counter.
"""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from typing import Any

from kspos.devices import traffic
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError, DeviceUnavailable, PrinterStatus
from kspos.receipts import escpos


def pyusb_available() -> bool:
    return importlib.util.find_spec("usb") is not None


class UsbPrinter:
    """A USB printer class device, written to through its bulk OUT endpoint."""

    def __init__(self, spec: DeviceSpec, timeout_ms: int = 10_000) -> None:
        if not pyusb_available():
            raise DeviceUnavailable("USB 프린터 사용 불가 (USB printers need pyusb, which is "
                                    "not installed): use tcp:, serial: or file: instead")
        vid, _, pid = spec.target.partition(":")
        self.spec = spec.text
        self.vendor_id, self.product_id = int(vid, 16), int(pid, 16)
        self.timeout_ms = timeout_ms
        self._device: Any = None
        self._lock = threading.RLock()

    def open(self) -> None:
        from escpos.printer import Usb

        with self._lock:
            if self._device is not None:
                return
            device = Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms)
            try:
                device.open()
            except Exception as exc:  # pyusb/libusb raise many kinds
                raise DeviceUnavailable(
                    f"USB 프린터를 찾을 수 없음 (USB printer {self.vendor_id:04x}:"
                    f"{self.product_id:04x} not found or not permitted): {exc}") from None
            self._device = device

    def close(self) -> None:
        with self._lock:
            if self._device is not None:
                with contextlib.suppress(Exception):  # closing a vanished device is fine
                    self._device.close()
                self._device = None

    def write(self, data: bytes) -> None:
        with self._lock:
            self.open()
            try:
                self._device._raw(data)  # python-escpos's documented raw-bytes call
                traffic.record("printer", traffic.TX, data)  # traffic monitor hook (장치 점검)
            except Exception as exc:  # pyusb's USBError and friends
                self.close()
                raise DeviceError(f"USB 프린터 전송 실패 (USB write failed): {exc}") from None

    def status(self) -> PrinterStatus:
        try:
            self.open()
        except DeviceError as exc:
            return PrinterStatus(online=False, known=True, detail=str(exc))
        return PrinterStatus(known=False, detail="USB: status not read back")

    def open_drawer(self) -> None:
        self.write(escpos.DRAWER_KICK)
