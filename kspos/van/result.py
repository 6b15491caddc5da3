"""What a VAN call gives back: :class:`VanResult`, and its ``--json`` form (ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class NetworkCancel:
    """The network cancel owed when no valid answer came: ``status`` is done or pending."""

    serial: str
    status: str  # "done" | "pending"
    message: str = ""  # the 0450's Message1 once done

    def to_json(self) -> dict[str, str]:
        return {"serial": self.serial, "status": self.status}


@dataclass(frozen=True, slots=True)
class VanResult:
    """The outcome of one VAN request, ready to record and to print.

    ``status`` is the host's ``O``/``X``/``F``; when no valid answer came ``type`` is None,
    ``status`` is ``F``, ``code`` is empty, ``message`` says why, and ``network_cancel`` tells
    whether the 망취소 finished. Card data: ``masked_pan`` and ``bin`` only.
    """

    request_type: str
    klass: str
    serial: str
    status: str
    code: str
    message: str
    type: str | None = None
    approval_no: str = ""
    approval_date: str = ""  # YYMMDD
    approved_at: str = ""  # YYMMDDhhmmss, the host's clock
    masked_pan: str = ""
    bin: str = ""
    brand: str = ""
    card_type: str = ""
    issuer_code: str = ""
    issuer: str = ""
    acquirer_code: str = ""
    acquirer: str = ""
    merchant_no: str = ""
    van_txn_id: str = ""
    wallet: str = ""
    masked_identity: str = ""  # cash receipts: the identity as a receipt may show it
    installment: int = 0
    amount: int = 0
    mode: str = "N"
    balance: int = 0
    pos_ref: str = ""
    tid: str = ""
    orig_approval_no: str = ""  # cancels: the approval they cancel
    orig_approval_date: str = ""
    sent: bool = True
    """False when not one byte reached the host (no connection): nothing to reverse."""
    network_cancel: NetworkCancel | None = None

    @property
    def answered(self) -> bool:
        """A valid answer came from the host."""
        return self.type is not None

    @property
    def approved(self) -> bool:
        """The host approved (or, for a cancel, accepted) the request."""
        return self.answered and self.status == "O"

    def to_json(self) -> dict[str, Any]:
        """The ``kspos van --json`` object; field names are a contract (never renamed)."""
        return {
            "type": self.type,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "approval_no": self.approval_no,
            "approval_date": self.approval_date,
            "approved_at": self.approved_at,
            "serial": self.serial,
            "masked_pan": self.masked_pan,
            "issuer_code": self.issuer_code,
            "issuer": self.issuer,
            "acquirer_code": self.acquirer_code,
            "acquirer": self.acquirer,
            "merchant_no": self.merchant_no,
            "van_txn_id": self.van_txn_id,
            "network_cancel": self.network_cancel.to_json() if self.network_cancel else None,
            "request_type": self.request_type,
            "class": self.klass,
            "mode": self.mode,
            "amount": self.amount,
            "installment": self.installment,
            "card_type": self.card_type,
            "bin": self.bin,
            "brand": self.brand,
            "wallet": self.wallet or None,
            "masked_identity": self.masked_identity,
            "balance": self.balance,
            "sent": self.sent,
        }


@dataclass(frozen=True, slots=True)
class ReversalOutcome:
    """One 0440 attempt made by ``resume_pending``."""

    tid: str
    serial: str
    done: bool
    message: str  # 망취소완료 / 원거래없음 when done, else why not
    pos_ref: str = ""
