"""The VAN link's state in the store, as the client sees it: serial numbers, the journal's
states, and when an owed network cancel's exchange is abandoned.

The tables are :mod:`kspos.store.van_models` (re-exported here, where the client and its tests
have always found them) and their statements :mod:`kspos.store.van_journal`. None ever holds
card data: the journal keeps what a ``0440`` needs and the POS receipt number, the records the
answer with the masked PAN at most; never track-2 or a PAN.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.store.van_journal import next_serial_seq
from kspos.store.van_models import (
    INTENT,
    PENDING,
    REVERSED,
    VanRecord,
    VanReversal,
    VanSerialCounter,
)

if TYPE_CHECKING:
    from kspos.store.unit import Unit

__all__ = ["INTENT", "MAX_SEQUENCE", "PENDING", "REVERSED", "PendingReversal", "VanRecord",
           "VanReversal", "VanSerialCounter", "abandoned", "allocate_serial", "intent_abandoned",
           "pid_alive"]

MAX_SEQUENCE = 999_999


def allocate_serial(session: Unit, tid: str, day: str) -> str:
    """Take the next serial ``YYMMDD`` + 6 digits for ``tid`` on ``day``, atomically (two
    processes on the same file never take the same number: kspos/store/van_journal.py)."""
    seq = next_serial_seq(session, tid, day)
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
