"""A 진동벨 transmitter on the network (``tcp:HOST:PORT``): one connection per call."""

from __future__ import annotations

import socket
import threading

from kspos.devices import traffic
from kspos.devices.pager import call_line
from kspos.devices.specs import DeviceSpec
from kspos.ports import DeviceError


class TcpPager:
    """Sends ``CALL <N>\\r\\n`` over a fresh connection each time.

    A call is a few a minute at most, and a transmitter box drops idle connections: a new
    connection per call never finds a half-dead one. Both the connect and the send are bounded
    by ``timeout_s`` (≤ 2 s), so a tap on 완료 is never held up long by a box that is off.
    """

    def __init__(self, spec: DeviceSpec, timeout_s: float = 2.0) -> None:
        self.spec = spec.text
        self.host, self.port = spec.host_port
        self.timeout_s = min(timeout_s, 2.0)
        self._lock = threading.Lock()

    def open(self) -> None:
        """Nothing to hold open (see the class doc); a call connects."""

    def close(self) -> None:
        """Nothing held open."""

    def call(self, number: int) -> None:
        """Make pager ``number`` buzz; DeviceError (Korean + English) when the box cannot be
        reached or does not take the line in time."""
        line = call_line(number)
        with self._lock:
            try:
                with socket.create_connection((self.host, self.port),
                                              timeout=self.timeout_s) as sock:
                    sock.sendall(line)
                    sock.shutdown(socket.SHUT_WR)  # the whole line is out before the close
                traffic.record("pager", traffic.TX, line)  # traffic monitor hook (장치 점검)
            except OSError as exc:
                reason = "timed out" if isinstance(exc, TimeoutError) else \
                    (exc.strerror or type(exc).__name__)
                traffic.record("pager", traffic.NOTE, note=f"{self.host}:{self.port}: {reason}")
                raise DeviceError(f"진동벨 연결 실패 (cannot reach pager transmitter "
                                  f"{self.host}:{self.port}): {reason}") from None
