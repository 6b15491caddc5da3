"""The office's engine: PostgreSQL through psycopg 3, or a SQLite file; migrations at open.

URLs as the command line and ``[office_server] database`` give them: ``postgresql://...`` (the
psycopg 3 driver is chosen here) or ``sqlite:///PATH``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

MIGRATIONS = str(Path(__file__).with_name("migrations"))
SQLITE_BUSY_S = 30
_MIGRATION_LOCK = 0x4B53504F  # "KSPO": one migrator at a time on a shared PostgreSQL


class OfficeStoreError(Exception):
    """The office database refused or failed; ``str()`` is one line for a log or an answer."""


class OfficeUnavailable(OfficeStoreError):
    """The database cannot be reached right now (down, restarting): try again later."""


def database_url(url: str) -> str:
    """``url`` with the driver this office uses (``postgresql://`` → psycopg 3)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("postgresql+psycopg://") or url.startswith("sqlite:///"):
        return url
    raise OfficeStoreError(f"not a database URL this office reads: {describe_url(url)!r} "
                           "(postgresql://USER@HOST:PORT/DB or sqlite:///PATH)")


def describe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url[:60]


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Our own BEGIN (below) instead of pysqlite's, which skips DDL and defers the write lock:
    # a batch takes the write lock at its start, so two writers queue instead of deadlocking.
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   f"busy_timeout={SQLITE_BUSY_S * 1000}"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (see :func:`database_url`)."""
    full = database_url(url)
    if full.startswith("sqlite:///"):
        path = Path(full.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(full, connect_args={"check_same_thread": False,
                                                   "timeout": SQLITE_BUSY_S})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pre-ping: after a PostgreSQL restart the pool's old connections are dead; each request
    # then gets a fresh one instead of an error
    return create_engine(full, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args={"connect_timeout": 5})


def _wrap(exc: SQLAlchemyError) -> OfficeStoreError:
    """The driver's error as ours: unreachable or restarting → OfficeUnavailable."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError)
                                             and exc.connection_invalidated):
        return OfficeUnavailable(f"office database unavailable: {detail}")
    return OfficeStoreError(f"office database error: {detail}")


class OfficeStore:
    """The office database: ``open()`` migrates, ``transaction()`` is one unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @property
    def dialect(self) -> str:
        """``postgresql`` or ``sqlite``."""
        return str(self.engine.dialect.name)

    def open(self, migrate: bool = True) -> OfficeStore:
        """Connect and (by default) bring the schema to the head; OfficeStoreError if not."""
        try:
            if migrate:
                self.upgrade()
            else:
                with self.engine.connect():
                    pass
        except SQLAlchemyError as exc:
            raise _wrap(exc) from None
        return self

    def upgrade(self) -> str:
        """Apply the office's migrations; returns the revision now in place."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":  # two servers starting at once: one migrates
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return self.revision() or "none"

    def revision(self) -> str | None:
        """The schema's alembic revision (None: an empty database)."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return str(row[0]) if row else None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.
        Database errors come out as OfficeStoreError / OfficeUnavailable."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise _wrap(exc) from None

    def close(self) -> None:
        self.engine.dispose()
