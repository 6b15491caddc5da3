"""`kspos device read-card --reader pcsc` and `kspos device list` as a technician runs them,
through real pcscd: only the masked PAN ever leaves the process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.pcsc_rig import PcscRig, VirtualEmvCard

pytestmark = pytest.mark.pcsc
KSPOS = str(Path(sys.executable).parent / "kspos")


def kspos(args: list[str], env: dict[str, str], tmp_path: Path,
          timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {**env, "KSPOS_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}  # no config file: demo devices
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([KSPOS, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_read_card_json_prints_only_the_masked_pan(pcsc_rig: PcscRig,
                                                   virtual_card: VirtualEmvCard,
                                                   tmp_path: Path) -> None:
    done = kspos(["device", "read-card", "--reader", "pcsc", "--json", "--timeout", "5"],
                 pcsc_rig.env, tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["masked_pan"] == "536510******0006" and out["bin"] == "536510"
    assert (out["entry_mode"], out["brand"], out["reader"]) == \
        ("I", "MASTER", pcsc_rig.reader_name)
    assert out["atr"] == "3B6800000073C84000009000"
    everything = done.stdout + done.stderr
    assert "5365101234560006" not in everything and "3012" not in everything
    logs = tmp_path / "data" / "logs"
    for log in logs.glob("*.log*") if logs.exists() else []:
        assert "5365101234560006" not in log.read_text(errors="replace")


def test_read_card_text_output_and_no_card(pcsc_rig: PcscRig, tmp_path: Path) -> None:
    done = kspos(["device", "read-card", "--reader", "pcsc", "--timeout", "0.5"],
                 pcsc_rig.env, tmp_path)
    assert done.returncode == 1
    assert "no card" in done.stdout


def test_device_list_shows_the_pcsc_reader(pcsc_rig: PcscRig, tmp_path: Path) -> None:
    done = kspos(["device", "list", "--json"], pcsc_rig.env, tmp_path)
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    assert listing["pcsc"]["status"] == "ok"
    assert pcsc_rig.reader_name in listing["pcsc"]["readers"]


def test_without_pcscd_the_reader_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    env = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "nowhere" / "pcscd.comm")}
    done = kspos(["device", "read-card", "--reader", "pcsc", "--timeout", "1"], env, tmp_path)
    assert done.returncode == 1
    assert "pcscd is not running" in done.stderr and "Traceback" not in done.stderr
    listing = json.loads(kspos(["device", "list", "--json"], env, tmp_path).stdout)
    assert listing["pcsc"]["status"] == "unavailable"
