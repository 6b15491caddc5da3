"""A ``Database`` whose sessions join one transaction per batch (``kspos demo-data``).

A synthetic year of orders made one durable commit per step would take hours; wrapped in
this, the sales core runs unchanged and only the commit boundary moves: every
``session()`` yields the batch's one ORM session, and the plain ``read``/``write`` run on its
connection too (they see the batch's rows and do not wait for its lock). The caller commits
(:meth:`BatchedDatabase.commit`) every so many orders, or rolls the batch back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from kspos.store.db import Database


class BatchedDatabase:
    """The ``Database`` interface the core uses, with one transaction per batch (module doc)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.path = db.path
        self._session: Session | None = None

    @property
    def engine(self) -> Any:
        """The wrapped database's engine."""
        return self.db.engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The batch's one session (begun on first use; never committed here)."""
        from sqlmodel import Session

        if self._session is None:
            self._session = Session(self.db.engine, expire_on_commit=False)
        yield self._session

    def read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Plain reads see the batch's own rows: they run in the batch's transaction, after
        its pending changes are flushed (raw SQL does not autoflush)."""
        with self.session() as s:
            s.flush()
            return [tuple(row) for row in s.connection().exec_driver_sql(sql, params)]

    def write(self, sql: str, params: tuple[object, ...] = ()) -> None:
        """Plain writes (audit lines) join the batch instead of waiting for its lock."""
        with self.session() as s:
            s.connection().exec_driver_sql(sql, params)

    def commit(self) -> None:
        """Commit the batch; the next session() begins another."""
        if self._session is not None:
            self._session.commit()
            self._session.close()
            self._session = None

    def rollback(self) -> None:
        """Drop the batch's uncommitted work."""
        if self._session is not None:
            self._session.rollback()
            self._session.close()
            self._session = None
