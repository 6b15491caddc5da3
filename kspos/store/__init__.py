"""Persistence: the SQLite file, its tables and migrations."""

from kspos.store.db import Database, DatabaseTooNew, DuplicateRow, StoreError, humanize_db_error

__all__ = ["Database", "DatabaseTooNew", "DuplicateRow", "StoreError", "humanize_db_error"]
