"""The print queue's table, ``print_job`` (migration 0003_printing, ``encoding`` 0005,
``target`` and ``slip_json`` 0015), and its statements. ``target`` is the printer a job is for:
'' the receipt printer, else a ``[[kitchen]]`` printer's name; each printer's queue reads only
its own jobs. What a job means and when it is printed is :mod:`kspos.receipts.queue`.

A job is written in the caller's unit of work when it goes with a sale (:func:`add_job`), or
in a short transaction of its own (:func:`add_job_now`); the printer's worker thread then
reads and updates it with one short transaction per step.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store.errors import StoreError, humanize_db_error
from kspos.store.sql import execute

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

PENDING = "pending"  # the state a job starts in (kspos.receipts.queue names them all)
RECEIPT_PRINTER = ""  # print_job.target of the receipt printer's jobs


def print_job_table() -> Any:
    """The ``print_job`` table, registered on SQLModel.metadata (the alembic env calls this so
    autogenerate sees it)."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    existing = SQLModel.metadata.tables.get("print_job")
    if existing is not None:
        return existing
    return sa.Table(
        "print_job", SQLModel.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False, server_default=""),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("encoding", sa.String(8), nullable=True),
        sa.Column("state", sa.String(12), nullable=False, server_default=PENDING, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.String, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_attempt_at", sa.DateTime, nullable=True),
        sa.Column("printed_at", sa.DateTime, nullable=True),
        sa.Column("target", sa.String(40), nullable=False, server_default=RECEIPT_PRINTER),
        sa.Column("slip_json", sa.String, nullable=True),
        sa.Index("ix_print_job_target_state", "target", "state"),
    )


_ADD = ("INSERT INTO print_job (kind, ref, payload, encoding, state, attempts, last_error, "
        "created_at, target, slip_json) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")


def add_job(unit: Unit, kind: str, ref: str, payload: bytes, encoding: str | None, state: str,
            note: str | None, at: datetime, target: str = RECEIPT_PRINTER,
            slip_json: str | None = None) -> int:
    """Store a job's bytes (as packed) in ``unit``'s transaction; returns its id. ``note`` is
    kept as its last error (why a skipped job is not printed); ``target`` names the printer
    ('' the receipt printer) and ``slip_json`` what a kitchen slip was drawn from."""
    cursor = execute(unit, _ADD, (kind, ref, payload, encoding, state, note, at, target,
                                  slip_json))
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def add_job_now(db: Database, kind: str, ref: str, payload: bytes, encoding: str | None,
                state: str, note: str | None, at: datetime) -> int:
    """:func:`add_job` in a transaction of its own, committed before it returns; a database
    failure is a StoreError in words."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.engine.begin() as conn:
            return add_job(conn, kind, ref, payload, encoding, state, note, at)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise StoreError(humanize_db_error(exc)) from exc


def add_job_withdrawing(db: Database, withdrawn: int | None, state: str, reason: str,
                        kind: str, ref: str, payload: bytes, encoding: str | None,
                        at: datetime, target: str, slip_json: str | None) -> int:
    """A new pending job (:func:`add_job`) and, when ``withdrawn`` names one, that job set to
    ``state`` with ``reason`` as its note, in one transaction (a slip moved to another printer
    is on exactly one of them); returns the new job's id."""
    from sqlalchemy.exc import SQLAlchemyError

    table = print_job_table()
    try:
        with db.engine.begin() as conn:
            if withdrawn is not None:
                conn.execute(table.update().where(table.c.id == withdrawn)
                             .values(state=state, last_error=reason))
            return add_job(conn, kind, ref, payload, encoding, PENDING, None, at, target,
                           slip_json)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise StoreError(humanize_db_error(exc)) from exc


def sale_job_id(db: Database, order_id: int) -> int | None:
    """The first ``sale`` job of the order's receipt, if the sale queued one."""
    found = db.read("SELECT j.id FROM print_job j JOIN sale_order o ON j.ref = o.receipt_no "
                    "WHERE o.id = ? AND j.kind = 'sale' ORDER BY j.id LIMIT 1", (order_id,))
    return int(found[0][0]) if found else None


def _listing() -> Any:
    """SELECT of everything but the bytes (a raster receipt is ~100 KB), with their size."""
    import sqlalchemy as sa

    table = print_job_table()
    return sa.select(*(c for c in table.c if c.name != "payload"),
                     sa.func.length(table.c.payload).label("size"))


def jobs_in_state(db: Database, state: str, target: str | None = RECEIPT_PRINTER) -> list[Any]:
    """The jobs in ``state`` for printer ``target`` (None: every printer's), without their
    bytes (``size`` instead), oldest first."""
    table = print_job_table()
    query = _listing().where(table.c.state == state)
    if target is not None:
        query = query.where(table.c.target == target)
    with db.engine.connect() as conn:
        return list(conn.execute(query.order_by(table.c.id)))


def job_listing(db: Database, job_id: int) -> Any:
    """One job without its bytes (``size`` instead); None when there is none."""
    with db.engine.connect() as conn:
        return conn.execute(_listing().where(print_job_table().c.id == job_id)).first()


def job_row(db: Database, job_id: int) -> Any:
    """One job with its bytes; None when there is none."""
    import sqlalchemy as sa

    table = print_job_table()
    with db.engine.connect() as conn:
        return conn.execute(sa.select(table).where(table.c.id == job_id)).first()


def set_state_if(db: Database, job_id: int, was: str, state: str) -> bool:
    """Move one job from state ``was`` to ``state`` (its note cleared), committed at once;
    False when it was not in ``was``. The condition is in the UPDATE itself, so two callers
    racing for the same job cannot both move it."""
    table = print_job_table()
    with db.engine.begin() as conn:
        result = conn.execute(table.update()
                              .where(table.c.id == job_id, table.c.state == was)
                              .values(state=state, last_error=None))
        return bool(result.rowcount)


def update_job(db: Database, job_id: int, **values: Any) -> None:
    """Set columns of one job (state, attempts, errors, times), committed at once."""
    table = print_job_table()
    with db.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == job_id).values(**values))
