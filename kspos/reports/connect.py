"""Reading the store's SQLite file with the standard library (no SQLAlchemy at start-up).

``kspos report`` must answer a year's question in well under a second as a whole process;
importing SQLAlchemy and Alembic alone takes longer than that on a store PC. So the report
command checks the schema revision itself (the migration files name it) and only falls back
to the full migrating ``open_database`` when the file is missing or behind.
"""

from __future__ import annotations

import os
import re
import sqlite3

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from pathlib import Path

BUSY_TIMEOUT_MS = 5000
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)


def migration_head() -> str | None:
    """The newest migration this program ships (the revision no other one revises)."""
    # os.path rather than pathlib: pathlib costs the report command's start-up ~6 ms.
    versions = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))),
                            "store", "migrations", "versions")
    revisions: set[str] = set()
    revised: set[str] = set()
    for name in os.listdir(versions):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(versions, name), encoding="utf-8") as file:
            text = file.read()
        found = _REVISION.search(text)
        if found:
            revisions.add(found.group(1))
        down = _DOWN.search(text)
        if down:
            revised.add(down.group(1))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode with the store's pragmas (WAL, FULL, busy timeout)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def schema_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:  # not ours or not migrated: the slow path migrates or explains
        return None
    return str(row[0]) if row else None


def open_at_head(path: Path | str) -> sqlite3.Connection | None:
    """A connection when the file exists and is at this program's head; None otherwise
    (the caller then opens it the slow way, which migrates or explains)."""
    if not os.path.isfile(path):
        return None
    head = migration_head()
    try:
        conn = connect(path)
    except sqlite3.Error:  # the slow path opens it again and tells the user what is wrong
        return None
    if head is None or schema_revision(conn) != head:
        conn.close()
        return None
    return conn
