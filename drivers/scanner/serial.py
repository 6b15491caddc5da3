"""A barcode scanner on a serial line (RS-232 or USB-CDC): one code per line, CR and/or LF."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from kspos.devices import traffic
from kspos.ports import NOT_SIMULATED, DeviceError, DeviceUnavailable

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE = 9_600
MAX_CODE = 4096
IDLE_FLUSH_S = 0.3
"""A scanner set up without a suffix: bytes followed by this much silence are one code."""


def decode_code(raw: bytes) -> str:
    """Scanner bytes → text: UTF-8 (QR codes), else EUC-KR, never an exception."""
    for encoding in ("utf-8", "euc-kr"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _reported(code: str) -> str:
    """Traffic monitor hook (장치 점검): each code read, masked by the monitor."""
    traffic.record("scanner", traffic.RX, code.encode("utf-8"), protocol="scan")
    return code


class SerialScanner:
    """Scanner on ``url`` (any pyserial URL). Blank lines (the LF of CR LF) are skipped."""

    keyboard_wedge = False
    simulated = False

    def __init__(self, url: str, baudrate: int | None = None, spec: str = "") -> None:
        self.url = url
        self.baudrate = baudrate or DEFAULT_BAUDRATE
        self.spec = spec or f"serial:{url}"
        self._port: Any = None
        self._buffer = bytearray()
        self._last_byte = 0.0

    def open(self) -> None:
        if self._port is not None:
            return
        import serial  # lazy

        try:
            self._port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceUnavailable(f"스캐너 포트를 열 수 없음: {self.url} ({exc})") from None
        self._buffer.clear()

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):  # an unplugged port may fail to close: it is gone
                port.close()

    def queue_scan(self, code: str) -> None:
        raise DeviceError(NOT_SIMULATED)

    def _take_line(self) -> str | None:
        """The first complete line in the buffer (without its terminator), if any."""
        while True:
            cut = min((i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n"))
                       if i >= 0), default=-1)
            if cut < 0:
                return None
            line = bytes(self._buffer[:cut])
            del self._buffer[:cut + 1]
            code = decode_code(line).strip()
            if code:
                return code

    def read_scan(self, timeout_s: float) -> str | None:
        """Block until one code arrives (without its terminator); None on timeout."""
        if self._port is None:
            raise DeviceError("스캐너가 열려 있지 않음 (scanner not open)")
        deadline = time.monotonic() + timeout_s
        while True:
            code = self._take_line()
            if code is not None:
                return _reported(code)
            now = time.monotonic()
            if self._buffer and now - self._last_byte >= IDLE_FLUSH_S:
                code = decode_code(bytes(self._buffer)).strip()
                self._buffer.clear()
                if code:
                    return _reported(code)
            if now >= deadline:
                return None
            try:
                chunk = self._port.read(self._port.in_waiting or 1)
            except Exception as exc:
                raise DeviceError(f"스캐너 연결 끊김 (scanner disconnected): {exc}") from None
            if chunk:
                self._last_byte = time.monotonic()
                self._buffer += chunk
                if len(self._buffer) > MAX_CODE:  # no terminator in sight: line noise
                    log.warning("scanner %s: %d bytes without a terminator dropped",
                                self.url, len(self._buffer))
                    self._buffer.clear()
