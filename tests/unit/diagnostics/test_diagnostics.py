"""The doctor's checks model, the database check, the bundle, and the device bench's words."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kspos.config import Settings, demo_settings
from kspos.devices.traffic import TX, TrafficMonitor
from kspos.diagnostics import Check, Report
from kspos.diagnostics.bundle import redact_config, write_bundle
from kspos.diagnostics.checks import Probe, check_database, run_probes
from kspos.diagnostics.device_test import device_error, printer_outcome
from kspos.ports import DeviceError, DeviceUnavailable, PrinterStatus
from tests.conftest import ROOT


def test_a_report_fails_when_any_check_fails_and_says_why() -> None:
    report = Report((Check("database", True, "ok"), Check("printer", False, "paper out")))
    assert not report.ok and [c.name for c in report.failed] == ["printer"]
    assert report.lines()[1].startswith("FAIL  printer") and "paper out" in report.lines()[1]
    assert report.lines()[-1] == "1 of 2 checks passed; 1 failed"
    assert json.loads(json.dumps(report.to_json()))["checks"][1] == \
        {"name": "printer", "ok": False, "detail": "paper out"}


def test_probes_run_at_once_and_a_hung_or_crashing_one_is_a_failed_check() -> None:
    def hang() -> Check:
        time.sleep(5)
        return Check("hang", True)

    def crash() -> Check:
        raise RuntimeError("driver exploded\nwith a second line")

    started = time.monotonic()
    checks = run_probes([Probe("hang", hang, 0.3), Probe("crash", crash, 1),
                         Probe("fine", lambda: Check("fine", True, "yes"), 1)])
    assert time.monotonic() - started < 2
    assert checks[0] == Check("hang", False, "no answer within 0.3 s (hung)")
    assert checks[1] == Check("crash", False, "RuntimeError: driver exploded")
    assert checks[2].ok


def test_the_database_check_reads_integrity_and_the_head(fast_db: object, data_dir: Path) -> None:
    check = check_database(demo_settings(data_dir))
    assert check.ok and "integrity ok" in check.detail and "(head)" in check.detail


def test_no_database_yet_is_not_a_failure(data_dir: Path) -> None:
    check = check_database(demo_settings(data_dir))
    assert check.ok and "no database yet" in check.detail


def test_a_corrupt_or_newer_database_fails_with_the_reason(data_dir: Path,
                                                         migrated_template: Path) -> None:
    settings = demo_settings(data_dir)
    settings.db_path.write_bytes(b"this is not a database" * 100)
    corrupt = check_database(settings)
    assert not corrupt.ok and "corrupt" in corrupt.detail and "\n" not in corrupt.detail
    shutil.copyfile(migrated_template, settings.db_path)
    with sqlite3.connect(settings.db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    newer = check_database(settings)
    assert not newer.ok and "newer KSPOS#" in newer.detail
    with sqlite3.connect(settings.db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001_core'")
    behind = check_database(settings)
    assert not behind.ok and "kspos db upgrade" in behind.detail


def test_the_config_in_a_bundle_has_secret_looking_values_removed() -> None:
    text = ('[van]\ntid = "DPT0TEST03"\napi_key = "abc"  # from the VAN\n'
            'owner_pin = "1234"\nPassword="x"\nnote = "card 4111111111111111"\n')
    redacted = redact_config(text)
    assert 'tid = "DPT0TEST03"' in redacted
    assert 'api_key = "<removed>"' in redacted and "abc" not in redacted
    assert '"1234"' not in redacted and '"x"' not in redacted
    assert "4111111111111111" not in redacted and "411111******1111" in redacted


def test_a_bundle_holds_config_logs_masked_versions_devices_and_traffic(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", demo=False, path=tmp_path / "config.toml")
    settings.path.write_text('[devices]\nprinter = "sim"\n', encoding="utf-8")  # type: ignore[union-attr]
    logs = settings.log_dir
    logs.mkdir(parents=True)
    (logs / "kspos.log").write_text("read card 5365101234560006 ok\n", encoding="utf-8")
    (logs / "kspos.log.1").write_text("older line\n", encoding="utf-8")
    monitor = TrafficMonitor()
    monitor.record("printer", TX, b"\x1b@hello")
    report = Report((Check("printer", True, "sim: ready"),))
    out = write_bundle(tmp_path / "out" / "diag.zip", settings, report=report,
                       device_list={"devices": [{"kind": "printer", "spec": "sim"}]},
                       traffic=monitor.since(0))
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {"config.toml", "versions.json", "about.json", "doctor.json", "doctor.txt",
                "devices.json", "traffic.txt", "logs/kspos.log", "logs/kspos.log.1"} <= names
        log = archive.read("logs/kspos.log").decode()
        assert "5365101234560006" not in log and "536510******0006" in log
        versions = json.loads(archive.read("versions.json"))
        assert versions["python"] and versions["qt"] and "pyscard" in versions["packages"]
        assert "pcscd" in versions and "socket_present" in versions["pcscd"]
        assert 'printer = "sim"' in archive.read("config.toml").decode()
        assert "1B 40 68" in archive.read("traffic.txt").decode()
    assert [p.name for p in out.parent.iterdir()] == ["diag.zip"]


def test_reading_versions_does_not_import_qt() -> None:
    code = ("import sys; from kspos.diagnostics.bundle import versions; v = versions(); "
            "assert v['qt'], v; print('PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(("status", "words", "level"), [
    (PrinterStatus(paper_out=True, detail="용지 없음 (paper out)"), "용지 없음", "bad"),
    (PrinterStatus(cover_open=True), "덮개 열림", "bad"),
    (PrinterStatus(online=False, detail="connection refused"), "오프라인", "bad"),
    (PrinterStatus(paper_near_end=True), "용지 부족", "warn"),
    (PrinterStatus(known=False), "연결됨 (상태 응답 없음)", "warn"),
    (PrinterStatus(), "연결됨", "ok"),
])
def test_printer_status_words(status: PrinterStatus, words: str, level: str) -> None:
    outcome = printer_outcome(status)
    assert (outcome.words, outcome.level) == (words, level)


def test_device_errors_become_words_a_technician_knows() -> None:
    from drivers.cardreader.pcsc import NO_PYSCARD, NO_READER, NO_SERVICE

    assert device_error(DeviceUnavailable(NO_SERVICE)).words == "pcscd 없음"
    assert device_error(DeviceUnavailable(NO_PYSCARD)).words == "pyscard 없음"
    assert device_error(DeviceUnavailable(NO_READER)).words == "리더기 없음"
    assert device_error(DeviceUnavailable("cannot open /dev/ttyUSB9")).words == "연결 안 됨"
    assert device_error(DeviceError("리더기 응답 없음")).words == "응답 없음"


def test_a_missing_pyscard_is_a_failed_check_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from drivers.doctor import check_reader

    monkeypatch.setitem(sys.modules, "smartcard", None)  # `import smartcard...` now fails
    monkeypatch.setitem(sys.modules, "smartcard.scard", None)
    check = check_reader("pcsc")
    assert not check.ok and "pyscard is not installed" in check.detail


def test_the_doctor_names_the_store_and_the_terminal(tmp_path: Path) -> None:
    from kspos.config import StoreSettings
    from kspos.diagnostics.checks import describe_settings

    assert "store S0001, POS 01" in describe_settings(demo_settings(tmp_path)).detail
    mine = Settings(store=StoreSettings(code="B12", terminal="07"), path=tmp_path / "c.toml",
                    demo=False, data_dir=tmp_path)
    assert "store B12, POS 07" in describe_settings(mine).detail
