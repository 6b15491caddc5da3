"""One stream of scans for the screens: the serial/sim scanner read in a loop on its own
thread, plus the keyboard wedge. Whoever is listening (the cashier, an easy-pay dialog) gets
``scanned(code)`` on the GUI thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.i18n import t

log = logging.getLogger(__name__)


class ScanPump(QObject):
    scanned = Signal(str)
    trouble = Signal(str)

    def __init__(self, scanner: Any | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Read the scanner device (not the wedge: that arrives by key events) until stop()."""
        if self.scanner is None or self.scanner.keyboard_wedge:
            return
        self._thread = threading.Thread(target=self._loop, name="device-scanner", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        assert self.scanner is not None
        try:
            self.scanner.open()
        except Exception as exc:  # noqa: BLE001 - shown as the scanner's status
            self.trouble.emit(f"{t('스캐너')}: {exc}")
            return
        while not self._stop.is_set():
            try:
                code = self.scanner.read_scan(0.5)
            except Exception as exc:  # noqa: BLE001 - unplugged mid-read: say so, keep going
                self.trouble.emit(f"{t('스캐너')}: {exc}")
                if self._stop.wait(2.0):
                    return
                continue
            if code:
                self.scanned.emit(code)

    def feed(self, code: str) -> None:
        """A scan from the keyboard wedge (already on the GUI thread)."""
        self.scanned.emit(code)

    def stop(self) -> None:
        self._stop.set()
