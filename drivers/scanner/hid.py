"""The keyboard-wedge ("HID") scanner: it types codes as keystrokes.

The UI's event filter (ui/widgets/wedge.py, deciding with kspos.devices.wedge) tells a scanner's burst
from a person typing and hands each burst to :meth:`HidScanner.feed`; ``read_scan`` takes them
from a thread-safe queue like any other scanner.
"""

from __future__ import annotations

import contextlib
import queue

from kspos.ports import NOT_SIMULATED, DeviceError


class HidScanner:
    """Scanner fed by the keyboard-wedge event filter."""

    keyboard_wedge = True  # its codes come as key presses: the window's wedge filter reads them
    simulated = False

    def __init__(self, spec: str = "hid") -> None:
        self.spec = spec
        self._codes: queue.Queue[str] = queue.Queue(maxsize=256)

    def open(self) -> None:
        return None  # nothing to open: the keyboard is the operating system's

    def close(self) -> None:
        return None

    def feed(self, code: str) -> None:
        """A burst decoded by the wedge filter (from the GUI thread). Never blocks: when nobody
        reads and the queue is full the oldest code goes."""
        while True:
            try:
                self._codes.put_nowait(code)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._codes.get_nowait()

    def queue_scan(self, code: str) -> None:
        raise DeviceError(NOT_SIMULATED)

    def read_scan(self, timeout_s: float) -> str | None:
        try:
            return self._codes.get(timeout=max(0.0, timeout_s))
        except queue.Empty:
            return None
