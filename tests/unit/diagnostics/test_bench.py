"""The device bench behind 장치 점검, against the simulated devices (fakes at our ports) and a
fake DeviceLab: words for each state, test actions, and specs saved then used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer import SimPrinter
from drivers.sim.reader import SimCardReader
from drivers.sim.scanner import SimScanner
from kspos.config import ConfigError, load_settings
from kspos.context import AppContext
from kspos.diagnostics import Discovery
from kspos.diagnostics.device_test import SAMPLE_PAYMENT_CODE, DeviceBench
from kspos.ports import Devices, ReadResult


class FakeLab:
    """Builds simulated devices for any spec and remembers what it built."""

    def __init__(self) -> None:
        self.built: list[tuple[str, str, Any]] = []

    def build(self, kind: str, spec: str) -> Any:
        device = {"printer": SimPrinter, "card_reader": SimCardReader,
                  "scanner": SimScanner}[kind](spec)
        self.built.append((kind, spec, device))
        return device

    def discover(self) -> Discovery:
        return Discovery(serial_ports=[("/dev/ttyUSB0", "USB serial")])

    def device_list(self, settings: Any) -> dict[str, Any]:
        return {}


@pytest.fixture
def store(fast_db: Any, data_dir: Path, tmp_path: Path) -> Iterator[AppContext]:
    config = tmp_path / "config.toml"
    config.write_text('# counter 1\n[devices]\nprinter = "sim"  # kitchen\n', encoding="utf-8")
    settings = load_settings(config, data_dir)
    printer = SimPrinter()
    devices = Devices(printer=printer, drawer=printer, card_reader=SimCardReader(),
                      scanner=SimScanner())
    context = AppContext.create(settings, fast_db, devices, start_workers=False)
    yield context
    context.devices.van = None
    context.close()


def test_statuses_say_what_a_technician_needs(store: AppContext) -> None:
    bench = DeviceBench(store)
    printer = store.devices.printer
    assert isinstance(printer, SimPrinter)
    assert bench.printer_status().words == "연결됨 · 시뮬레이터"
    printer.paper_out = True
    status, drawer = bench.printer_and_drawer()
    assert (status.ok, status.words) == (False, "용지 없음")
    assert (drawer.ok, drawer.words) == (False, "프린터 용지 없음")
    reader = store.devices.card_reader
    assert isinstance(reader, SimCardReader)
    assert bench.reader_status().words == "준비됨 · 시뮬레이터"
    reader.offline = True
    assert (bench.reader_status().level, bench.reader_status().words) == ("bad", "응답 없음")
    assert bench.scanner_status().ok


def test_a_test_page_prints_in_both_modes_and_the_drawer_opens(store: AppContext) -> None:
    bench = DeviceBench(store)
    printer = store.devices.printer
    assert isinstance(printer, SimPrinter)
    text = bench.print_test("text")
    assert text.ok and "텍스트" in text.detail
    rows = "\n".join(printer.printout().rows)
    assert "프린터 테스트" in rows and "PRINTER TEST" in rows
    printer.clear()
    raster = bench.print_test("raster")
    assert raster.ok and printer.printout().images
    printer.paper_out = True
    assert bench.print_test("text").words == "용지 없음"
    printer.paper_out = False
    assert bench.open_drawer().ok and printer.drawer_kicks == 1
    audit = store.db.read("SELECT action, detail FROM audit_log WHERE action = 'drawer_open'")
    assert json.loads(audit[-1][1])["reason"] == "장치 점검"


def test_reading_a_card_shows_masked_data_only(store: AppContext) -> None:
    bench = DeviceBench(store)
    reader = store.devices.card_reader
    assert isinstance(reader, SimCardReader)
    reader.insert_card("5365101234560006", entry_mode="S")
    read = bench.read_card(1)
    assert read.ok and read.detail == "MS (긁기) · MASTER · 536510******0006"
    assert "5365101234560006" not in repr(read)
    reader.wait_for_card = True
    assert bench.read_card(0.05).words == "카드 없음"
    reader.insert_card(result=ReadResult.FALLBACK)
    assert bench.read_card(1).words == "IC 인식 실패"


def test_the_simulated_scanner_delivers_a_sample_payment_code(store: AppContext) -> None:
    bench = DeviceBench(store)
    scan = bench.scan(1)
    assert scan.words == "결제 코드" and "카카오페이 (KAKA)" in scan.detail
    assert SAMPLE_PAYMENT_CODE not in scan.detail


def test_a_saved_spec_is_validated_written_and_then_used(store: AppContext) -> None:
    lab = FakeLab()
    bench = DeviceBench(store, lab)
    path = store.settings.path
    assert path is not None
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        bench.save_spec("printer", "tcp:nowhere")
    assert path.read_bytes() == before and bench.specs["printer"] == "sim"
    assert bench.device("printer") is store.devices.printer
    bench.save_spec("printer", "file:/tmp/receipt.bin")
    assert 'printer = "file:/tmp/receipt.bin"  # kitchen' in path.read_text(encoding="utf-8")
    first = bench.device("printer")
    assert lab.built == [("printer", "file:/tmp/receipt.bin", first)]
    assert bench.device("printer") is first and first.is_open is False
    first.open()
    bench.save_spec("printer", "sim")  # back to the store's own device; the test one closes
    assert bench.device("printer") is store.devices.printer and first.is_open is False


def test_without_a_lab_a_new_spec_waits_for_a_restart(store: AppContext) -> None:
    bench = DeviceBench(store)
    bench.save_spec("card_reader", "pcsc")
    outcome = bench.reader_status()
    assert not outcome.ok and "restart" in outcome.detail


def test_a_demo_store_saves_to_the_default_config_file(store: AppContext, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store.settings = replace(store.settings, path=None, demo=True)
    target = tmp_path / "chosen.toml"
    monkeypatch.setenv("KSPOS_CONFIG", str(target))
    assert DeviceBench(store).save_spec("scanner", "hid") == target
    assert target.read_text(encoding="utf-8") == '[devices]\nscanner = "hid"\n'
