"""The VAN link's state in the store: serial counters, the network-cancel journal and the
answers the technician's commands keep.

The first two tables are created by migration ``0002_van``, ``van_record`` by ``0007_van``.
None ever holds card data: the journal keeps what a ``0440`` needs (class, 거래형태, TID,
field 7, serial, installment, amounts, the original approval number/date) and the POS receipt
number, the records the answer with the masked PAN at most; never track-2 or a PAN.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from kspos.store.models import uuid_field

if TYPE_CHECKING:
    from sqlmodel import Session

MAX_SEQUENCE = 999_999

# Journal states. INTENT: written before the first byte is sent, the outcome not known yet.
# PENDING: no valid answer came; a 0440 is owed. REVERSED: a valid 0450 came.
# A valid answer to the original deletes the row in the same transaction that records it.
INTENT, PENDING, REVERSED = "intent", "pending", "reversed"


class VanSerialCounter(SQLModel, table=True):
    """The last 전문일련번호 sequence used by one TID on one day."""

    __tablename__ = "van_serial"
    tid: str = Field(primary_key=True)
    day: str = Field(primary_key=True)  # YYMMDD
    last_seq: int = 0


def _now() -> datetime:
    # Not datetime.now itself: pydantic inspects a default factory's signature on every
    # construction, and a builtin's signature is parsed from text (~0.35 ms a field, per sale).
    return datetime.now()


class VanReversal(SQLModel, table=True):
    """One entry of the network-cancel (망취소) journal."""

    __tablename__ = "van_reversal"
    __table_args__ = (Index("ix_van_reversal_tid_serial", "tid", "serial", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()  # the 망취소 result's, once it is one (kspos/sync)
    state: str = Field(index=True)
    created_at: NaiveDatetime = Field(default_factory=_now)
    updated_at: NaiveDatetime = Field(default_factory=_now)
    owner_pid: int = 0
    deadline: float = 0.0  # epoch s: after it an INTENT whose owner is gone is abandoned
    tid: str
    serial: str
    klass: str
    orig_type: str  # the type of the request this entry guards: 0200, 0420 or 7420
    mode: str = "N"
    company: str = ""
    installment: int = 0
    total: int = 0
    service: int = 0
    vat: int = 0
    supply: int = 0
    tax_free: int = 0
    orig_approval_no: str = ""
    orig_approval_date: str = ""
    pos_ref: str = ""
    attempts: int = 0
    next_retry: float = 0.0  # epoch s
    last_error: str = ""
    result_message: str = ""  # the 0450's Message1 (망취소완료 / 원거래없음)
    finished_at: NaiveDatetime | None = None


class VanRecord(SQLModel, table=True):
    """One answer the technician's ``kspos van approve|cancel`` got (migration ``0007_van``).

    Written in the transaction that clears the request's 망취소 intent, so a process killed
    after the answer leaves this row or the intent (whose 0440 the next run sends), never an
    approval nobody can name. No card data: the masked PAN at most.
    """

    __tablename__ = "van_record"
    id: int | None = Field(default=None, primary_key=True)
    created_at: NaiveDatetime = Field(default_factory=_now)
    tid: str
    serial: str
    request_type: str
    klass: str
    mode: str = "N"
    status: str
    code: str = ""
    message: str = ""
    approval_no: str = ""
    approval_date: str = ""
    approved_at: str = ""
    amount: int = 0
    installment: int = 0
    masked_pan: str = ""
    wallet: str = ""
    masked_identity: str = ""
    van_txn_id: str = ""
    orig_approval_no: str = ""
    orig_approval_date: str = ""


def allocate_serial(session: Session, tid: str, day: str) -> str:
    """Take the next serial ``YYMMDD`` + 6 digits for ``tid`` on ``day``, atomically.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: two processes on the same
    file can never take the same number.
    """
    from kspos.store.sql import execute

    row = execute(session, "INSERT INTO van_serial (tid, day, last_seq) VALUES (?, ?, 1) "
                  "ON CONFLICT (tid, day) DO UPDATE SET last_seq = last_seq + 1 "
                  "RETURNING last_seq", (tid, day)).fetchone()
    seq = int(row[0])
    if seq > MAX_SEQUENCE:
        raise OverflowError(f"TID {tid} used all {MAX_SEQUENCE} serials of {day}")
    return f"{day}{seq:06d}"


@dataclass(frozen=True, slots=True)
class PendingReversal:
    """A network cancel still owed, as the cashier's and technician's screens show it."""

    id: int
    tid: str
    serial: str
    klass: str
    orig_type: str
    mode: str
    total: int
    pos_ref: str
    attempts: int
    last_error: str
    created_at: datetime

    @classmethod
    def of(cls, row: VanReversal) -> PendingReversal:
        assert row.id is not None
        return cls(id=row.id, tid=row.tid, serial=row.serial, klass=row.klass,
                   orig_type=row.orig_type, mode=row.mode, total=row.total,
                   pos_ref=row.pos_ref, attempts=row.attempts, last_error=row.last_error,
                   created_at=row.created_at)


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def abandoned(row: VanReversal, now: float | None = None) -> bool:
    """An INTENT whose exchange can no longer be running: its process died or its time ran out."""
    return row.state == INTENT and intent_abandoned(row.owner_pid, row.deadline, now)


def intent_abandoned(owner_pid: int, deadline: float, now: float | None = None) -> bool:
    """:func:`abandoned` from an INTENT row's two columns (a plain read, no ORM object)."""
    now = time.time() if now is None else now
    return now > deadline or not pid_alive(owner_pid)
