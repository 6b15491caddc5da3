"""The SQLite store: pragmas, migrations to head, refusing a newer database, check, backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kspos.store import Database, DatabaseTooNew
from kspos.store.db import backup, check, known_revisions


def test_pragmas_on_every_connection(db: Database) -> None:
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_the_head_read_from_the_files_is_alembics_head(db: Database) -> None:
    from alembic.script import ScriptDirectory

    from kspos.store.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config(db.engine))
    known, head = known_revisions()
    assert head == script.get_current_head()
    assert known == {r.revision for r in script.walk_revisions()}
    assert check(db.engine).ok


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    path = data_dir / "kspos.sqlite3"
    Database(path).open().close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer KSPOS#"):
        Database(path).open()
    assert path.read_bytes() == before


def test_backup_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    from kspos.sales.staff import Role, StaffDirectory

    StaffDirectory(db).add("김민지", Role.CASHIER, "1111")
    target = tmp_path / "copy.sqlite3"
    backup(db.engine, target)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM staff").fetchall() == [("김민지",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- a store left half-migrated by an older KSPOS# (its DDL committed statement by statement) ---


def _half_migrated(tmp_path: Path, revision: str, leftovers: list[str]) -> Path:
    """A store stamped ``revision`` in which ``leftovers`` (names of tables or indexes of the
    next migrations, with the DDL the head schema has for them) already exist, as an upgrade
    killed between two statements used to leave it."""
    from alembic import command

    from kspos.store.db import _alembic_config

    head = Database(tmp_path / "head.sqlite3").open()
    ddl = dict(head.read("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    head.close()
    path = tmp_path / "kspos.sqlite3"
    db = Database(path).open()
    command.downgrade(_alembic_config(db.engine), revision)
    db.close()
    with sqlite3.connect(path) as conn:
        for name in leftovers:
            conn.execute(ddl.get(name, name))
    return path


@pytest.mark.parametrize(("revision", "leftovers"), [
    ("base", ["category", "staff", "audit_log", "ix_audit_log_at"]),  # the first start
    ("0001_core", ["van_serial"]),
    ("0001_core", ["van_serial", "van_reversal", "ix_van_reversal_state"]),
    ("0002_van", ["print_job", "ix_print_job_state"]),
    ("0003_printing", ["ix_report_order_day", "report_day"]),
    ("0004_reports", ["ALTER TABLE print_job ADD COLUMN encoding VARCHAR(8)"]),
    ("0005_print_encoding", ["retain_sale_order"]),
])
def test_a_store_half_migrated_by_an_older_version_starts(tmp_path: Path, revision: str,
                                                          leftovers: list[str]) -> None:
    path = _half_migrated(tmp_path, revision, leftovers)
    db = Database(path).open()
    try:
        assert check(db.engine).ok
    finally:
        db.close()


def test_a_reference_broken_before_the_upgrade_does_not_stop_it(tmp_path: Path) -> None:
    """The upgrade refuses to break references itself, not to run on a store that came with
    one (foreign keys were off when it was written)."""
    path = _half_migrated(tmp_path, "0005_print_encoding", [])
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO audit_log (at, staff_id, action, detail) VALUES "
                     "('2026-12-05 10:00:00', 999, 'login', '')")  # no staff 999
    db = Database(path).open()
    try:
        assert check(db.engine).ok
    finally:
        db.close()
