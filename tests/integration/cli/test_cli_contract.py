"""The `kspos` command as other programs see it: exit codes, one-line errors, shot, db."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

KSPOS = [str(Path(sys.executable).with_name("kspos"))]


def run(*args: str, data_dir: Path, config: Path | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KSPOS_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(data_dir / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    env.pop("DISPLAY", None)
    if config is not None:
        env["KSPOS_CONFIG"] = str(config)
    return subprocess.run([*KSPOS, *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("argv", [
    ["shot"], ["shot", "nowhere", "x.png"], ["van", "approve", "--amount", "x", "--card", "1"],
    ["report", "sales"], ["db"], ["device", "read-card", "--timeout", "-3"],
    ["demo-data", "--days", "-1", "--orders-per-day", "2"], ["no-such-command"],
    ["shot", "cashier", "x.png", "--size", "10x10"],
])
def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path, argv: list[str]) -> None:
    result = run(*argv, data_dir=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "error" in result.stderr


def test_a_broken_config_stops_with_file_line_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[devices]\nprinter = "parallel:1"\n', encoding="utf-8")
    result = run("db", "check", data_dir=tmp_path, config=config)
    assert result.returncode == 2
    assert f"{config}:2 [devices.printer]" in result.stderr and "Traceback" not in result.stderr


def test_shot_renders_a_png_offscreen(tmp_path: Path) -> None:
    out = tmp_path / "cashier.png"
    result = run("shot", "cashier", str(out), "--size", "1024x768", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    assert Image.open(out).size == (1024, 768)


def test_db_upgrade_check_backup(tmp_path: Path) -> None:
    assert run("db", "upgrade", data_dir=tmp_path).returncode == 0
    check = run("db", "check", data_dir=tmp_path)
    assert check.returncode == 0 and "integrity: ok" in check.stdout
    backup = tmp_path / "backup" / "copy.sqlite3"
    assert run("db", "backup", str(backup), data_dir=tmp_path).returncode == 0
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    assert run("db", "upgrade", data_dir=tmp_path).returncode == 0
    db = tmp_path / "kspos.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = run("shot", "cashier", str(tmp_path / "x.png"), data_dir=tmp_path)
    assert result.returncode == 1 and "newer KSPOS#" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.png").exists()


def test_a_corrupt_database_gets_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "kspos.sqlite3").write_bytes(b"this is not a database" * 100)
    result = run("db", "upgrade", data_dir=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "corrupt" in result.stderr or "손상" in result.stderr


def test_logging_goes_to_a_rotating_file_in_the_data_dir(tmp_path: Path) -> None:
    run("shot", "cashier", str(tmp_path / "x.png"), data_dir=tmp_path)
    log = tmp_path / "logs" / "kspos.log"
    assert log.exists() and "0001_core" in log.read_text(encoding="utf-8")
