"""``file:PATH``: receipts appended to a file (a printer device node, a spool, a capture).

Status cannot be read back (``known=False``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from kspos.devices import traffic
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError, PrinterStatus
from kspos.receipts import escpos


class FilePrinter:
    """Appends every write to ``path`` and flushes it (a crash loses nothing written)."""

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec.text
        self.path = Path(spec.target).expanduser()
        self._lock = threading.Lock()

    def open(self) -> None:
        """Check the file can be written (created if missing, folders included)."""
        self.write(b"")

    def close(self) -> None:
        """Nothing stays open between writes."""

    def write(self, data: bytes) -> None:
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("ab") as handle:
                    handle.write(data)
                    handle.flush()
                traffic.record("printer", traffic.TX, data)  # traffic monitor hook (장치 점검)
            except OSError as exc:
                raise DeviceError(f"프린터 파일에 쓸 수 없음 (cannot write {self.path}): "
                                  f"{exc.strerror or exc}") from None

    def status(self) -> PrinterStatus:
        return PrinterStatus(known=False, detail="file: status unknown")

    def open_drawer(self) -> None:
        self.write(escpos.DRAWER_KICK)
