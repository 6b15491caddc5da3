"""Persistence: the SQLite file, its tables and migrations.

The names below are loaded on first use (PEP 562): ``kspos report`` imports
:mod:`kspos.store.readonly` and must not pay for the engine module (~18 ms) on the way.
"""

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from kspos.store.db import (
        Database,
        DatabaseTooNew,
        DuplicateRow,
        StoreError,
        humanize_db_error,
    )

__all__ = ["Database", "DatabaseTooNew", "DuplicateRow", "StoreError", "humanize_db_error"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from kspos.store import db

        return getattr(db, name)
    raise AttributeError(f"module 'kspos.store' has no attribute {name!r}")
