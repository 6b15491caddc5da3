"""Copies of the store: ``kspos db backup``, ``kspos db restore`` and the daily backup.

A backup never harms what it should not touch: the live database (and its ``-wal``/``-shm``,
by any path or link), a device, a FIFO or a folder is refused; the copy is written to a
temporary file beside the target and renamed over it only when whole, so a copy that does
not fit leaves yesterday's backup as it was. A backup is one self-contained file (rollback
journal, not WAL), so it can be carried on a USB stick and checked anywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kspos.store.db import BUSY_TIMEOUT_MS, StoreError, _on_connect, known_revisions
from kspos.store.lock import open_lock, processes_holding

SQLITE_HEADER = b"SQLite format 3\x00"
DAILY_NAME = re.compile(r"^kspos-\d{4}-\d{2}-\d{2}\.sqlite3$")


class BackupError(StoreError):
    """A backup or restore that was refused or failed; nothing was replaced."""


def _companions(db_path: Path) -> list[str]:
    """The real paths of the database and every file SQLite or KSPOS# keeps beside it."""
    real = os.path.realpath(db_path)
    return [real + suffix for suffix in ("", "-wal", "-shm", "-journal", ".lock")]


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def checked_target(db_path: Path, dest: Path) -> Path:
    """Where a backup of ``db_path`` may be written for ``dest``: its real path (a link is
    followed, so the link stays), refused if it is the store itself or not a regular file."""
    real = os.path.realpath(dest)
    if any(real == p or _same_file(real, p) for p in _companions(db_path)):
        raise BackupError(f"백업할 수 없습니다 (cannot back up to {dest}): it is the live "
                          "database itself; choose another file")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return Path(real)
    except OSError as exc:
        raise BackupError(f"백업할 수 없습니다 (cannot back up to {dest}): "
                          f"{exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise BackupError(f"백업할 수 없습니다 (cannot back up to {dest}): not a regular file "
                          "(a device, FIFO or folder); give a new file name")
    return Path(real)


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "no space left"
    if "full" in text or "disk i/o" in text or "no space" in text:
        return "no space left (or the medium failed)"
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _remove_stale_temps(target: Path) -> None:
    """Temporary copies left by a process killed half-way (their pid is gone)."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.tmp(-journal)?$")
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            found = pattern.match(entry.name)
            if found and not _alive(int(found[1])):
                _remove_quietly(entry)


def copy_into(source: sqlite3.Connection, target: Path, what: str) -> None:
    """Copy the database behind ``source`` into ``target``: a temporary file beside it,
    fsynced, then renamed over it. ``what`` names the target in the message."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    journal = temp.with_name(temp.name + "-journal")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        _remove_quietly(temp, journal)
        out = sqlite3.connect(temp)
        try:
            # all pages in one step: a stepped copy restarts whenever a sale commits, and a
            # reader under WAL never blocks a writer, so one step never holds up the counter
            source.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal to carry along
        finally:
            out.close()
        _fsync(temp)
        os.replace(temp, target)
        _fsync(target.parent, directory=True)
    except (sqlite3.Error, OSError) as exc:
        _remove_quietly(temp, journal)
        raise BackupError(f"백업하지 못했습니다 (backup failed): {what}: {_reason(exc)}; "
                          "nothing was replaced") from None


def _connect(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    _on_connect(conn, None)
    return conn


def backup_database(db_path: Path, dest: Path) -> Path:
    """A consistent copy of the store at ``db_path`` into ``dest``; returns the file written."""
    if not db_path.is_file():
        raise BackupError(f"no database at {db_path}")
    target = checked_target(db_path, dest)
    source = _connect(db_path)
    try:
        copy_into(source, target, str(dest))
    finally:
        source.close()
    return target


# --- restore ---------------------------------------------------------------------------------


def _open_readonly(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:  # a WAL file on read-only media: read it as it lies
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def _checked_source(db_path: Path, file: Path) -> None:
    if any(_same_file(str(file), p) for p in _companions(db_path)):
        raise BackupError(f"{file} is the live database itself: give a backup file")
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):  # before open(): a FIFO would block
            raise BackupError(f"{file} is not a regular file")
        with open(file, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"cannot read {file}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"{file} is not an SQLite database file")


def check_copy(copy: Path, file: Path) -> str:
    """The schema revision of a restored copy, after its checks (integrity, a KSPOS# schema
    this build knows); BackupError if any fails."""
    conn = sqlite3.connect(copy)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            raise BackupError(f"{file} is damaged (integrity check: {rows[0][0]}); "
                              "not restored")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "sale_order", "payment"} <= names:
            raise BackupError(f"{file} is not a KSPOS# database; not restored")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{file} is damaged ({exc}); not restored") from None
    finally:
        conn.close()
    known, head = known_revisions()
    revision = str(row[0]) if row else ""
    if revision not in known:
        raise BackupError(f"{file} was written by a newer KSPOS# (schema {revision or 'none'}); "
                          f"this version knows up to {head}; not restored")
    return revision


@dataclass(frozen=True)
class Restored:
    revision: str
    kept: Path | None  # the database that was replaced, set aside


def _set_aside(db_path: Path, stamp: str) -> Path | None:
    """Keep the current store as a timestamped copy, then empty its WAL so nothing of it can
    be replayed onto the restored file."""
    if not db_path.exists():
        return None
    kept = backup_database(db_path, db_path.with_name(f"{db_path.name}.before-restore-{stamp}"))
    conn = _connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise BackupError(f"{db_path}: its journal could not be emptied; not restored "
                          f"(the current store is kept as {kept.name})")
    _remove_quietly(wal, db_path.with_name(db_path.name + "-shm"))
    return kept


def restore_database(db_path: Path, file: Path, now: datetime | None = None) -> Restored:
    """Put the backup ``file`` back as the store at ``db_path``, keeping the current one.

    The file is copied beside the store and checked there (SQLite integrity, a KSPOS# schema
    not newer than this build); the swap needs every other KSPOS# process to have closed the
    store (:mod:`kspos.store.lock`)."""
    _checked_source(db_path, file)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    copy = db_path.with_name(f".{db_path.name}.restore.{os.getpid()}")
    try:
        source = _open_readonly(file)
        try:
            copy_into(source, copy, str(copy))
        finally:
            source.close()
        revision = check_copy(copy, file)
        lock = open_lock(db_path)
        if not lock.acquire(exclusive=True):
            raise BackupError("데이터베이스가 사용 중입니다 (database in use): close KSPOS# "
                              "and any kspos command on this store first; nothing was changed")
        try:
            holders = processes_holding(_companions(db_path)[:3])
            if holders:
                raise BackupError(
                    "데이터베이스가 사용 중입니다 (database in use): process "
                    f"{', '.join(map(str, holders))} has {db_path.name} open; close it "
                    "first; nothing was changed")
            kept = _set_aside(db_path, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"))
            os.replace(copy, db_path)
            _fsync(db_path.parent, directory=True)
        finally:
            lock.release()
    finally:
        _remove_quietly(copy)
    return Restored(revision, kept)


# --- the daily backup -----------------------------------------------------------------------


@dataclass
class DailyBackup:
    """What one daily backup did."""

    path: Path
    written: bool  # False: today's backup was already there
    removed: list[Path] = field(default_factory=list)


def daily_backup(db_path: Path, folder: Path, keep: int, today: date,
                 replace: bool = False) -> DailyBackup:
    """Today's ``kspos-YYYY-MM-DD.sqlite3`` in ``folder`` (a USB stick), then only the newest
    ``keep`` of them are kept. ``replace`` False (a start-up) leaves a backup already taken
    today; True (after Z 마감) writes it again so it holds the closed day.

    The folder must exist: a stick that is not plugged in is reported, never replaced by a
    folder on the local disk."""
    if not folder.is_dir():
        raise BackupError(f"백업 폴더가 없습니다 (backup folder not found): {folder}; "
                          "is the USB stick plugged in?")
    target = folder / f"kspos-{today.isoformat()}.sqlite3"
    written = replace or not target.exists()
    if written:
        backup_database(db_path, target)
    dailies = sorted(p for p in folder.iterdir() if DAILY_NAME.match(p.name))
    removed = dailies[:-keep] if keep > 0 else []
    for old in removed:
        _remove_quietly(old)
    return DailyBackup(target, written, removed)
