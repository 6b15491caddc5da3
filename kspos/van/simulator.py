"""The VAN host simulator: :class:`kspos.van.host.HostState` served over TCP with asyncio.

One connection per exchange, many at once. Faults for testing the POS's network-cancel path
(``kspos van-sim --fault ... --fault-rate R``), drawn per connection with probability R:

- ``timeout``: read the request, process it, never answer (hold the connection until the
  client gives up);
- ``drop``: read and process the request, then close without answering;
- ``garble``: process the request and send a malformed frame (cut short, a broken trailer, a
  wrong echo or a non-digit length);
- ``slow:MS``: answer normally after MS milliseconds.

The host processes a faulted request before failing to answer, as a real host that approved a
card and lost the answer on the way would: that is what a 망취소 exists for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kspos.van.host import HostState
from kspos.van.telegram import FrameError, frame_length

log = logging.getLogger(__name__)

FAULT_KINDS = ("none", "timeout", "drop", "garble", "slow")
READ_TIMEOUT_S = 30.0
"""A connection that does not deliver a whole request in this time is closed."""
HOLD_S = 300.0
"""How long the ``timeout`` fault keeps a connection open at most."""
ACCEPT_PAUSE_S, ACCEPT_PAUSE_MAX_S = 0.05, 2.0
"""How long accepting pauses when it fails for want of descriptors (doubling up to the max)."""


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str = "none"
    delay_ms: int = 0

    def __str__(self) -> str:
        return f"slow:{self.delay_ms}" if self.kind == "slow" else self.kind


_NO_FAULT = Fault()


def parse_fault(text: str) -> Fault:
    """``none|timeout|drop|garble|slow:MS`` → Fault; ValueError with the reason."""
    kind, sep, arg = text.strip().lower().partition(":")
    if kind == "slow":
        if not sep or not arg.isdigit() or not 0 < int(arg) <= 600_000:
            raise ValueError(f"slow needs a delay in milliseconds, e.g. slow:500 (got {text!r})")
        return Fault("slow", int(arg))
    if kind not in FAULT_KINDS or sep:
        raise ValueError(f"unknown fault {text!r}: expected none, timeout, drop, garble or "
                         "slow:MS")
    return Fault(kind)


class _Connection(asyncio.Protocol):
    """One client connection: collect one whole frame, answer it (or fail to), close.

    Used when the request is not all there at accept time, or when a fault needs the
    connection kept (timeout, slow); the common case never gets this far (see
    ``VanHostSimulator._serve``).
    """

    def __init__(self, server: VanHostSimulator) -> None:
        self.server = server
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.expected = -1  # bytes of the whole frame, once LLLL is in
        self.done = False  # a frame was taken; whatever else comes is ignored
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.server._open.add(self)
        self.timer = asyncio.get_running_loop().call_later(READ_TIMEOUT_S, self.close)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server._open.discard(self)
        self._cancel_timer()

    def data_received(self, data: bytes) -> None:
        if self.done:
            return  # a held (timeout) connection: drain what the client sends
        self.buffer += data
        if self.expected < 0 and len(self.buffer) >= 4:
            try:
                self.expected = 4 + frame_length(bytes(self.buffer[:4]))
            except FrameError:
                log.info("unreadable frame (length %r): closed without answering",
                         bytes(self.buffer[:4]))
                self.close()
                return
        if 0 <= self.expected <= len(self.buffer):
            self.done = True
            self._cancel_timer()
            answer = self.server._process(bytes(self.buffer[:self.expected]))
            if answer is None:
                self.close()
            else:
                self.server._respond(self, answer, self.server._draw_fault())

    def write_and_close(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)
        self.close()

    def close(self) -> None:
        self._cancel_timer()
        if self.transport is not None:
            self.transport.close()

    def hold(self) -> None:
        """Keep the connection open without answering (until the client leaves, or HOLD_S)."""
        self.timer = asyncio.get_running_loop().call_later(HOLD_S, self.close)

    def _cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class VanHostSimulator:
    """An asyncio TCP server answering VAN telegrams (call ``start`` inside a running loop)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, fault: Fault | None = None,
                 fault_rate: float = 1.0, seed: int | None = None,
                 state: HostState | None = None,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError(f"the fault rate is between 0 and 1, got {fault_rate}")
        self.host = host
        self.port = port
        self.fault = fault or Fault()
        self.fault_rate = fault_rate
        self._rng = random.Random(seed)
        self.state = state or HostState(clock=clock, rng=random.Random(seed))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: socket.socket | None = None
        self._open: set[_Connection] = set()
        self._adopting: set[asyncio.Task[None]] = set()
        self._accept_pause = 0.0  # seconds; 0 while accepting works
        self._accept_trouble = ""
        self._seen = threading.Condition()
        self.requests_seen = 0
        """Whole request frames read, faulted or not (tests wait on it)."""

    async def start(self) -> VanHostSimulator:
        self._loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.create_server((self.host.strip("[]"), self.port), family=family,
                                        backlog=1024)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._loop.add_reader(listener.fileno(), self._on_accept)
        return self

    async def stop(self) -> None:
        if self._listener is not None and self._loop is not None:
            self._loop.remove_reader(self._listener.fileno())
            self._listener.close()
            self._listener = None
        for task in list(self._adopting):
            task.cancel()
        for connection in list(self._open):
            connection.close()
        await asyncio.sleep(0)  # let the transports run their close callbacks

    def wait_for_requests(self, count: int, timeout_s: float) -> bool:
        """Block (another thread) until ``count`` requests were read; False on timeout."""
        with self._seen:
            return self._seen.wait_for(lambda: self.requests_seen >= count, timeout_s)

    def _draw_fault(self) -> Fault:
        if self.fault.kind == "none" or self._rng.random() >= self.fault_rate:
            return _NO_FAULT
        return self.fault

    def _on_accept(self) -> None:
        for _ in range(128):
            if self._listener is None:
                return
            try:
                conn, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:  # the client left before we took it
                continue
            except OSError as exc:
                self._pause_accepting(exc)
                return
            if self._accept_pause:
                log.warning("accepting connections again (after %s)", self._accept_trouble)
                self._accept_pause, self._accept_trouble = 0.0, ""
            self._serve(conn)

    def _pause_accepting(self, exc: OSError) -> None:
        """Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS): the listener stays readable,
        so trying again at once would spin a core and flood the log. Stop watching it for a
        while (doubling to 2 s) and say so once, until an accept works again."""
        loop, listener = self._loop, self._listener
        if loop is None or listener is None:
            return
        if not self._accept_pause:
            self._accept_trouble = exc.strerror or str(exc)
            log.warning("accept failed: %s; pausing new connections until it works again",
                        self._accept_trouble)
        self._accept_pause = min(ACCEPT_PAUSE_MAX_S, max(ACCEPT_PAUSE_S,
                                                         self._accept_pause * 2))
        loop.remove_reader(listener.fileno())
        loop.call_later(self._accept_pause, self._resume_accepting, listener)

    def _resume_accepting(self, listener: socket.socket) -> None:
        if self._loop is not None and self._listener is listener:  # not stopped meanwhile
            self._loop.add_reader(listener.fileno(), self._on_accept)

    def _serve(self, conn: socket.socket) -> None:
        """The fast path: the whole request is usually in by the time the connection is
        accepted, so read it, answer it and close, without a transport. Anything else (a
        partial request, a fault that keeps the connection, a full send buffer) is handed to
        a :class:`_Connection`."""
        conn.setblocking(False)
        try:
            data = conn.recv(16_384)
        except (BlockingIOError, InterruptedError):  # not here yet: wait for it on the loop
            self._adopt(conn, lambda c: None)
            return
        except OSError:
            conn.close()
            return
        expected = -1
        if len(data) >= 4:
            try:
                expected = 4 + frame_length(data[:4])
            except FrameError:
                log.info("unreadable frame (length %r): closed without answering", data[:4])
                conn.close()
                return
        if not data or expected < 0 or len(data) < expected:
            if not data:  # the client left without a word
                conn.close()
            else:
                self._adopt(conn, lambda c: c.data_received(data))
            return
        answer = self._process(data[:expected])
        if answer is None:
            conn.close()
            return
        fault = self._draw_fault()
        if fault.kind != "none":
            self._adopt(conn, lambda c: self._respond(c, answer, fault), taken=True)
            return
        try:
            sent = conn.send(answer)
        except OSError:  # the client is gone
            sent = len(answer)
        if sent == len(answer):
            conn.close()
        else:
            rest = answer[sent:]
            self._adopt(conn, lambda c: c.write_and_close(rest), taken=True)

    def _adopt(self, conn: socket.socket, then: Callable[[_Connection], None],
               taken: bool = False) -> None:
        """Give ``conn`` a transport and a :class:`_Connection`, then run ``then`` on it."""
        loop = self._loop
        assert loop is not None

        async def adopt() -> None:
            try:
                _transport, connection = await loop.connect_accepted_socket(
                    lambda: _Connection(self), conn)
            except OSError:
                conn.close()
                return
            if taken:
                connection.done = True
                connection._cancel_timer()
            then(connection)

        task = loop.create_task(adopt())
        self._adopting.add(task)
        task.add_done_callback(self._adopting.discard)

    def _process(self, frame: bytes) -> bytes | None:
        """Count the request and let the host answer it (None: unreadable, no answer)."""
        with self._seen:
            self.requests_seen += 1
            self._seen.notify_all()
        answer = self.state.handle(frame)
        if answer is None:
            log.info("unreadable %d-byte frame: closed without answering", len(frame))
        return answer

    def _respond(self, connection: _Connection, answer: bytes, fault: Fault) -> None:
        """Answer, or fail to as the fault says."""
        if fault.kind == "timeout":
            connection.hold()
        elif fault.kind == "drop":
            connection.close()
        elif fault.kind == "slow":
            connection.timer = asyncio.get_running_loop().call_later(
                fault.delay_ms / 1000, connection.write_and_close, answer)
        elif fault.kind == "garble":
            connection.write_and_close(self._garble(answer))
        else:
            connection.write_and_close(answer)

    def _garble(self, answer: bytes) -> bytes:
        """A malformed version of ``answer`` (one of four kinds, drawn at random)."""
        kind = self._rng.randrange(4)
        if kind == 0:  # cut short: the length promises more than comes
            return answer[: len(answer) // 2]
        if kind == 1:  # no ETX
            return answer[:-2] + b"X\r"
        if kind == 2:  # another serial in the echo
            serial_end = 4 + 36
            last = answer[serial_end - 1:serial_end]
            other = b"1" if last != b"1" else b"2"
            return answer[: serial_end - 1] + other + answer[serial_end:]
        return b"LLLL" + answer[4:]


class SimulatorThread:
    """The simulator on its own asyncio loop in a daemon thread (embedded mode, tests).

    ``start()`` returns once it listens (``port`` is then the bound port); ``stop()`` ends it.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, fault: Fault | None = None,
                 fault_rate: float = 1.0, seed: int | None = None,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.sim = VanHostSimulator(host, port, fault, fault_rate, seed, clock=clock)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None

    @property
    def port(self) -> int:
        return self.sim.port

    @property
    def address(self) -> str:
        return f"{self.sim.host}:{self.sim.port}"

    def start(self) -> SimulatorThread:
        ready = threading.Event()
        failure: list[BaseException] = []

        async def main() -> None:
            self._stopped = asyncio.Event()
            try:
                await self.sim.start()
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            self._loop = asyncio.get_running_loop()
            ready.set()
            await self._stopped.wait()
            await self.sim.stop()

        self._thread = threading.Thread(target=asyncio.run, args=(main(),),
                                        name="van-simulator", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            self._thread.join(5)
            raise failure[0]
        return self

    def stop(self) -> None:
        loop, stopped, thread = self._loop, self._stopped, self._thread
        self._loop = None
        if loop is not None and stopped is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stopped.set)
        if thread is not None:
            thread.join(10)

    def __enter__(self) -> SimulatorThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
