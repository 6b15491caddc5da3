"""A simulated barcode scanner: tests and the demo cashier queue codes with ``queue_scan``."""

from __future__ import annotations

import queue


class SimScanner:
    """Simulated Scanner; ``reads`` counts read_scan calls, ``delivered`` what it returned."""

    keyboard_wedge = False
    simulated = True

    def __init__(self, spec: str = "sim") -> None:
        self.spec = spec
        self.is_open = False
        self.reads = 0
        self.delivered: list[str] = []
        self._codes: queue.Queue[str] = queue.Queue()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def queue_scan(self, code: str) -> None:
        """The next read_scan returns ``code`` (thread-safe)."""
        self._codes.put(code)

    def read_scan(self, timeout_s: float) -> str | None:
        self.reads += 1
        try:
            code = self._codes.get(timeout=max(0.0, timeout_s))
        except queue.Empty:
            return None
        self.delivered.append(code)
        return code
