"""VAN links (kspos.ports.VanLink): one TCP connection per exchange.

``tcp:HOST:PORT`` talks to a VAN host or agent. ``embedded`` runs the host simulator inside
this process on a loopback port (demo mode), started on first use in a background thread with
its own asyncio loop; ``close()`` stops it.

The link only moves frames: it reads exactly the ``LLLL`` bytes a response announces and
leaves the fields to :mod:`kspos.van.telegram`. It raises ``VanConnectError`` when not one byte
was sent and ``VanNoAnswer`` when the request may have reached the host but no whole frame came
back (the caller then owes a network cancel).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from kspos.devices import traffic
from kspos.ports import VanConnectError, VanNoAnswer

if TYPE_CHECKING:
    import socket

    from kspos.devices.specs import DeviceSpec
    from kspos.van.simulator import SimulatorThread

log = logging.getLogger(__name__)


def _recv_exactly(sock: socket.socket, count: int, deadline: float) -> bytes:
    """Read ``count`` bytes before ``deadline`` (monotonic); VanNoAnswer otherwise."""
    chunks: list[bytes] = []
    remaining = count
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0:
            raise VanNoAnswer("no answer from the VAN host in time (응답 시간 초과)")
        sock.settimeout(left)
        try:
            chunk = sock.recv(min(remaining, 65_536))
        except TimeoutError:
            raise VanNoAnswer("no answer from the VAN host in time (응답 시간 초과)") from None
        except OSError as exc:
            raise VanNoAnswer(f"the VAN connection broke: {exc.strerror or exc}") from None
        if not chunk:
            got = count - remaining
            raise VanNoAnswer("the VAN host closed the connection "
                              + (f"after {got} of {count} bytes" if got else "without answering"))
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class TcpVanLink:
    """A VAN host at ``host:port``: connect, send one frame, read one frame, close."""

    def __init__(self, host: str, port: int, spec: str | None = None) -> None:
        self.host = host.strip("[]")
        self.port = port
        self.spec = spec or f"tcp:{host}:{port}"

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        """Send ``frame`` and return the response frame (``LLLL`` included)."""
        import socket  # on first use: not part of the POS's start-up

        try:
            sock = socket.create_connection((self.host, self.port), timeout=connect_timeout_s)
        except OSError as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
            traffic.record("van", traffic.NOTE, note=f"connect {self.host}:{self.port}: {reason}")
            raise VanConnectError(f"cannot reach the VAN host {self.host}:{self.port}: "
                                  f"{reason} (VAN 연결 실패)") from None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(response_timeout_s)
            try:
                sock.sendall(frame)
                traffic.record("van", traffic.TX, frame, protocol="van")  # monitor hook (장치 점검)
            except OSError as exc:
                # Some bytes may have left: the host may have the request.
                raise VanNoAnswer(f"sending to the VAN host failed: {exc.strerror or exc}") \
                    from None
            deadline = time.monotonic() + response_timeout_s
            prefix = _recv_exactly(sock, 4, deadline)
            try:
                from kspos.van.telegram import frame_length

                length = frame_length(prefix)
            except ValueError as exc:  # telegram.FrameError: LLLL is not a usable length
                raise VanNoAnswer(f"the VAN host sent an unreadable frame: {exc}") from None
            response = prefix + _recv_exactly(sock, length, deadline)
            traffic.record("van", traffic.RX, response, protocol="van")  # monitor hook
            return response
        except VanNoAnswer as exc:
            traffic.record("van", traffic.NOTE, note=str(exc))  # monitor hook
            raise
        finally:
            sock.close()

    def close(self) -> None:
        """Nothing to release: every exchange has its own connection."""


class EmbeddedVanLink:
    """The host simulator in this process, on 127.0.0.1 and an ephemeral port.

    Started lazily by the first exchange (so building the devices costs nothing) and stopped
    by ``close()``. Its approvals live in memory: they end with the process.
    """

    spec = "embedded"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sim: SimulatorThread | None = None
        self._tcp: TcpVanLink | None = None

    def _ensure_started(self) -> TcpVanLink:
        with self._lock:
            if self._tcp is None:
                from kspos.van.simulator import SimulatorThread

                try:
                    sim = SimulatorThread(host="127.0.0.1", port=0).start()
                except OSError as exc:
                    raise VanConnectError(f"the embedded VAN simulator did not start: {exc}") \
                        from None
                self._sim = sim
                self._tcp = TcpVanLink("127.0.0.1", sim.port, spec=self.spec)
                log.info("embedded VAN simulator listening on 127.0.0.1:%d", sim.port)
            return self._tcp

    @property
    def running(self) -> bool:
        return self._tcp is not None

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        return self._ensure_started().exchange(
            frame, connect_timeout_s=connect_timeout_s, response_timeout_s=response_timeout_s)

    def close(self) -> None:
        """Stop the simulator (if it ever started)."""
        with self._lock:
            sim, self._sim, self._tcp = self._sim, None, None
        if sim is not None:
            sim.stop()


def build_van_link(spec: DeviceSpec) -> TcpVanLink | EmbeddedVanLink:
    """The VanLink for a parsed ``van`` spec (``tcp:HOST:PORT`` or ``embedded``)."""
    if spec.kind == "embedded":
        return EmbeddedVanLink()
    if spec.kind == "tcp":
        host, port = spec.host_port
        return TcpVanLink(host, port, spec=spec.text or f"tcp:{spec.target}")
    raise ValueError(f"not a VAN spec: {spec.text or spec.kind!r} (tcp:HOST:PORT or embedded)")
