"""A 진동벨 transmitter on a serial line (``serial:PORT?baudrate=N``), opened with
``serial.serial_for_url`` so ``/dev/ttyUSB0``, ``COM3``, ``socket://host:port`` and
``loop://`` all work."""

from __future__ import annotations

import threading
from typing import Any

from kspos.devices import traffic
from kspos.devices.pager import call_line
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError, DeviceUnavailable

DEFAULT_BAUDRATE = 9600  # what the serial pager transmitters we know of ship with


class SerialPager:
    """Writes ``CALL <N>\\r\\n`` to the port, kept open between calls and reopened after an
    error (a USB adapter pulled and put back gets a fresh handle)."""

    def __init__(self, spec: DeviceSpec, timeout_s: float = 2.0) -> None:
        self.spec = spec.text
        self.port = spec.target
        self.baudrate = spec.baudrate or DEFAULT_BAUDRATE
        self.timeout_s = min(timeout_s, 2.0)
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
                    self.port, baudrate=self.baudrate, timeout=0,
                    write_timeout=self.timeout_s)
            except (serial.SerialException, ValueError, OSError) as exc:
                raise DeviceUnavailable(f"진동벨 포트를 열 수 없음 (cannot open pager port "
                                        f"{self.port}): {exc}") from None

    def close(self) -> None:
        with self._lock:
            if self._serial is not None:
                try:
                    self._serial.close()
                finally:
                    self._serial = None

    def call(self, number: int) -> None:
        """Make pager ``number`` buzz; DeviceError when the line could not be written."""
        import serial

        line = call_line(number)
        with self._lock:
            self.open()
            try:
                self._serial.reset_input_buffer()  # whatever the box said: not awaited
                self._serial.write(line)
                self._serial.flush()
                traffic.record("pager", traffic.TX, line)  # traffic monitor hook (장치 점검)
            except (serial.SerialException, OSError) as exc:
                self.close()
                raise DeviceError(f"진동벨 호출 실패 (pager write failed on {self.port}): "
                                  f"{exc}") from None
