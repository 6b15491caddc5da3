"""Serial receipt printers (``serial:PORT?baudrate=N``), opened with ``serial.serial_for_url``
so ``/dev/ttyUSB0``, ``COM3``, ``socket://host:port`` and ``loop://`` all work."""

from __future__ import annotations

import threading
from typing import Any

from drivers.printer.status import query_status
from kspos.devices import traffic
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError, DeviceUnavailable, PrinterStatus
from kspos.receipts import escpos

DEFAULT_BAUDRATE = 38400  # Epson's factory setting; Korean models often ship at 9600-115200


class SerialPrinter:
    """A printer on a serial line; DLE EOT status where the printer answers it."""

    def __init__(self, spec: DeviceSpec, write_timeout_s: float = 30.0,
                 status_timeout_s: float = 0.3) -> None:
        self.spec = spec.text
        self.port = spec.target
        self.baudrate = spec.baudrate or DEFAULT_BAUDRATE
        self.write_timeout_s = write_timeout_s
        self.status_timeout_s = status_timeout_s
        self._serial: Any = None
        self._lock = threading.RLock()

    def open(self) -> None:
        """Open the port; DeviceUnavailable when it does not exist or is busy."""
        import serial

        with self._lock:
            if self._serial is not None:
                return
            try:
                self._serial = serial.serial_for_url(
                    self.port, baudrate=self.baudrate, timeout=self.status_timeout_s,
                    write_timeout=self.write_timeout_s)
            except (serial.SerialException, ValueError, OSError) as exc:
                raise DeviceUnavailable(f"프린터 포트를 열 수 없음 (cannot open printer port "
                                        f"{self.port}): {exc}") from None

    def close(self) -> None:
        with self._lock:
            if self._serial is not None:
                try:
                    self._serial.close()
                finally:
                    self._serial = None

    def write(self, data: bytes) -> None:
        """Send ``data`` and wait until it has left the port."""
        import serial

        with self._lock:
            self.open()
            try:
                self._serial.write(data)
                self._serial.flush()
                traffic.record("printer", traffic.TX, data)  # traffic monitor hook (장치 점검)
            except serial.SerialTimeoutException:
                self.close()
                raise DeviceError(f"프린터 응답 없음 (printer on {self.port} stopped taking "
                                  "data: paper, cover or flow control?)") from None
            except (serial.SerialException, OSError) as exc:
                self.close()
                raise DeviceError(f"프린터 전송 실패 (write to {self.port} failed): "
                                  f"{exc}") from None

    def status(self) -> PrinterStatus:
        """DLE EOT 1/2/4; ``known=False`` when the printer does not answer on this line."""
        import serial

        with self._lock:
            try:
                self.open()
                self._serial.reset_input_buffer()
                return query_status(self._send, self._read_byte, self.status_timeout_s)
            except DeviceError as exc:
                return PrinterStatus(online=False, known=True, detail=str(exc))
            except (serial.SerialException, OSError) as exc:
                self.close()
                return PrinterStatus(online=False, known=True,
                                     detail=f"프린터 포트 오류 (port error): {exc}")

    def _send(self, data: bytes) -> None:
        self._serial.write(data)
        self._serial.flush()

    def _read_byte(self, timeout_s: float) -> int | None:
        self._serial.timeout = timeout_s
        data = self._serial.read(1)
        return data[0] if data else None

    def open_drawer(self) -> None:
        """Kick the cash drawer wired to this printer (ESC p)."""
        self.write(escpos.DRAWER_KICK)

    def __enter__(self) -> SerialPrinter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
