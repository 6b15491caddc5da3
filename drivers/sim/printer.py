"""A simulated receipt printer that keeps every byte it was sent."""

from __future__ import annotations

import threading

from kspos.ports import DeviceError, PrinterStatus

DRAWER_KICK = b"\x1bp\x00\x19\xfa"  # ESC p m t1 t2: pin 2, 50 ms on, 500 ms off


class SimPrinter:
    """Records writes (``sent``); ``paper_out``/``offline`` can be set to rehearse faults."""

    def __init__(self, spec: str = "sim") -> None:
        self.spec = spec
        self.sent: list[bytes] = []
        self.paper_out = False
        self.cover_open = False
        self.offline = False
        self.is_open = False
        self.drawer_kicks = 0
        self._lock = threading.Lock()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def write(self, data: bytes) -> None:
        with self._lock:
            if self.offline:
                raise DeviceError("프린터 응답 없음 (printer offline)")
            if self.paper_out:
                raise DeviceError("프린터 용지 없음 (paper out)")
            if self.cover_open:
                raise DeviceError("프린터 덮개 열림 (cover open)")
            self.sent.append(bytes(data))
            self.drawer_kicks += data.count(DRAWER_KICK)

    def status(self) -> PrinterStatus:
        return PrinterStatus(online=not self.offline, paper_out=self.paper_out,
                             cover_open=self.cover_open)

    def open_drawer(self) -> None:
        self.write(DRAWER_KICK)

    @property
    def output(self) -> bytes:
        with self._lock:
            return b"".join(self.sent)
