"""Network receipt printers: raw ESC/POS over TCP (``tcp:HOST:PORT``, port 9100 typically)."""

from __future__ import annotations

import select
import socket
import threading

from drivers.printer.status import query_status
from kspos.devices import traffic
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError, PrinterStatus
from kspos.receipts import escpos


class TcpPrinter:
    """One connection, opened on demand and reopened when the printer has dropped it.

    ``write`` blocks until the bytes are handed to the network (``write_timeout_s`` at most: a
    printer out of paper stops reading, and the send times out instead of hanging the worker).
    """

    def __init__(self, spec: DeviceSpec, connect_timeout_s: float = 3.0,
                 write_timeout_s: float = 15.0, status_timeout_s: float = 0.5) -> None:
        self.spec = spec.text
        self.host, self.port = spec.host_port
        self.connect_timeout_s = connect_timeout_s
        self.write_timeout_s = write_timeout_s
        self.status_timeout_s = status_timeout_s
        self._sock: socket.socket | None = None
        self._lock = threading.RLock()

    # --- connection ---------------------------------------------------------------------------

    def open(self) -> None:
        """Connect now; DeviceError (Korean + English) when the printer does not answer."""
        with self._lock:
            if self._sock is None or not self._alive(self._sock):
                self._connect()

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                try:
                    self._sock.close()
                finally:
                    self._sock = None

    def _connect(self) -> None:
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout_s)
        except OSError as exc:
            raise DeviceError(f"프린터 연결 실패 (cannot connect to printer {self.host}:"
                              f"{self.port}): {_reason(exc)}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    @staticmethod
    def _alive(sock: socket.socket) -> bool:
        """False when the printer has closed its side (a printer drops idle connections)."""
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return True
            return sock.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            return False

    def _drain(self, sock: socket.socket) -> None:
        """Drop unsolicited bytes (automatic status, echoes) so answers line up."""
        while select.select([sock], [], [], 0)[0]:
            if not sock.recv(4096):
                raise ConnectionResetError("printer closed the connection")

    # --- ReceiptPrinter -----------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Send ``data``; DeviceError when it could not be delivered."""
        with self._lock:
            self.open()
            assert self._sock is not None
            try:
                self._sock.settimeout(self.write_timeout_s)
                self._sock.sendall(data)
                traffic.record("printer", traffic.TX, data)  # traffic monitor hook (장치 점검)
            except OSError as exc:
                self.close()
                raise DeviceError(f"프린터 전송 실패 (printer {self.host}:{self.port} did not "
                                  f"take the data): {_reason(exc)}") from None

    def status(self) -> PrinterStatus:
        """DLE EOT status; ``online=False`` with the reason when the printer is unreachable."""
        with self._lock:
            try:
                self.open()
                assert self._sock is not None
                sock = self._sock
                self._drain(sock)
                return query_status(sock.sendall, self._read_byte, self.status_timeout_s)
            except DeviceError as exc:
                return PrinterStatus(online=False, known=True, detail=str(exc))
            except OSError as exc:
                self.close()
                return PrinterStatus(online=False, known=True,
                                     detail=f"프린터 연결 끊김 (connection lost): {_reason(exc)}")

    def _read_byte(self, timeout_s: float) -> int | None:
        assert self._sock is not None
        if not select.select([self._sock], [], [], timeout_s)[0]:
            return None
        data = self._sock.recv(1)
        if not data:
            raise ConnectionResetError("printer closed the connection")
        return data[0]

    def open_drawer(self) -> None:
        """Kick the cash drawer wired to this printer (ESC p)."""
        self.write(escpos.DRAWER_KICK)

    def __enter__(self) -> TcpPrinter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return exc.strerror or type(exc).__name__
