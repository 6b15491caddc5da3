"""`kspos device read-card | scan | list` run as a technician would (subprocesses), with the
reader emulator on a pty: exit codes, JSON fields, and never a full card number."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator
from tests.conftest import ROOT

KSPOS = str(Path(sys.executable).parent / "kspos")
PAN = "5365101234560006"


def kspos(args: list[str], tmp_path: Path, stdin: str | None = None,
          timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KSPOS_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([KSPOS, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=timeout, check=False)


@pytest.fixture
def emulator() -> Iterator[ReaderEmulator]:
    emu = ReaderEmulator.on_pty(EmulatorOptions(track2=f"{PAN}=3012101", card_delay_s=0.2,
                                                noise=True)).start()
    yield emu
    emu.stop()


def test_read_card_json_through_the_emulator(emulator: ReaderEmulator, tmp_path: Path) -> None:
    done = kspos(["device", "read-card", "--reader", f"serial:{emulator.path}", "--json"],
                 tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {k: out[k] for k in ("entry_mode", "masked_pan", "bin", "brand")} == \
        {"entry_mode": "I", "masked_pan": "536510******0006", "bin": "536510",
         "brand": "MASTER"}
    assert out["reader"] == f"serial:{emulator.path}"
    assert PAN not in done.stdout + done.stderr and "=3012" not in done.stdout


def test_read_card_with_the_emulator_as_a_program(tmp_path: Path) -> None:
    program = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim.reader_emulator", "--pty", "--card", PAN,
         "--card-delay", "0.1", "--noise", "--nak", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert program.stdout is not None
        path = program.stdout.readline().strip()
        assert path.startswith("/dev/")
        done = kspos(["device", "read-card", "--reader", f"serial:{path}?baudrate=38400"],
                     tmp_path)
    finally:
        program.terminate()  # by PID: the emulator this test started
        program.wait(timeout=5)
    assert done.returncode == 0, done.stderr
    assert "536510******0006" in done.stdout and "MASTER" in done.stdout
    assert PAN not in done.stdout + done.stderr


def test_no_card_in_time_exits_1(tmp_path: Path) -> None:
    emu = ReaderEmulator.on_pty(EmulatorOptions(card_delay_s=-1)).start()
    try:
        done = kspos(["device", "read-card", "--reader", f"serial:{emu.path}", "--timeout", "1",
                      "--json"], tmp_path)
    finally:
        emu.stop()
    assert done.returncode == 1
    assert json.loads(done.stdout)["result"] == "timed_out"


def test_a_silent_reader_exits_1_with_one_line(tmp_path: Path) -> None:
    emu = ReaderEmulator.on_pty(EmulatorOptions(silent=True)).start()
    try:
        done = kspos(["device", "read-card", "--reader", f"serial:{emu.path}"], tmp_path)
    finally:
        emu.stop()
    assert done.returncode == 1
    assert "응답 없음" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("spec", ["bogus:1", "serial:", "pcsc-x"])
def test_a_bad_reader_spec_exits_2(spec: str, tmp_path: Path) -> None:
    done = kspos(["device", "read-card", "--reader", spec], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_scan_from_a_serial_scanner_classifies_the_code(tmp_path: Path) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    stop = threading.Event()

    def scanner() -> None:  # keep scanning until kspos has the port open and reads a line
        while not stop.wait(0.2):
            os.write(master, b"2810061234567890\r\n")

    threading.Thread(target=scanner, daemon=True).start()
    try:
        done = kspos(["device", "scan", "--scanner", f"serial:{path}", "--json",
                      "--timeout", "5"], tmp_path)
    finally:
        stop.set()
        time.sleep(0.05)
        os.close(master)
        os.close(slave)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"kind": "payment", "wallet": "KAKA",
                                       "value": "2810061234567890",
                                       "scanner": f"serial:{path}"}


def test_scan_from_a_keyboard_wedge_reads_the_typed_line(tmp_path: Path) -> None:
    done = kspos(["device", "scan", "--scanner", "hid", "--json", "--timeout", "5"], tmp_path,
                 stdin="8801234567893\n")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["kind"], out["wallet"], out["value"]) == ("product", None, "8801234567893")
    unknown = kspos(["device", "scan", "--scanner", "hid"], tmp_path, stdin="hello\n")
    assert unknown.returncode == 0 and unknown.stdout.strip() == "unknown: hello"


def test_scan_timeouts_and_bad_specs(tmp_path: Path) -> None:
    quiet = kspos(["device", "scan", "--scanner", "hid", "--timeout", "0.3"], tmp_path,
                  stdin=None)
    assert quiet.returncode == 1
    assert kspos(["device", "scan", "--scanner", "usb:1:2"], tmp_path).returncode == 2


def test_device_list_reports_every_device_without_crashing(emulator: ReaderEmulator,
                                                           tmp_path: Path) -> None:
    config = tmp_path / "kspos.toml"
    config.write_text(f'[devices]\ncard_reader = "serial:{emulator.path}"\n'
                      'scanner = "serial:/dev/no-such-scanner"\n', encoding="utf-8")
    done = kspos(["--config", str(config), "device", "list", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    devices = {d["kind"]: d for d in listing["devices"]}
    assert devices["card_reader"]["status"] == "ready"
    assert "KSPOS-EMU" in devices["card_reader"]["detail"]
    assert devices["scanner"]["status"] == "unavailable"
    assert "/dev/no-such-scanner" in devices["scanner"]["detail"]
    assert isinstance(listing["serial_ports"], list)
    assert listing["pcsc"]["status"] in ("ok", "unavailable")
    text = kspos(["--config", str(config), "device", "list"], tmp_path)
    assert text.returncode == 0 and "card_reader" in text.stdout
