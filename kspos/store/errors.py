"""The store's errors, in a module of their own: ``kspos report`` raises and catches them
without importing the engine module (kspos/store/db.py, ~18 ms of start-up).

A domain module catches these, never a database library's exception: the repositories and
``Database.session()`` translate sqlite3 and SQLAlchemy errors into them.
"""

from __future__ import annotations

import sys


class StoreError(Exception):
    """The database cannot be used; ``str()`` is a message for the user."""


class DatabaseTooNew(StoreError):
    """The file was written by a newer KSPOS# (its migration is unknown here)."""


class DuplicateRow(StoreError):
    """A row the store keeps unique exists already (e.g. a business day another register
    opened a moment before)."""


class PlainStoreError(StoreError):
    """An sqlite3 error on a plain connection of kspos/store/readonly.py (the reports'), as it
    leaves the store; ``str()`` is SQLite's own words (``kspos report`` puts them after the
    file's name)."""


def humanize_db_error(exc: BaseException) -> str:
    """Turn an sqlite/sqlalchemy error into words a cashier or technician can act on."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in text or "disk full" in text or "no space" in text:
        return "저장 공간이 가득 찼습니다 (disk full): free space in the data folder; nothing was saved"
    if "locked" in text or "busy" in text:
        return "데이터베이스가 사용 중입니다 (database locked): another program holds it; try again"
    if "readonly" in text or "read-only" in text:
        return "데이터베이스에 쓸 수 없습니다 (read-only data folder)"
    if "not a database" in text or "malformed" in text:
        return "데이터베이스 파일이 손상되었습니다 (corrupt database): run `kspos db check`"
    return f"데이터베이스 오류 (database error): {exc}"


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the store's: a StoreError, or an sqlite3 or SQLAlchemy error that
    reached the caller untranslated. Imports neither library: an error of one that was never
    imported cannot have been raised."""
    if isinstance(exc, StoreError):
        return True
    sqlite = sys.modules.get("sqlite3")
    if sqlite is not None and isinstance(exc, sqlite.Error):
        return True
    alchemy = sys.modules.get("sqlalchemy.exc")
    return alchemy is not None and isinstance(exc, alchemy.SQLAlchemyError)
