"""The device bench's 진동벨 part, faked at our port (SimPager) and a fake DeviceLab: status
words, 호출 테스트 (the number sent, an offline box's error), ``off``, and a spec saved to
``[devices] pager`` and then used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.pager import SimPager
from drivers.sim.printer import SimPrinter
from kspos.config import ConfigError, load_settings
from kspos.context import AppContext
from kspos.diagnostics import CONFIG_KEYS, KINDS, Discovery
from kspos.diagnostics.device_test import DeviceBench
from kspos.ports import Devices


class FakeLab:
    """Builds a SimPager for any pager spec and remembers what it built."""

    def __init__(self) -> None:
        self.built: list[tuple[str, str, Any]] = []

    def build(self, kind: str, spec: str) -> Any:
        assert kind == "pager"
        device = SimPager(spec)
        self.built.append((kind, spec, device))
        return device

    def discover(self) -> Discovery:
        return Discovery()

    def device_list(self, settings: Any) -> dict[str, Any]:
        return {}


def _store(fast_db: Any, data_dir: Path, tmp_path: Path, pager: str) -> AppContext:
    config = tmp_path / "config.toml"
    config.write_text(f'[devices]\nprinter = "sim"\npager = "{pager}"  # 진동벨\n',
                      encoding="utf-8")
    settings = load_settings(config, data_dir)
    printer = SimPrinter()
    devices = Devices(printer=printer, drawer=printer,
                      pager=SimPager() if pager == "sim" else None)
    return AppContext.create(settings, fast_db, devices, start_workers=False)


@pytest.fixture
def store(fast_db: Any, data_dir: Path, tmp_path: Path) -> Iterator[AppContext]:
    context = _store(fast_db, data_dir, tmp_path, "sim")
    yield context
    context.close()


@pytest.fixture
def off_store(fast_db: Any, data_dir: Path, tmp_path: Path) -> Iterator[AppContext]:
    context = _store(fast_db, data_dir, tmp_path, "off")
    yield context
    context.close()


def test_the_pager_is_a_bench_kind_saved_under_devices() -> None:
    assert "pager" in KINDS
    assert CONFIG_KEYS["pager"] == ("devices", "pager")


def test_a_sim_pager_is_connected_and_the_status_calls_no_one(store: AppContext) -> None:
    bench = DeviceBench(store)
    pager = store.devices.pager
    assert isinstance(pager, SimPager)
    status = bench.pager_status()
    assert (status.ok, status.level, status.words) == (True, "ok", "연결됨 · 시뮬레이터")
    assert pager.calls == []


def test_a_test_call_sends_call_n_to_the_pager(store: AppContext) -> None:
    bench = DeviceBench(store)
    pager = store.devices.pager
    assert isinstance(pager, SimPager)
    outcome = bench.call_pager(7)
    assert (outcome.ok, outcome.words) == (True, "호출 보냄 · 시뮬레이터")
    assert "CALL 7" in outcome.detail and "7번" in outcome.detail
    assert pager.lines == [b"CALL 7\r\n"]


def test_an_offline_pager_gives_its_words_and_nothing_is_recorded(store: AppContext) -> None:
    bench = DeviceBench(store)
    pager = store.devices.pager
    assert isinstance(pager, SimPager)
    pager.offline = True
    outcome = bench.call_pager(3)
    assert (outcome.ok, outcome.level, outcome.words) == (False, "bad", "응답 없음")
    assert "pager transmitter offline" in outcome.detail
    assert pager.calls == []


@pytest.mark.parametrize("number", [0, -1, 10_000])
def test_a_number_outside_1_to_9999_is_refused_before_sending(store: AppContext,
                                                             number: int) -> None:
    pager = store.devices.pager
    assert isinstance(pager, SimPager)
    outcome = DeviceBench(store).call_pager(number)
    assert (outcome.ok, outcome.words) == (False, "번호 확인")
    assert "9999" in outcome.detail
    assert pager.calls == []


def test_off_is_not_configured_and_builds_nothing(off_store: AppContext) -> None:
    lab = FakeLab()
    bench = DeviceBench(off_store, lab)
    assert bench.pager_off() and bench.specs["pager"] == "off"
    for outcome in (bench.pager_status(), bench.call_pager(1)):
        assert (outcome.ok, outcome.words) == (False, "사용 안 함")
    assert lab.built == []


def test_a_saved_spec_goes_to_devices_pager_and_is_used(off_store: AppContext) -> None:
    lab = FakeLab()
    bench = DeviceBench(off_store, lab)
    path = off_store.settings.path
    assert path is not None
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        bench.save_spec("pager", "usb:04b8:0e15")  # no such pager kind
    assert path.read_bytes() == before and bench.pager_off()
    bench.save_spec("pager", "sim")
    assert 'pager = "sim"  # 진동벨' in path.read_text(encoding="utf-8")
    assert bench.call_pager(5).ok
    [(kind, spec, built)] = lab.built
    assert (kind, spec, built.calls) == ("pager", "sim", [5])


def test_without_a_lab_a_new_pager_waits_for_a_restart(off_store: AppContext) -> None:
    bench = DeviceBench(off_store)
    bench.save_spec("pager", "tcp:127.0.0.1:9100")
    outcome = bench.call_pager(1)
    assert not outcome.ok and "restart" in outcome.detail
