"""A simulated receipt printer that keeps every byte it was sent."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kspos.ports import DeviceError, PrinterStatus
from kspos.receipts.escpos import DRAWER_KICK

if TYPE_CHECKING:
    from kspos.receipts.decode import Printout

__all__ = ["DRAWER_KICK", "SimPrinter"]


class SimPrinter:
    """Records writes (``sent``); ``paper_out``/``offline``/``cover_open`` rehearse faults.

    ``printout()`` reads the bytes back the way a printer would (text rows, images, QR
    payloads, cuts), and ``preview_png()`` shows the raster images it received.
    """

    def __init__(self, spec: str = "sim") -> None:
        self.spec = spec
        self.sent: list[bytes] = []
        self.paper_out = False
        self.paper_near_end = False
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
        problems = [text for flag, text in (
            (self.offline, "오프라인 (offline)"), (self.paper_out, "용지 없음 (paper out)"),
            (self.cover_open, "덮개 열림 (cover open)"),
            (self.paper_near_end and not self.paper_out, "용지 부족 (paper near end)"))
            if flag]
        return PrinterStatus(online=not self.offline, paper_out=self.paper_out,
                             paper_near_end=self.paper_near_end, cover_open=self.cover_open,
                             detail=", ".join(problems))

    def open_drawer(self) -> None:
        self.write(DRAWER_KICK)

    @property
    def output(self) -> bytes:
        with self._lock:
            return b"".join(self.sent)

    def clear(self) -> None:
        """Forget what was printed (a fresh roll)."""
        with self._lock:
            self.sent.clear()
            self.drawer_kicks = 0

    def printout(self) -> Printout:
        """Everything received, read back: rows, images, QR payloads, cuts, drawer kicks."""
        from kspos.receipts.decode import decode

        return decode(self.output)

    def preview_png(self) -> bytes:
        """The raster images received, stacked as on paper (ValueError when none came)."""
        from kspos.receipts.decode import images_to_png

        return images_to_png(self.printout().images)
