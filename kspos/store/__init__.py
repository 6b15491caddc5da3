"""Persistence: the SQLite file, its tables and migrations."""

from kspos.store.db import Database, DatabaseTooNew, StoreError, humanize_db_error

__all__ = ["Database", "DatabaseTooNew", "StoreError", "humanize_db_error"]
