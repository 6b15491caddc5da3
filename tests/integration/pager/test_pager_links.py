"""The 진동벨 transmitter over the real things: a TCP server on 127.0.0.1 and a pty pair for
the serial line. Each receives exactly ``CALL <N>\\r\\n``; a box that is off is a DeviceError
within the short timeout, never a hang."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from collections.abc import Iterator

import pytest

from drivers.registry import build_pager
from kspos.devices.pager import parse_call_line
from kspos.ports import DeviceError, DeviceUnavailable


class LineServer:
    """A pager transmitter on loopback: keeps each connection's bytes."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(64):
                    data += chunk
                self.received.append(data)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server() -> Iterator[LineServer]:
    found = LineServer()
    yield found
    found.close()


def test_a_tcp_transmitter_receives_one_call_line_per_call(server: LineServer) -> None:
    pager = build_pager(f"tcp:127.0.0.1:{server.port}")
    assert pager is not None
    pager.open()
    pager.call(42)
    pager.call(7)
    deadline = time.monotonic() + 2
    while len(server.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.received == [b"CALL 42\r\n", b"CALL 7\r\n"]
    assert [parse_call_line(line) for line in server.received] == [42, 7]
    pager.close()


def test_a_tcp_transmitter_that_is_off_is_a_clear_error_quickly() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    pager = build_pager(f"tcp:127.0.0.1:{port}")
    assert pager is not None
    started = time.monotonic()
    with pytest.raises(DeviceError, match="진동벨"):
        pager.call(3)
    assert time.monotonic() - started < 2.5


def test_a_tcp_transmitter_that_never_answers_times_out_within_two_seconds() -> None:
    silent = socket.socket()  # a listening socket with a full backlog never accepts
    silent.bind(("127.0.0.1", 0))
    silent.listen(0)
    port = silent.getsockname()[1]
    fillers = []
    try:
        pager = build_pager(f"tcp:127.0.0.1:{port}")
        assert pager is not None
        started = time.monotonic()
        try:  # connects may still succeed into the backlog: the call then completes
            for _ in range(8):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            pager.call(5)
        except DeviceError:
            pass
        assert time.monotonic() - started < 2.5  # never the cashier's whole minute
    finally:
        for filler in fillers:
            filler.close()
        silent.close()


class PtyTransmitter:
    """The master end of a pty plays the serial transmitter: keeps what arrives."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            try:
                self.received += os.read(self.master, 1024)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(1)
        os.close(self.master)
        os.close(self.slave)


def test_a_serial_transmitter_receives_the_call_line_over_a_pty() -> None:
    line = PtyTransmitter()
    try:
        pager = build_pager(f"serial:{line.path}?baudrate=9600")
        assert pager is not None
        pager.open()
        pager.call(128)
        pager.call(9)
        deadline = time.monotonic() + 2
        while bytes(line.received) != b"CALL 128\r\nCALL 9\r\n" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert bytes(line.received) == b"CALL 128\r\nCALL 9\r\n"
        pager.close()
    finally:
        line.close()


def test_a_serial_port_that_is_not_there_says_so() -> None:
    pager = build_pager("serial:/dev/ttyKSPOS-none")
    assert pager is not None
    with pytest.raises(DeviceUnavailable, match="진동벨"):
        pager.call(1)


def test_off_builds_no_pager_and_sim_records_calls() -> None:
    assert build_pager("off") is None
    sim = build_pager("sim")
    assert sim is not None
    sim.call(12)
    assert sim.calls == [12]  # type: ignore[attr-defined]
