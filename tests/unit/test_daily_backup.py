"""The daily automatic backup: [backup] folder and keep, at the first start of a day and after
Z 마감, off the caller's thread, a failure a warning."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kspos.config import ConfigError, demo_settings, parse_config
from kspos.store import Database
from kspos.store.backup import BackupError, daily_backup


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_days_backup_is_taken_once_and_only_the_newest_are_kept(db: Database,
                                                                   tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "notes.txt").write_text("the owner's file")  # not ours: never removed
    for day in range(1, 6):
        daily_backup(db.path, usb, keep=3, today=date(2026, 12, day))
    assert _names(usb) == ["kspos-2026-12-03.sqlite3", "kspos-2026-12-04.sqlite3",
                           "kspos-2026-12-05.sqlite3", "notes.txt"]
    again = daily_backup(db.path, usb, keep=3, today=date(2026, 12, 5))
    assert not again.written  # a second start the same day leaves the morning's copy
    with sqlite3.connect(usb / "kspos-2026-12-05.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_after_z_close_the_days_backup_is_taken_again(db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    daily_backup(db.path, usb, keep=3, today=date(2026, 12, 5))
    db.write("INSERT INTO staff (name, role, pin_hash, active) VALUES ('마감후', 'cashier', 'x', 1)")
    closed = daily_backup(db.path, usb, keep=3, today=date(2026, 12, 5), replace=True)
    assert closed.written
    with sqlite3.connect(closed.path) as conn:
        assert ("마감후",) in conn.execute("SELECT name FROM staff").fetchall()


def test_a_missing_usb_stick_is_reported_not_replaced_by_a_local_folder(db: Database,
                                                                        tmp_path: Path) -> None:
    usb = tmp_path / "media" / "usb" / "kspos"
    with pytest.raises(BackupError, match="USB"):
        daily_backup(db.path, usb, keep=14, today=date(2026, 12, 5))
    assert not usb.exists()


def test_the_backup_section_of_the_config(tmp_path: Path) -> None:
    sections = parse_config('[backup]\nfolder = "/media/usb/kspos"\nkeep = 30\n', "c.toml")
    assert sections["backup"] == {"folder": "/media/usb/kspos", "keep": 30}
    assert demo_settings(tmp_path).backup.folder == ""  # no folder: no automatic backup
    assert demo_settings(tmp_path).backup.keep == 14
    with pytest.raises(ConfigError, match=r"c.toml:2 \[backup.keep\]"):
        parse_config('[backup]\nkeep = 0\n', "c.toml")
    with pytest.raises(ConfigError, match=r"\[backup.folder\].*absolute"):
        parse_config('[backup]\nfolder = "usb/kspos"\n', "c.toml")


def _context(data_dir: Path, folder: Path) -> object:
    import dataclasses

    from kspos.config import BackupSettings
    from kspos.context import AppContext
    from kspos.ports import Devices

    settings = dataclasses.replace(demo_settings(data_dir),
                                   backup=BackupSettings(folder=str(folder), keep=2))
    return AppContext.create(settings, Database(settings.db_path).open(), Devices(),
                             start_workers=False)


def test_the_store_backs_up_in_the_background_at_start(data_dir: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    context = _context(data_dir, usb)
    try:
        thread = context.start_backup()  # type: ignore[attr-defined]
        assert thread is not None and thread.name == "daily-backup"
        thread.join(30)
        assert _names(usb) == [f"kspos-{date.today().isoformat()}.sqlite3"]
        assert context.backup_warning is None  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]


def test_a_failed_backup_is_a_logged_warning(data_dir: Path, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    context = _context(data_dir, tmp_path / "not-plugged-in")
    try:
        with caplog.at_level(logging.WARNING):
            thread = context.start_backup(after_close=True)  # type: ignore[attr-defined]
            assert thread is not None
            thread.join(30)
        warning = context.backup_warning  # type: ignore[attr-defined]
        assert warning and "not-plugged-in" in warning
        assert any(r.levelno == logging.WARNING and "backup" in r.getMessage()
                   for r in caplog.records)
    finally:
        context.close()  # type: ignore[attr-defined]


def test_a_half_copy_left_by_a_killed_backup_is_cleared_by_the_next(db: Database,
                                                                   tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    name = "kspos-2026-12-05.sqlite3"
    dead = usb / f".{name}.999999999.tmp"  # no such process
    dead.write_bytes(b"half a copy")
    busy = usb / f".{name}.1.tmp"  # a live process (init) may still be writing it
    busy.write_bytes(b"being written")
    daily_backup(db.path, usb, keep=3, today=date(2026, 12, 5))
    assert not dead.exists() and busy.exists()
