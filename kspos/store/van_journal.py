"""The VAN link's statements: serial counters (``van_serial``), the network-cancel journal
(``van_reversal``) and the answers the technician's commands keep (``van_record``).

The tables are :mod:`kspos.store.van_models`; what the journal's states mean and when an entry
moves is :mod:`kspos.van.journal`. Functions taking a unit run in the caller's transaction
(the intent of a request commits before its first byte is sent); the ones taking ``db`` are
one plain read each, on the card checkout's path (no ORM).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kspos.store.sql import execute, insert_row
from kspos.store.van_models import INTENT, PENDING, VanRecord, VanReversal

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlmodel import Session

    from kspos.store.db import Database
    from kspos.store.unit import Unit


def next_serial_seq(unit: Unit, tid: str, day: str) -> int:
    """Take the next sequence number of ``tid`` on ``day`` (YYMMDD), atomically.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: two processes on the same
    file can never take the same number.
    """
    row = execute(unit, "INSERT INTO van_serial (tid, day, last_seq) VALUES (?, ?, 1) "
                  "ON CONFLICT (tid, day) DO UPDATE SET last_seq = last_seq + 1 "
                  "RETURNING last_seq", (tid, day)).fetchone()
    return int(row[0])


def add_entry(unit: Unit, values: Mapping[str, object]) -> int:
    """A new journal entry (model defaults for what ``values`` leaves out); returns its id.
    A plain insert: this is in every card sale's path, and an ORM object costs more."""
    return insert_row(unit, VanReversal, values)


def drop_entry(unit: Unit, entry_id: int) -> None:
    """Remove an entry (its request was answered, or never reached the host)."""
    execute(unit, "DELETE FROM van_reversal WHERE id = ?", (entry_id,))


def entry(session: Session, entry_id: int) -> VanReversal | None:
    """One entry, attached to ``session``: what the caller changes on it is written when the
    session commits (or at :func:`write_now`)."""
    return session.get(VanReversal, entry_id)


def write_now(session: Session) -> None:
    """Write the changes made to attached entries now, inside the transaction: a plain read
    that follows (the outbox's) then sees them."""
    session.flush()


def entries(session: Session, tid: str, state: str, newest_first: bool = False,
            limit: int | None = None) -> list[VanReversal]:
    """The entries of ``tid`` in ``state``, oldest first (or newest first), attached."""
    from sqlmodel import col, select

    order = col(VanReversal.id).desc() if newest_first else col(VanReversal.id)
    query = select(VanReversal).where(VanReversal.state == state,
                                      VanReversal.tid == tid).order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def open_entries(db: Database, tid: str) -> list[tuple[str, int, float]]:
    """(state, owner_pid, deadline) of ``tid``'s entries still intent or pending."""
    return [(str(state), int(pid), float(deadline)) for state, pid, deadline in db.read(
        "SELECT state, owner_pid, deadline FROM van_reversal WHERE tid = ? AND state IN (?, ?)",
        (tid, INTENT, PENDING))]


def any_open(db: Database, tid: str) -> bool:
    """Whether ``tid`` has an entry still intent or pending: one indexed read."""
    return bool(db.read("SELECT 1 FROM van_reversal WHERE state IN (?, ?) AND tid = ? LIMIT 1",
                        (INTENT, PENDING, tid)))


def keep_answer(unit: Unit, values: Mapping[str, object]) -> None:
    """Add one kept answer (``van_record``) in the caller's transaction."""
    insert_row(unit, VanRecord, values)


def _newest(db: Database, table: str, columns: Sequence[str], tid: str | None, limit: int
            ) -> list[tuple[Any, ...]]:
    where, params = ("WHERE tid = ?", (tid,)) if tid else ("", ())
    return db.read(f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY id DESC LIMIT ?",
                   (*params, limit))


def recent_answers(db: Database, columns: Sequence[str], tid: str | None, limit: int
                   ) -> list[tuple[Any, ...]]:
    """``columns`` of the last ``limit`` kept answers (of ``tid``, or every TID), newest
    first."""
    return _newest(db, "van_record", columns, tid, limit)


def recent_entries(db: Database, columns: Sequence[str], tid: str | None, limit: int
                   ) -> list[tuple[Any, ...]]:
    """``columns`` of the last ``limit`` journal entries (of ``tid``, or every TID), newest
    first."""
    return _newest(db, "van_reversal", columns, tid, limit)

