"""`kspos doctor` as a technician runs it (subprocesses with a config file): everything up
(simulated devices, a pty card reader, the VAN simulator on loopback), and each thing down
with its reason: a closed printer port, no pcscd, an unreachable VAN, a corrupt or newer
database, a bad config."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator
from kspos.van.simulator import SimulatorThread
from tests.conftest import ROOT

KSPOS = str(Path(sys.executable).parent / "kspos")
PAN = "5365101234560006"


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kspos.store import Database

    path = tmp_path_factory.mktemp("store") / "kspos.sqlite3"
    Database(path).open().close()
    return path


@pytest.fixture(scope="module")
def van() -> Iterator[SimulatorThread]:
    sim = SimulatorThread(host="127.0.0.1", port=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def reader() -> Iterator[ReaderEmulator]:
    emulator = ReaderEmulator.on_pty(EmulatorOptions(track2=f"{PAN}=3012101")).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def store(tmp_path: Path, migrated: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(migrated, data / "kspos.sqlite3")
    return data


def write_config(tmp_path: Path, **devices: str) -> Path:
    van = devices.pop("van")
    lines = ["# counter 1", "[devices]"]
    lines += [f'{key} = "{value}"' for key, value in devices.items()]
    lines += ["", "[van]", f'spec = "{van}"', 'tid = "DPT0TEST03"', "connect_timeout_s = 2",
              "response_timeout_s = 3", ""]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def doctor(tmp_path: Path, config: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KSPOS_DATA_DIR": str(data), "KSPOS_CONFIG": str(config),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
           # no pcscd for this process, whatever runs on the machine (tests/pcsc_rig.py)
           "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd" / "pcscd.comm")}
    return subprocess.run([KSPOS, "doctor", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def checks_of(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    report = json.loads(done.stdout)
    return {c["name"]: c for c in report["checks"]}


def test_everything_up_passes_and_writes_a_bundle(tmp_path: Path, store: Path,
                                                  van: SimulatorThread,
                                                  reader: ReaderEmulator) -> None:
    config = write_config(tmp_path, printer="sim", card_reader=f"serial:{reader.path}",
                          scanner="sim", van=f"tcp:127.0.0.1:{van.port}")
    (store / "logs").mkdir()
    (store / "logs" / "kspos.log").write_text(f"card {PAN} read\n", encoding="utf-8")
    bundle = tmp_path / "diag.zip"
    done = doctor(tmp_path, config, store, "--json", "--bundle", str(bundle))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    checks = checks_of(done)
    assert set(checks) == {"config", "database", "printer", "card_reader", "scanner", "van",
                           "van.reversals"}
    assert all(c["ok"] for c in checks.values())
    assert "KSPOS-EMU" in checks["card_reader"]["detail"]
    assert "0810 0000" in checks["van"]["detail"]
    assert "integrity ok" in checks["database"]["detail"]
    assert "S" in reader.received
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        assert {"config.toml", "versions.json", "doctor.json", "devices.json",
                "logs/kspos.log"} <= names
        assert json.loads(archive.read("doctor.json"))["ok"] is True
        assert PAN not in archive.read("logs/kspos.log").decode()
        assert f"serial:{reader.path}" in archive.read("config.toml").decode()
        assert json.loads(archive.read("versions.json"))["qt"]


def test_each_thing_down_fails_with_its_reason(tmp_path: Path, store: Path) -> None:
    printer_port, van_port = closed_port(), closed_port()
    config = write_config(tmp_path, printer=f"tcp:127.0.0.1:{printer_port}",
                          card_reader="pcsc", scanner="serial:/dev/kspos-no-such-scanner",
                          van=f"tcp:127.0.0.1:{van_port}")
    (store / "kspos.sqlite3").write_bytes(b"garbage, not SQLite" * 200)
    done = doctor(tmp_path, config, store)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = {line.split()[1]: line for line in done.stdout.splitlines()[:-1]}
    assert lines["config"].startswith("ok")
    for name in ("database", "printer", "card_reader", "scanner", "van"):
        assert lines[name].startswith("FAIL"), lines[name]
    assert "corrupt database" in lines["database"]
    assert f"127.0.0.1:{printer_port}" in lines["printer"] and "refused" in lines["printer"]
    assert "pcscd is not running" in lines["card_reader"]
    assert "kspos-no-such-scanner" in lines["scanner"]
    assert f"cannot reach the VAN host 127.0.0.1:{van_port}" in lines["van"]
    assert done.stdout.splitlines()[-1] == "1 of 6 checks passed; 5 failed"
    assert "Traceback" not in done.stderr


def test_a_newer_database_alone_fails_the_run(tmp_path: Path, store: Path,
                                              van: SimulatorThread) -> None:
    with sqlite3.connect(store / "kspos.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    config = write_config(tmp_path, printer="sim", card_reader="sim", scanner="hid",
                          van=f"tcp:127.0.0.1:{van.port}")
    done = doctor(tmp_path, config, store, "--json")
    assert done.returncode == 1
    checks = checks_of(done)
    assert [name for name, c in checks.items() if not c["ok"]] == ["database"]
    assert "newer KSPOS#" in checks["database"]["detail"]
    assert checks["van"]["ok"]  # the network test still ran (on a throwaway journal)


def test_a_bad_config_is_a_failed_check_with_file_line_and_key(tmp_path: Path,
                                                               store: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[devices]\nprinter = "sim"\ncard_reader = "usb:1:2"\n', encoding="utf-8")
    bundle = tmp_path / "diag.zip"
    done = doctor(tmp_path, config, store, "--json", "--bundle", str(bundle))
    assert done.returncode == 1
    checks = checks_of(done)
    assert not checks["config"]["ok"]
    with zipfile.ZipFile(bundle) as archive:  # support sees the file that was refused
        assert 'card_reader = "usb:1:2"' in archive.read("config.toml").decode()
    assert f"{config}:3" in checks["config"]["detail"]
    assert "devices.card_reader" in checks["config"]["detail"]
    assert checks["database"]["ok"]
    assert not checks["printer"]["ok"] and "config" in checks["printer"]["detail"]
