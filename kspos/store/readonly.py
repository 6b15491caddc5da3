"""The store opened with the standard library only: ``kspos report`` and the report screens.

``kspos report`` must answer a year's question in well under a second as a whole process;
importing SQLAlchemy and Alembic alone takes longer than that on a store PC. So the report
path opens a plain sqlite3 connection in autocommit mode with the engine's own pragmas and
busy timeout (kspos/store/schema.py), checks the schema revision itself, and falls back to
the full migrating ``Database.open`` only when the file is missing or behind.

Errors of these connections reach the caller as :class:`~kspos.store.errors.PlainStoreError`.
"""

from __future__ import annotations

import os
import sqlite3

from kspos.store.errors import PlainStoreError
from kspos.store.schema import BUSY_TIMEOUT_MS, apply_pragmas, heads, migration_parents
from kspos.store.schema import schema_revision as _revision

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

Connection = sqlite3.Connection  # what the report modules name in their type hints


def migration_head() -> str | None:
    """The newest migration this program ships; None when the files have no single head."""
    found = heads(migration_parents())
    return found[0] if len(found) == 1 else None


def connect(path: Path | str) -> Connection:
    """A connection in autocommit mode with the store's pragmas (busy timeout, FULL, foreign
    keys; the file is in WAL already)."""
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        apply_pragmas(conn)
    except sqlite3.Error as exc:
        raise PlainStoreError(str(exc)) from exc
    return conn


def schema_revision(conn: Connection) -> str | None:
    """The file's revision; None when it is not ours or not readable (the slow path, which
    migrates or explains, then takes over)."""
    try:
        return _revision(conn)
    except sqlite3.Error:
        return None


def open_at_head(path: Path | str) -> Connection | None:
    """A connection when the file exists and is at this program's head; None otherwise
    (the caller then opens it the slow way, which migrates or explains)."""
    if not os.path.isfile(path):
        return None
    head = migration_head()
    try:
        conn = connect(path)
    except PlainStoreError:  # the slow path opens it again and tells the user what is wrong
        return None
    if head is None or schema_revision(conn) != head:
        conn.close()
        return None
    return conn


class snapshot:  # noqa: N801 - used as a function: ``with snapshot(conn):``
    """One read transaction on an autocommit connection: every read inside it sees the same
    state of the file (a report's groupings then add up). sqlite3 errors inside it (and of
    its BEGIN/COMMIT) leave as :class:`PlainStoreError`. A class, not contextlib: start-up."""

    __slots__ = ("conn",)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise PlainStoreError(str(exc)) from exc
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if exc is None:
                raise PlainStoreError(str(error)) from error
        if isinstance(exc, sqlite3.Error):
            raise PlainStoreError(str(exc)) from exc
