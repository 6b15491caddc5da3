"""The SQLite file: engine with WAL/FULL/foreign keys, migrations at start, backup and check."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.store.lock import FileLock, open_lock
from kspos.sync.identity import DEMO_IDENTITY, Identity

if TYPE_CHECKING:  # sqlalchemy is imported lazily: `kspos --help` stays fast
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 5000
MIGRATIONS = "kspos.store:migrations"


class StoreError(Exception):
    """The database cannot be used; ``str()`` is a message for the user."""


class DatabaseTooNew(StoreError):
    """The file was written by a newer KSPOS# (its migration is unknown here)."""


class DuplicateRow(StoreError):
    """A row the store keeps unique exists already (e.g. a business day another register
    opened a moment before)."""


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


def _enter_wal(dbapi_connection: sqlite3.Connection, wait_s: float) -> None:
    """Switch to WAL, waiting for another process doing the same. SQLite answers a journal
    mode change on a new file that another connection is converting with SQLITE_BUSY at
    once, without its busy handler (two processes creating one store both saw "database is
    locked"), so the wait is ours."""
    import time

    deadline = time.monotonic() + wait_s
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    _enter_wal(dbapi_connection, BUSY_TIMEOUT_MS / 1000)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` whose every connection has the pragmas the architecture demands."""
    from sqlalchemy import create_engine, event

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def _alembic_config(engine: Engine | None = None, connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["engine"] = engine
    config.attributes["connection"] = connection
    return config


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w.-]+|None)['\"]?", re.M)


def known_revisions(engine: Engine | None = None) -> tuple[set[str], str]:
    """All migration ids this program knows, and the head.

    Read from the migration files' ``revision``/``down_revision`` lines rather than through
    alembic, so a start-up on an up-to-date database never imports alembic (~0.3 s).
    """
    parents: dict[str, str | None] = {}
    # The package's own folder (not importlib.resources: ~10 ms of start-up to find it)
    folder = Path(__file__).with_name("migrations") / "versions"
    for entry in folder.glob("*.py"):
        found: dict[str, str] = {m[1]: m[2] for m in _REVISION_LINE.finditer(entry.read_text("utf-8"))}
        if "revision" in found:
            down = found.get("down_revision")
            parents[found["revision"]] = None if down in (None, "None") else down
    children = {p for p in parents.values() if p}
    heads = [rev for rev in parents if rev not in children]
    if len(heads) != 1:
        raise StoreError(f"the migrations have {len(heads)} heads ({', '.join(sorted(heads))})")
    return set(parents), heads[0]


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


MIGRATION_WAIT_S = 120  # a second process waits this long for another's migration


def _migration_engine(path: Path) -> Engine:
    """An engine whose transactions really enclose DDL: pysqlite's legacy transaction
    handling opens a transaction only before INSERT/UPDATE/DELETE, so a CREATE TABLE or
    CREATE INDEX would commit on its own and a kill between two of them leaves a half-built
    schema ("index ... already exists" at every later start). Here the driver's own handling
    is off and every transaction starts with ``BEGIN IMMEDIATE``: the whole upgrade is one
    transaction, and the write lock it takes at once makes a second migrator wait."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool,
                           connect_args={"check_same_thread": False,
                                         "timeout": MIGRATION_WAIT_S})

    def connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        _on_connect(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_S * 1000}")
        # SQLite's way to rebuild a table (what Alembic's batch mode does): foreign keys off
        # while the old table is dropped (checked at the end, _finish_upgrade), and the rename
        # of the copy not checked against triggers that name the table meanwhile dropped
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA legacy_alter_table=ON")
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below is the only one

    def begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    return engine


def _backup_before_migrating(path: Path, current: str, head: str) -> None:
    """A copy of the store as it was, beside it, before its schema changes (taken under the
    migration's write lock, so it is the state the migration starts from). A copy that cannot
    be made (a full disk) is logged, not fatal: the migration is one transaction anyway, and
    a store that cannot start is worse for the counter."""
    from kspos.store.backup import backup_database

    log = logging.getLogger(__name__)
    try:
        backup_database(path, path.with_name(f"{path.name}.before-{head}"))
    except StoreError as exc:
        log.warning("no copy of the store before upgrading it: %s", exc)
        return
    log.info("store at schema %s copied to %s.before-%s before upgrading", current, path.name,
             head)


def _broken_references(conn: Any) -> int:
    return len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())


def _finish_upgrade(conn: Any, broken_before: int = 0) -> None:
    """The last steps of an upgrade, in its transaction: no reference broken by it (foreign
    keys are off while it runs), and the retention triggers (again) on their tables
    (kspos/store/retention.py)."""
    from kspos.store.retention import create_statements

    broken = _broken_references(conn)
    if broken > broken_before:
        raise StoreError(f"the upgrade would break {broken - broken_before} references between "
                         "tables; nothing was changed")
    for statement in create_statements():
        conn.exec_driver_sql(statement)


def upgrade(engine: Engine) -> str:
    """Apply pending migrations in one transaction; refuse a database from a newer version.

    Killed at any moment, the store is left as it was before (SQLite rolls the transaction
    back at the next open); a second process arriving meanwhile waits for the first and then
    finds nothing to do. Returns the head."""
    from sqlalchemy import text

    known, head = known_revisions(engine)
    path = Path(str(engine.url.database))
    migrator = _migration_engine(path)
    try:
        with migrator.connect() as conn:
            conn.begin()  # BEGIN IMMEDIATE: waits while another process migrates
            has_version = conn.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'")).first()
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first() \
                if has_version else None
            current = str(row[0]) if row else None
            if current is not None and current not in known:
                raise DatabaseTooNew(
                    f"this database was written by a newer KSPOS# (schema {current}); "
                    f"this version knows up to {head}. Update the program; the file was "
                    "not touched.")
            if current == head:
                return head
            if current is not None:
                _backup_before_migrating(path, current, head)
            from alembic import command

            broken = _broken_references(conn) if current is not None else 0
            command.upgrade(_alembic_config(connection=conn), "head")
            _finish_upgrade(conn, broken)
            conn.commit()
    finally:
        migrator.dispose()
    return head


@dataclass(frozen=True)
class CheckResult:
    integrity: str
    revision: str | None
    head: str

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.revision == self.head


def check(engine: Engine) -> CheckResult:
    """``PRAGMA integrity_check`` plus whether the schema is at this program's head."""
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
    integrity = "; ".join(str(r[0]) for r in rows)
    _, head = known_revisions(engine)
    return CheckResult(integrity=integrity, revision=current_revision(engine), head=head)


def backup(engine: Engine, dest: Path) -> None:
    """Copy the live database to ``dest`` with SQLite's online backup (consistent under WAL).

    Refuses the database's own files and anything that is not a regular file or a new name;
    the copy replaces ``dest`` only when whole (:mod:`kspos.store.backup`)."""
    from kspos.store.backup import backup_database

    backup_database(Path(str(engine.url.database)), dest)


class Database:
    """The store. ``open()`` checks the schema with plain sqlite3 and migrates only when
    needed; the SQLAlchemy engine is built on first use, so a start-up on an up-to-date file
    paints the cashier screen before SQLAlchemy, sqlmodel or alembic are imported.

    ``identity`` (the config's store code and terminal) goes with every connection of the
    engine, so whatever writes a fact in a unit of work finds it there
    (:func:`kspos.store.outbox.identity_of`) without every service carrying it."""

    def __init__(self, path: Path, identity: Identity | None = None) -> None:
        self.path = path
        self.identity = identity or DEMO_IDENTITY
        self._engine: Engine | None = None
        self._opened = False
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()
        self._in_use: FileLock | None = None

    @property
    def engine(self) -> Engine:
        if not self._opened:
            raise StoreError("the database is not open")
        if self._engine is None:
            from sqlalchemy import event

            engine = make_engine(self.path)
            identity = self.identity

            def remember(_dbapi: object, record: Any) -> None:
                record.info["identity"] = identity

            event.listen(engine, "connect", remember)
            self._engine = engine
        return self._engine

    def _schema_revision(self) -> str | None:
        if not self.path.exists():
            return None
        rows = self.read("SELECT name FROM sqlite_master WHERE name = 'alembic_version'")
        if not rows:
            return None
        version = self.read("SELECT version_num FROM alembic_version")
        return str(version[0][0]) if version else None

    def open(self, migrate: bool = True) -> Database:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._opened = True
            # held while open: `kspos db restore` refuses to swap a store someone has open
            self._in_use = open_lock(self.path)
            self._in_use.acquire(exclusive=False, wait=True)
            known, head = known_revisions()
            current = self._schema_revision()
            if current is not None and current not in known:
                raise DatabaseTooNew(
                    f"this database was written by a newer KSPOS# (schema {current}); this "
                    f"version knows up to {head}. Update the program; the file was not touched.")
            if migrate and current != head:
                upgrade(self.engine)
        except DatabaseTooNew:
            self.close()
            raise
        except Exception as exc:
            self.close()
            if isinstance(exc, (sqlite3.Error, OSError)) or type(exc).__module__.startswith(
                    "sqlalchemy"):
                raise StoreError(f"{self.path}: {humanize_db_error(exc)}") from exc
            raise
        return self

    def _plain(self) -> sqlite3.Connection:
        if not self._opened:
            raise StoreError("the database is not open")
        if self._reader is None:
            self._reader = sqlite3.connect(self.path, check_same_thread=False,
                                           timeout=BUSY_TIMEOUT_MS / 1000)
            _on_connect(self._reader, None)
        return self._reader

    def read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """A quick query on a plain sqlite3 connection (start-up, status lines): no ORM."""
        with self._reader_lock:
            return self._plain().execute(sql, params).fetchall()

    def write(self, sql: str, params: tuple[object, ...] = ()) -> None:
        """One small durable statement on the plain connection (audit lines from a tap)."""
        try:
            with self._reader_lock, self._plain() as conn:  # commits, or rolls back on error
                conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(humanize_db_error(exc)) from exc

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._in_use is not None:
            self._in_use.release()
            self._in_use = None
        self._opened = False

    def __enter__(self) -> Database:
        return self if self._opened else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            # locked, disk full, read-only: say it in words (sqlite3's own error comes from
            # the plain statements of kspos.store.sql)
            except (OperationalError, sqlite3.OperationalError) as exc:
                session.rollback()
                raise StoreError(humanize_db_error(exc)) from exc
            except BaseException:
                session.rollback()
                raise
