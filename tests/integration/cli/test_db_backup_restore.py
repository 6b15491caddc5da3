"""`kspos db backup` never harms the store or a file it should not touch; `kspos db restore`
checks what it puts back and keeps what it replaces."""

from __future__ import annotations

import os
import resource
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.integration.cli.test_cli_contract import KSPOS, run


def _staff(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM staff ORDER BY id")]


def _add_staff(db: Path, name: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO staff (name, role, pin_hash, active) VALUES (?, 'cashier', "
                     "'x', 1)", (name,))
    conn.close()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A data dir whose store has one extra staff member, 이수진."""
    assert run("db", "upgrade", data_dir=tmp_path).returncode == 0
    _add_staff(tmp_path / "kspos.sqlite3", "이수진")
    return tmp_path


def _refused(result: object) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return str(err)


def test_backup_onto_the_live_database_is_refused_and_the_store_kept(store: Path) -> None:
    db = store / "kspos.sqlite3"
    err = _refused(run("db", "backup", str(db), data_dir=store))
    assert "live database" in err
    assert "이수진" in _staff(db)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", ""])
def test_backup_through_a_link_to_the_database_or_its_wal_is_refused(store: Path,
                                                                      suffix: str) -> None:
    db = store / "kspos.sqlite3"
    link = store / "elsewhere" / "copy.sqlite3"
    link.parent.mkdir()
    link.symlink_to(f"{db}{suffix}")
    _refused(run("db", "backup", str(link), data_dir=store))
    assert link.is_symlink() and "이수진" in _staff(db)
    # a relative path with dot-dots to the same file is refused as well
    _refused(run("db", "backup", str(store / "elsewhere" / ".." / "kspos.sqlite3"),
                 data_dir=store))


def test_backup_onto_a_hard_link_of_the_database_is_refused(store: Path) -> None:
    db = store / "kspos.sqlite3"
    twin = store / "twin.sqlite3"
    os.link(db, twin)
    _refused(run("db", "backup", str(twin), data_dir=store))
    assert "이수진" in _staff(db)


def test_backup_onto_a_fifo_or_a_device_leaves_the_node_alone(store: Path) -> None:
    fifo = store / "pipe"
    os.mkfifo(fifo)
    err = _refused(run("db", "backup", str(fifo), data_dir=store))
    assert "regular file" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    device = store / "null-link"  # a link to a character device, like /dev/full
    device.symlink_to("/dev/null")
    _refused(run("db", "backup", str(device), data_dir=store))
    assert device.is_symlink() and stat.S_ISCHR(os.stat(device).st_mode)
    folder = store / "a-folder"
    folder.mkdir()
    _refused(run("db", "backup", str(folder), data_dir=store))


def _limit_file_size() -> None:  # runs in the child: files may not grow past 64 KB (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_backup_that_does_not_fit_keeps_the_old_backup(store: Path) -> None:
    import subprocess

    old = store / "usb" / "kspos-backup.sqlite3"
    old.parent.mkdir()
    old.write_bytes(b"yesterday's backup")
    env = dict(os.environ, KSPOS_DATA_DIR=str(store), XDG_CONFIG_HOME=str(store / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    result = subprocess.run([*KSPOS, "db", "backup", str(old)], env=env, capture_output=True,
                            text=True, timeout=60, preexec_fn=_limit_file_size)
    err = _refused(result)
    assert str(old) in err
    assert old.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in old.parent.iterdir()) == ["kspos-backup.sqlite3"]


def test_backup_replaces_an_older_backup_whole(store: Path) -> None:
    target = store / "usb" / "kspos-backup.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"yesterday's backup")
    result = run("db", "backup", str(target), data_dir=store)
    assert result.returncode == 0, result.stderr
    assert "이수진" in _staff(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["kspos-backup.sqlite3"]
    with sqlite3.connect(target) as conn:  # one self-contained file (no -wal needed)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_restore_puts_a_backup_back_and_keeps_the_replaced_store(store: Path) -> None:
    db = store / "kspos.sqlite3"
    backup = store / "usb" / "monday.sqlite3"
    assert run("db", "backup", str(backup), data_dir=store).returncode == 0
    _add_staff(db, "최신입")  # after the backup: gone after the restore, but kept aside
    result = run("db", "restore", str(backup), data_dir=store)
    assert result.returncode == 0, result.stderr
    assert "최신입" not in _staff(db) and "이수진" in _staff(db)
    kept = [p for p in store.iterdir() if p.name.startswith("kspos.sqlite3.before-restore-")]
    assert len(kept) == 1 and "최신입" in _staff(kept[0])
    assert str(kept[0].name) in result.stdout
    assert run("db", "check", data_dir=store).returncode == 0


def test_restore_refuses_what_is_not_a_kspos_database(store: Path) -> None:
    db = store / "kspos.sqlite3"
    junk = store / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 300)
    assert "SQLite" in _refused(run("db", "restore", str(junk), data_dir=store))
    other = store / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    assert "KSPOS#" in _refused(run("db", "restore", str(other), data_dir=store))
    _refused(run("db", "restore", str(store / "missing.sqlite3"), data_dir=store))
    _refused(run("db", "restore", str(db), data_dir=store))
    assert "이수진" in _staff(db)
    assert not [p for p in store.iterdir() if "restore" in p.name]


def test_restore_refuses_a_backup_from_a_newer_kspos(store: Path) -> None:
    newer = store / "newer.sqlite3"
    assert run("db", "backup", str(newer), data_dir=store).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    assert "newer" in _refused(run("db", "restore", str(newer), data_dir=store))
    assert "이수진" in _staff(store / "kspos.sqlite3")


def test_restore_refuses_a_damaged_backup(store: Path) -> None:
    damaged = store / "damaged.sqlite3"
    assert run("db", "backup", str(damaged), data_dir=store).returncode == 0
    data = bytearray(damaged.read_bytes())
    page = 4096
    for n in range(2, len(data) // page):  # scribble over every page after the first two
        data[n * page + 8:n * page + 40] = b"\xff" * 32
    damaged.write_bytes(bytes(data))
    err = _refused(run("db", "restore", str(damaged), data_dir=store))
    assert "integrity" in err or "damaged" in err or "손상" in err
    assert "이수진" in _staff(store / "kspos.sqlite3")


def test_restore_refuses_while_kspos_has_the_store_open(store: Path) -> None:
    from kspos.store import Database

    backup = store / "b.sqlite3"
    assert run("db", "backup", str(backup), data_dir=store).returncode == 0
    database = Database(store / "kspos.sqlite3").open()
    try:
        err = _refused(run("db", "restore", str(backup), data_dir=store))
        assert "in use" in err or "사용 중" in err
    finally:
        database.close()
    assert run("db", "restore", str(backup), data_dir=store).returncode == 0


def test_restore_refuses_while_another_program_has_the_file_open(store: Path) -> None:
    """Not only KSPOS#: an older build, the sqlite3 shell or a DB browser holding the file."""
    backup = store / "b.sqlite3"
    assert run("db", "backup", str(backup), data_dir=store).returncode == 0
    other = sqlite3.connect(store / "kspos.sqlite3")  # this test process: not a KSPOS# lock
    try:
        assert other.execute("SELECT count(*) FROM staff").fetchone()[0] >= 1
        err = _refused(run("db", "restore", str(backup), data_dir=store))
        assert "in use" in err and str(os.getpid()) in err
    finally:
        other.close()
    assert run("db", "restore", str(backup), data_dir=store).returncode == 0
