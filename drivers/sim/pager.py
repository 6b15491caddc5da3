"""A simulated 진동벨 transmitter that records every call."""

from __future__ import annotations

import threading

from kspos.devices.pager import call_line, parse_call_line
from kspos.ports import DeviceError


class SimPager:
    """Records the numbers called (``calls``) and the lines a real box would get (``lines``);
    ``offline`` rehearses a transmitter that is off."""

    def __init__(self, spec: str = "sim") -> None:
        self.spec = spec
        self.calls: list[int] = []
        self.lines: list[bytes] = []
        self.offline = False
        self.is_open = False
        self._lock = threading.Lock()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def call(self, number: int) -> None:
        line = call_line(number)
        with self._lock:
            if self.offline:
                raise DeviceError("진동벨 응답 없음 (pager transmitter offline)")
            self.lines.append(line)
            self.calls.append(parse_call_line(line))
