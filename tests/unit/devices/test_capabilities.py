"""What a device can do is declared on its port, and every driver and simulated twin answers
it: the demo's test cards and test codes appear only with the simulators, the keyboard-wedge
scanner is read from key presses, every printer kicks its drawer, every VAN link can be let go."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.registry import build_devices, build_printer, build_reader, build_scanner, build_van
from kspos.config import demo_settings
from kspos.ports import (
    NOT_SIMULATED,
    CardReader,
    CashDrawer,
    DeviceError,
    ReceiptPrinter,
    Scanner,
    VanLink,
)


@pytest.mark.parametrize("spec", ["serial:/dev/does-not-exist", "pcsc", "sim"])
def test_only_the_simulated_reader_takes_a_test_card(spec: str) -> None:
    reader = build_reader(spec)
    assert isinstance(reader, CardReader)
    assert reader.simulated == (spec == "sim")
    if reader.simulated:
        reader.insert_card("5365101234560006")
        assert reader.read_card(1_000, 1.0).masked_pan.startswith("536510")
    else:
        with pytest.raises(DeviceError, match="only a simulated device"):
            reader.insert_card("5365101234560006")


@pytest.mark.parametrize("spec", ["serial:/dev/does-not-exist", "hid", "sim"])
def test_scanners_say_how_their_codes_arrive(spec: str) -> None:
    scanner = build_scanner(spec)
    assert isinstance(scanner, Scanner)
    assert scanner.keyboard_wedge == (spec == "hid")
    assert scanner.simulated == (spec == "sim")
    if scanner.simulated:
        scanner.queue_scan("8801234567893")
        assert scanner.read_scan(1.0) == "8801234567893"
    else:
        with pytest.raises(DeviceError) as refused:
            scanner.queue_scan("8801234567893")
        assert str(refused.value) == NOT_SIMULATED


@pytest.mark.parametrize("spec", ["sim", "tcp:127.0.0.1:9100", "serial:/dev/does-not-exist",
                                  "file:{tmp}/out.bin"])
def test_every_printer_is_the_drawer_wired_to_it(spec: str, tmp_path: Path) -> None:
    printer = build_printer(spec.format(tmp=tmp_path))
    assert isinstance(printer, ReceiptPrinter) and isinstance(printer, CashDrawer)


def test_the_app_kicks_the_drawer_through_its_printer(tmp_path: Path) -> None:
    devices = build_devices(demo_settings(tmp_path))
    assert devices.drawer is devices.printer is not None


def test_a_file_printer_kicks_the_drawer_with_esc_p(tmp_path: Path) -> None:
    printer = build_printer(f"file:{tmp_path}/out.bin")
    printer.open()
    printer.open_drawer()
    printer.close()
    assert (tmp_path / "out.bin").read_bytes().startswith(b"\x1bp")


@pytest.mark.parametrize("spec", ["tcp:127.0.0.1:9", "embedded"])
def test_every_van_link_can_be_let_go_twice(spec: str) -> None:
    link = build_van(spec)
    assert isinstance(link, VanLink)
    link.close()
    link.close()
