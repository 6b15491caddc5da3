"""The drivers' traffic monitor hooks on real transports: a network printer on loopback (the
data and the DLE EOT exchange) and a serial scanner on loop:// (a code, masked when it is a
card number); and the device bench telling a technician 용지 없음 from that printer."""

from __future__ import annotations

from drivers.doctor import DriverLab
from drivers.printer.tcp import TcpPrinter
from drivers.scanner.serial import SerialScanner
from kspos.devices.specs import parse_spec
from kspos.devices.traffic import MONITOR
from kspos.diagnostics.device_test import printer_outcome
from tests.integration.printing.escpos_server import PAPER_OUT, READY, EscposServer


def test_a_network_printer_reports_its_bytes_and_status_exchange() -> None:
    with EscposServer(READY) as server:
        start = MONITOR.last_seq()
        printer = TcpPrinter(parse_spec(server.spec, "printer"))
        try:
            status = printer.status()
            printer.write(b"\x1b@hello 5365101234560006\n")
        finally:
            printer.close()
        assert status.ok
        rows = [r for r in MONITOR.since(start) if r.device == "printer"]
        assert [r.direction for r in rows[:6]] == ["tx", "rx"] * 3  # DLE EOT 1, 2, 4
        assert rows[0].data == b"\x10\x04\x01" and rows[1].data == b"\x12"
        assert rows[-1].data == b"\x1b@hello 536510******0006\n"
        server.wait_for(len(b"\x1b@hello 5365101234560006\n"))
        assert b"5365101234560006" in server.received  # masked on screen only, sent as is


def test_the_bench_words_for_a_printer_out_of_paper() -> None:
    with EscposServer(PAPER_OUT) as server:
        printer = DriverLab().build("printer", server.spec)
        try:
            outcome = printer_outcome(printer.status())
        finally:
            printer.close()
    assert (outcome.ok, outcome.words) == (False, "용지 없음")


def test_a_serial_scanner_reports_each_code_masked_when_it_is_a_card() -> None:
    scanner = SerialScanner("loop://")
    scanner.open()
    start = MONITOR.last_seq()
    try:
        scanner._port.write(b"8801234567893\r\n4111111111111111\r\n")  # loop:// echoes
        assert scanner.read_scan(1.0) == "8801234567893"
        assert scanner.read_scan(1.0) == "4111111111111111"
    finally:
        scanner.close()
    rows = [r.data for r in MONITOR.since(start) if r.device == "scanner"]
    assert rows == [b"8801234567893", b"411111******1111"]
