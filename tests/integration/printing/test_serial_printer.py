"""Printing over a real pty pair: the driver opens the slave end with serial_for_url, a thread on
the master end plays the printer (keeps the bytes, answers DLE EOT)."""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections.abc import Iterator

import pytest

from drivers.printer import build_printer
from kspos.devices.specs import parse_spec
from kspos.ports import DeviceUnavailable
from kspos.receipts.decode import decode, next_command
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from tests.integration.printing.escpos_server import PAPER_OUT, READY


class PtyPrinter:
    def __init__(self, status: dict[int, int] | None, answer: bool = True) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self.status = status or READY
        self.answer = answer
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pending = bytearray()
        while not self._stop.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            self.received += chunk
            pending += chunk
            pos = 0
            while (step := next_command(pending, pos)) is not None:
                event, pos = step
                if event[0] == "status" and self.answer:
                    os.write(self.master, bytes([self.status[event[1]]]))
            pending = pending[pos:]

    def wait_for(self, size: int) -> bytes:
        deadline = time.monotonic() + 5
        while len(self.received) < size and time.monotonic() < deadline:
            time.sleep(0.01)
        return bytes(self.received)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def pty_printer(request: pytest.FixtureRequest) -> Iterator[PtyPrinter]:
    status, answer = getattr(request, "param", (READY, True))
    device = PtyPrinter(status, answer)
    yield device
    device.stop()


def test_receipt_over_a_serial_line(pty_printer: PtyPrinter) -> None:
    printer = build_printer(parse_spec(f"serial:{pty_printer.path}?baudrate=115200", "printer"))
    data = render(sample_receipt(), "text", 32, open_drawer=True)
    try:
        assert printer.status().ok
        printer.write(data)
    finally:
        printer.close()
    received = pty_printer.wait_for(9 + len(data))
    assert received[9:] == data
    printout = decode(data)
    assert "합계      21,900" in printout.rows and printout.drawer_kicks == 1


@pytest.mark.parametrize("pty_printer", [(PAPER_OUT, True)], indirect=True)
def test_paper_out_over_serial(pty_printer: PtyPrinter) -> None:
    printer = build_printer(parse_spec(f"serial:{pty_printer.path}", "printer"))
    status = printer.status()
    printer.close()
    assert status.known and status.paper_out and "paper out" in status.detail


@pytest.mark.parametrize("pty_printer", [(READY, False)], indirect=True)
def test_silent_serial_printer_has_unknown_status(pty_printer: PtyPrinter) -> None:
    printer = build_printer(parse_spec(f"serial:{pty_printer.path}", "printer"))
    status = printer.status()
    printer.write(b"\x1b@ok\n")
    printer.close()
    assert not status.known
    assert pty_printer.wait_for(8).endswith(b"\x1b@ok\n")


def test_missing_port_is_unavailable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    printer = build_printer(parse_spec(f"serial:{tmp_path}/ttyNONE", "printer"))
    with pytest.raises(DeviceUnavailable, match="cannot open printer port"):
        printer.write(b"x")
    assert not printer.status().online
