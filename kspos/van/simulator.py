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


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str = "none"
    delay_ms: int = 0

    def __str__(self) -> str:
        return f"slow:{self.delay_ms}" if self.kind == "slow" else self.kind


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
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen = threading.Condition()
        self.requests_seen = 0
        """Whole request frames read, faulted or not (tests wait on it)."""

    async def start(self) -> VanHostSimulator:
        self._server = await asyncio.start_server(self._on_connect, self.host, self.port,
                                                  backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def wait_for_requests(self, count: int, timeout_s: float) -> bool:
        """Block (another thread) until ``count`` requests were read; False on timeout."""
        with self._seen:
            return self._seen.wait_for(lambda: self.requests_seen >= count, timeout_s)

    def _draw_fault(self) -> Fault:
        if self.fault.kind == "none" or self._rng.random() >= self.fault_rate:
            return Fault()
        return self.fault

    async def _on_connect(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the client went away; nothing to answer
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(READ_TIMEOUT_S):
            prefix = await reader.readexactly(4)
            try:
                length = frame_length(prefix)
            except FrameError:
                log.info("unreadable frame (length %r): closed without answering", prefix)
                return
            frame = prefix + await reader.readexactly(length)
        with self._seen:
            self.requests_seen += 1
            self._seen.notify_all()
        answer = self.state.handle(frame)
        if answer is None:
            log.info("unreadable %d-byte frame: closed without answering", len(frame))
            return
        fault = self._draw_fault()
        if fault.kind == "timeout":
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HOLD_S):
                    while await reader.read(4096):
                        pass
            return
        if fault.kind == "drop":
            return
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay_ms / 1000)
        elif fault.kind == "garble":
            answer = self._garble(answer, writer)
            if not answer:
                return
        writer.write(answer)
        await writer.drain()

    def _garble(self, answer: bytes, writer: asyncio.StreamWriter) -> bytes:
        """A malformed version of ``answer`` (one of four kinds, drawn at random)."""
        kind = self._rng.randrange(4)
        if kind == 0:  # cut short: the length promises more than comes
            writer.write(answer[: len(answer) // 2])
            return b""
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
