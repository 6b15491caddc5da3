"""Printing over real loopback TCP to a capture server that answers DLE EOT."""

from __future__ import annotations

import socket
import time

import pytest

from drivers.printer import build_printer
from kspos.devices.specs import parse_spec
from kspos.ports import CashDrawer, DeviceError, ReceiptPrinter
from kspos.receipts.decode import decode
from kspos.receipts.queue import PrintQueue
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from kspos.store import Database
from tests.integration.printing.escpos_server import COVER_OPEN, PAPER_OUT, READY, EscposServer


def _printer(server: EscposServer) -> ReceiptPrinter:
    printer = build_printer(parse_spec(server.spec, "printer"))
    assert isinstance(printer, ReceiptPrinter) and isinstance(printer, CashDrawer)
    return printer


@pytest.mark.parametrize("mode", ["text", "raster"])
def test_a_receipt_arrives_byte_for_byte(mode: str) -> None:
    data = render(sample_receipt(), mode, 48)
    with EscposServer() as server:
        printer = _printer(server)
        try:
            assert printer.status().ok
            printer.write(data)
        finally:
            printer.close()
        received = server.wait_for(len(data) + 9)
    # what came in = three status queries, then the receipt
    assert received[-len(data):] == data
    assert server.queries == [1, 2, 4]
    assert decode(data).qr_payloads or mode == "raster"


def test_status_reports_paper_out_and_cover_open() -> None:
    with EscposServer(PAPER_OUT) as server:
        printer = _printer(server)
        status = printer.status()
        printer.close()
    assert status.known and status.paper_out and not status.online and not status.ok
    assert "paper out" in status.detail
    with EscposServer(COVER_OPEN) as server:
        printer = _printer(server)
        status = printer.status()
        printer.close()
    assert status.cover_open and not status.paper_out and "cover open" in status.detail


def test_a_printer_that_does_not_answer_status_is_unknown_not_broken() -> None:
    with EscposServer(answer_status=False) as server:
        printer = _printer(server)
        started = time.monotonic()
        status = printer.status()
        elapsed = time.monotonic() - started
        printer.write(b"\x1b@hello\n")
        printer.close()
        assert server.wait_for(len(b"\x1b@hello\n") + 3).endswith(b"hello\n")
    assert not status.known and elapsed < 2.0  # asked once, not three times


def test_connection_refused_is_a_device_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = build_printer(parse_spec(f"tcp:127.0.0.1:{port}", "printer"))
    with pytest.raises(DeviceError, match="cannot connect to printer"):
        printer.write(b"x")
    status = printer.status()
    assert status.known and not status.online and "cannot connect" in status.detail


def test_reconnects_after_the_printer_drops_the_connection() -> None:
    with EscposServer(close_after_each=True) as server:
        printer = _printer(server)
        printer.write(b"\x1b@one\n")
        server.wait_for(6)
        time.sleep(0.2)  # the printer has closed its side by now
        printer.write(b"\x1b@two\n")
        received = server.wait_for(12)
        printer.close()
    assert received == b"\x1b@one\n\x1b@two\n" and server.connections == 2


def test_drawer_kick_goes_to_the_printer() -> None:
    with EscposServer() as server:
        printer = _printer(server)
        printer.open_drawer()  # type: ignore[attr-defined]
        printer.close()
        assert server.wait_for(5) == b"\x1bp\x00\x19\xfa"


def test_queue_keeps_the_receipt_while_the_printer_is_out_of_paper(db: Database) -> None:
    with EscposServer(PAPER_OUT) as server:
        printer = _printer(server)
        queue = PrintQueue(db, printer, mode="text", columns=42)
        job = queue.submit(sample_receipt(), "sale", "20261125-0042")
        assert not job.printed and "paper out" in (job.last_error or "")
        server.status = dict(READY)  # roll replaced
        [done] = queue.retry_pending()
        printer.close()
        data = render(sample_receipt(), "text", 42)
        received = server.wait_for(len(data) + 12)
    assert done.printed
    assert data in received
    assert received.count(data) == 1  # printed once, after the paper came back
