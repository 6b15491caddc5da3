"""What every connection to the store is set to, and which schema this program knows.

Shared by the engine (kspos/store/db.py) and the plain read-only opening of ``kspos report``
(kspos/store/readonly.py), so both wait as long on a busy file, write as durably and accept
the same schema revision. Standard library only, and no pathlib or typing: this is on the
report command's start-up path.
"""

from __future__ import annotations

import os
import re
import sqlite3

BUSY_TIMEOUT_MS = 5000
# Set on every connection, after the busy timeout (journal_mode=WAL is kept by the file
# itself once db.py has set it)
PRAGMAS = ("PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON")
VERSIONS = os.path.join(os.path.dirname(os.path.realpath(__file__)), "migrations", "versions")

_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w.-]+|None)['\"]?", re.M)


def apply_pragmas(conn: sqlite3.Connection, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """The store's per-connection settings: busy timeout, FULL sync, foreign keys."""
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    for pragma in PRAGMAS:
        conn.execute(pragma)


def migration_parents() -> dict[str, str | None]:
    """Every migration this program ships → the one it revises (None: the first).

    Read from the migration files' ``revision``/``down_revision`` lines rather than through
    alembic, so a start-up on an up-to-date database never imports alembic (~0.3 s).
    """
    parents: dict[str, str | None] = {}
    for name in os.listdir(VERSIONS):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(VERSIONS, name), encoding="utf-8") as file:
            found = {m[1]: m[2] for m in _REVISION_LINE.finditer(file.read())}
        if "revision" in found:
            down = found.get("down_revision")
            parents[found["revision"]] = None if down in (None, "None") else down
    return parents


def heads(parents: dict[str, str | None]) -> list[str]:
    """The revisions no other one revises (one, unless two branches were merged badly)."""
    children = {p for p in parents.values() if p}
    return sorted(rev for rev in parents if rev not in children)


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The file's alembic revision; None for a file never migrated (no alembic_version)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None
