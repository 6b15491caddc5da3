"""The VAN link's tables: serial counters and the network-cancel (망취소) journal (migration
``0002_van``), and the answers the technician's commands keep (``van_record``, ``0007_van``).

None ever holds card data: the journal keeps what a ``0440`` needs (class, 거래형태, TID,
field 7, serial, installment, amounts, the original approval number/date) and the POS receipt
number, the records the answer with the masked PAN at most; never track-2 or a PAN. What the
journal's states mean is :mod:`kspos.van.store`; its statements are
:mod:`kspos.store.van_journal`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from kspos.store.models import uuid_field

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
