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
    from kspos.users import Role, StaffDirectory

    StaffDirectory(db).add("김민지", Role.CASHIER, "1111")
    target = tmp_path / "copy.sqlite3"
    backup(db.engine, target)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM staff").fetchall() == [("김민지",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
