"""A loopback stand-in for a network receipt printer: keeps every byte, answers DLE EOT.

It walks the stream command by command (so bytes inside a GS v 0 image that happen to look
like DLE EOT are not answered, as a real printer's parser would not) and replies to each
status query with the byte for its current state.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

from kspos.receipts.decode import next_command

READY = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline; stopped at paper end; roll sensor: no paper
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}


class EscposServer:
    """``with EscposServer() as printer: ... printer.port``; ``received`` holds the bytes."""

    def __init__(self, status: dict[int, int] | None = None, answer_status: bool = True,
                 close_after_each: bool = False, port: int = 0) -> None:
        self.status = dict(status or READY)
        self.answer_status = answer_status
        self.close_after_each = close_after_each  # drop the connection after each recv burst
        self.received = bytearray()
        self.queries: list[int] = []
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))  # a given port: a printer that comes back
        self._sock.listen(4)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="escpos-server", daemon=True)

    @property
    def spec(self) -> str:
        return f"tcp:127.0.0.1:{self.port}"

    def __enter__(self) -> EscposServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=5)

    def wait_for(self, size: int, timeout_s: float = 5.0) -> bytes:
        """Block until ``size`` bytes have arrived (writes are asynchronous on our side)."""
        import time

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= size:
                    return bytes(self.received)
            time.sleep(0.01)
        with self._lock:
            return bytes(self.received)

    def _serve(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        pending = bytearray()
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.received += chunk
            pending += chunk
            pending = self._answer(conn, pending)
            if self.close_after_each:
                return

    def _answer(self, conn: socket.socket, pending: bytearray) -> bytearray:
        pos = 0
        while True:
            step = next_command(pending, pos)
            if step is None:
                return pending[pos:]
            event, pos = step
            if event[0] == "status":
                self.queries.append(event[1])
                if self.answer_status:
                    conn.sendall(bytes([self.status.get(event[1], 0x12)]))
