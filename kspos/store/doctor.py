"""The store file as ``kspos doctor`` reads it: opened read-only with the standard library,
without ``Database`` (no lock, no migration, no engine), so a check never changes or waits on
a store that may be damaged or in use. Tables read: ``van_reversal``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kspos.store.db import StoreError


def pending_reversal_serials(path: Path, tid: str) -> list[str]:
    """The serials of the 망취소 still owed for terminal ``tid``, oldest first.

    StoreError (SQLite's own words) when the file cannot be opened or read."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StoreError(str(exc)) from exc
    try:
        rows = connection.execute(
            "SELECT serial FROM van_reversal WHERE state = 'pending' AND tid = ? ORDER BY id",
            (tid,)).fetchall()
    except sqlite3.Error as exc:
        raise StoreError(str(exc)) from exc
    finally:
        connection.close()
    return [str(serial) for (serial,) in rows]
