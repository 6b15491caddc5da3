"""One stream of scans for the screens: the serial/sim scanner read in a loop on its own
thread, plus the keyboard wedge. Whoever is listening (the cashier, an easy-pay dialog) gets
``scanned(code)`` on the GUI thread.

A dialog that wants the scans while it is open (간편결제, from the cashier screen or from a
table's check) ``claim()``s them and ``release()``s them when it closes; the cashier screen
asks ``claimant()`` before it takes a scan as a product."""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from ui.i18n import t

log = logging.getLogger(__name__)


class ScanTaker(Protocol):
    def take_scan(self, raw: str) -> bool: ...


# Newest claim last; weak, so a dialog that died without releasing never takes a scan.
_claims: list[weakref.ref[Any]] = []


def claim(taker: ScanTaker) -> None:
    """``taker`` gets every scan until it releases them (or a newer claim comes)."""
    release(taker)
    _claims.append(weakref.ref(taker))


def release(taker: ScanTaker) -> None:
    _claims[:] = [ref for ref in _claims if ref() is not None and ref() is not taker]


def claimant() -> ScanTaker | None:
    """The open dialog that takes scans now, if any."""
    while _claims:
        taker = _claims[-1]()
        if taker is not None:
            return taker  # type: ignore[no-any-return]
        _claims.pop()
    return None


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
