"""The network-cancel (망취소) journal and the serial counters, on the store.

The rule of specs/van-telegram.md §5: the intent of every ``0200``/``0420``/``7420`` is
committed **before** the first byte is sent and is cleared only by a valid answer (in the same
transaction that records it) or by a completed ``0440``. A crash at any point leaves either a
cleared entry with the outcome recorded, or an entry that start-up turns into a ``0440``.

Entries hold no card data: class, 거래형태, TID, field 7, serial, installment, amounts, the
original approval number and date, and the POS receipt number.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store import van_journal as stored
from kspos.van.store import (
    INTENT,
    PENDING,
    REVERSED,
    PendingReversal,
    VanReversal,
    abandoned,
    allocate_serial,
    intent_abandoned,
)
from kspos.van.telegram import Request

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Session

# Both run in a Database.session() of the journal's
OnReversed = Callable[["Session", PendingReversal], Any]
BeforeSend = Callable[["Session"], str]


class NetworkCancelJournal:
    """Serial allocation and the journal's state changes, each one committed transaction.

    One journal per terminal id: its queries see only ``tid``'s entries, because a 0440 must go
    to the host that got the original under that TID (연습 모드's ``TRAIN00001`` lives in the
    same table as the live TID, and neither client may settle the other's debts).
    """

    def __init__(self, db: Database, clock: Callable[[], datetime] = datetime.now,
                 tid: str = "") -> None:
        self.db = db
        self.clock = clock
        self.tid = tid

    # --- before sending -------------------------------------------------------------------------

    def begin(self, draft: Request, *, journal: bool, deadline_s: float,
              before_send: BeforeSend | None = None) -> tuple[Request, int | None]:
        """Give ``draft`` the next serial of its TID and, when ``journal``, commit its intent.

        ``before_send`` runs first in the same transaction (the sale saves its order there) and
        gives the POS reference to send. Returns the request to send and the journal entry id
        (None when not journaled).
        """
        with self.db.session() as session:
            if before_send is not None:
                draft = replace(draft, pos_ref=before_send(session))
            serial = allocate_serial(session, draft.tid, self.clock().strftime("%y%m%d"))
            request = replace(draft, serial=serial)
            if not journal:
                return request, None
            now = self.clock()  # model defaults for the rest
            entry_id = stored.add_entry(session, dict(
                state=INTENT, created_at=now, updated_at=now, owner_pid=os.getpid(),
                deadline=time.time() + deadline_s, tid=request.tid, serial=serial,
                klass=request.klass, orig_type=request.type, mode=request.mode,
                company=request.company, installment=request.installment, total=request.total,
                service=request.service, vat=request.vat, supply=request.supply,
                tax_free=request.tax_free, orig_approval_no=request.orig_approval_no,
                orig_approval_date=request.orig_approval_date, pos_ref=request.pos_ref))
            return request, entry_id

    # --- after the answer -----------------------------------------------------------------------

    def settle(self, entry_id: int | None, record: Callable[[Session], Any] | None) -> None:
        """A valid answer came: clear the entry and run ``record`` in the same transaction."""
        with self.db.session() as session:
            if entry_id is not None:  # one statement: no need to load the entry to drop it
                stored.drop_entry(session, entry_id)
            if record is not None:
                record(session)

    def discard(self, entry_id: int | None) -> None:
        """Nothing reached the host (no connection), or it refused the serial: no 0440 owed."""
        if entry_id is None:
            return
        with self.db.session() as session:
            stored.drop_entry(session, entry_id)

    def mark_pending(self, entry_id: int, reason: str) -> None:
        """No valid answer: a 0440 is owed, due at once."""
        with self.db.session() as session:
            entry = stored.entry(session, entry_id)
            if entry is not None and entry.state != REVERSED:
                entry.state, entry.last_error = PENDING, reason[:200]
                entry.next_retry, entry.updated_at = time.time(), datetime.now()

    def mark_reversed(self, entry_id: int, message: str,
                      on_reversed: OnReversed | None = None) -> None:
        """A valid 0450 came: the entry is done (kept as history of network cancels)."""
        with self.db.session() as session:
            entry = stored.entry(session, entry_id)
            if entry is None:
                return
            entry.state, entry.result_message = REVERSED, message
            entry.attempts += 1
            entry.finished_at = entry.updated_at = datetime.now()
            stored.write_now(session)
            from kspos.sync.outbox import record_reversal

            # the 망취소 result is a fact for the office: its outbox row commits with it
            record_reversal(session, entry_id, entry.finished_at)
            if on_reversed is not None:
                on_reversed(session, PendingReversal.of(entry))

    def mark_failed_attempt(self, entry_id: int, reason: str, next_retry: float) -> None:
        with self.db.session() as session:
            entry = stored.entry(session, entry_id)
            if entry is not None:
                entry.attempts += 1
                entry.last_error, entry.next_retry = reason[:200], next_retry
                entry.updated_at = datetime.now()

    # --- queries --------------------------------------------------------------------------------

    def recover_abandoned(self) -> int:
        """Turn every INTENT whose process died or whose time ran out into PENDING."""
        count = 0
        with self.db.session() as session:
            for entry in stored.entries(session, self.tid, INTENT):
                if abandoned(entry):
                    entry.state, entry.updated_at = PENDING, datetime.now()
                    entry.last_error = entry.last_error or "interrupted before an answer came"
                    entry.next_retry = 0.0
                    count += 1
        return count

    def pending(self) -> list[VanReversal]:
        """Entries owing a 0440, oldest first."""
        with self.db.session() as session:
            return stored.entries(session, self.tid, PENDING)

    def get(self, entry_id: int) -> VanReversal | None:
        with self.db.session() as session:
            entry = stored.entry(session, entry_id)
            return entry if entry is not None and entry.tid == self.tid else None

    def owed(self) -> bool:
        """Whether a 0440 is owed under this TID: an entry pending, or an intent whose
        exchange died (a crash). One indexed read in the common case (nothing at all)."""
        return any(state == PENDING or intent_abandoned(owner_pid, deadline)
                   for state, owner_pid, deadline in stored.open_entries(self.db, self.tid))

    def history(self, limit: int = 50) -> list[VanReversal]:
        """Completed network cancels, newest first (the technician's screen)."""
        with self.db.session() as session:
            return stored.entries(session, self.tid, REVERSED, newest_first=True, limit=limit)
