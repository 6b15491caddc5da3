"""The serial scanner on a pty pair: the test writes what a scanner would send."""

from __future__ import annotations

import contextlib
import os
import threading
import tty
from collections.abc import Iterator

import pytest

from drivers.scanner.serial import SerialScanner
from kspos.ports import DeviceError


@pytest.fixture
def pty_scanner() -> Iterator[tuple[SerialScanner, int]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    scanner = SerialScanner(os.ttyname(slave))
    scanner.open()
    yield scanner, master
    scanner.close()
    for fd in (master, slave):
        with contextlib.suppress(OSError):
            os.close(fd)


def test_codes_are_read_line_by_line_without_terminators(pty_scanner) -> None:  # type: ignore[no-untyped-def]
    scanner, master = pty_scanner
    os.write(master, b"8801234567893\r\n2810061234567890\r")
    assert scanner.read_scan(1) == "8801234567893"
    assert scanner.read_scan(1) == "2810061234567890"
    assert scanner.read_scan(0.1) is None


def test_a_code_without_a_suffix_is_delivered_after_a_pause(pty_scanner) -> None:  # type: ignore[no-untyped-def]
    scanner, master = pty_scanner
    os.write(master, b"hQVDUFYxMjM")
    assert scanner.read_scan(2) == "hQVDUFYxMjM"


def test_utf8_and_euc_kr_qr_text_is_decoded(pty_scanner) -> None:  # type: ignore[no-untyped-def]
    scanner, master = pty_scanner
    os.write(master, "커피\n".encode() + "라떼\n".encode("euc-kr"))
    assert scanner.read_scan(1) == "커피"
    assert scanner.read_scan(1) == "라떼"


def test_an_unplugged_scanner_raises_instead_of_hanging() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    scanner = SerialScanner(os.ttyname(slave))
    scanner.open()
    os.close(slave)
    threading.Timer(0.2, os.close, args=(master,)).start()
    with pytest.raises(DeviceError):
        scanner.read_scan(5)
    scanner.close()


def test_pyserial_urls_work_too() -> None:
    scanner = SerialScanner("loop://")
    scanner.open()
    assert scanner.read_scan(0.05) is None
    scanner.close()
