"""PC/SC through real pcscd + vpcd (tests/pcsc_rig.py): the doctor finds the daemon and the
reader, and the device bench reads the virtual card with its ATR, masked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.doctor import DriverLab, check_reader
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.diagnostics.device_test import DeviceBench
from kspos.ports import Devices
from tests.conftest import ROOT
from tests.pcsc_rig import PcscRig, VirtualEmvCard

pytestmark = pytest.mark.pcsc
KSPOS = str(Path(sys.executable).parent / "kspos")


@pytest.fixture
def store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    from kspos.store import Database

    template = tmp_path_factory.getbasetemp() / "pcsc-doctor-store.sqlite3"
    if not template.exists():
        Database(template).open().close()
    settings = demo_settings(data_dir)
    shutil.copyfile(template, settings.db_path)
    reader = DriverLab().build("card_reader", "pcsc")
    context = AppContext.create(settings, Database(settings.db_path).open(),
                                Devices(card_reader=reader), start_workers=False)
    yield context
    context.close()


def test_the_reader_check_finds_pcscd_and_the_reader(pcsc_rig: PcscRig,
                                                     virtual_card: VirtualEmvCard) -> None:
    check = check_reader("pcsc")
    assert check.ok and "card inserted" in check.detail and pcsc_rig.reader_name in check.detail


def test_the_bench_reads_the_card_with_its_atr(pcsc_rig: PcscRig, virtual_card: VirtualEmvCard,
                                               store: AppContext) -> None:
    bench = DeviceBench(store, DriverLab())
    assert bench.reader_status().words == "카드 있음"
    read = bench.read_card(5)
    assert read.ok, read
    assert read.detail.splitlines()[:2] == ["IC · MASTER · 536510******0006",
                                            "ATR 3B6800000073C84000009000"]
    assert "5365101234560006" not in repr(read)


def test_doctor_passes_the_reader_through_pcscd(pcsc_rig: PcscRig, virtual_card: VirtualEmvCard,
                                                tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[devices]\ncard_reader = "pcsc"\n', encoding="utf-8")
    env: dict[str, Any] = {**os.environ, **pcsc_rig.env, "KSPOS_DATA_DIR": str(tmp_path / "d"),
                           "KSPOS_CONFIG": str(config), "XDG_CONFIG_HOME": str(tmp_path / "x")}
    done = subprocess.run([KSPOS, "doctor", "--json"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert checks["card_reader"]["ok"] and pcsc_rig.reader_name in checks["card_reader"]["detail"]
