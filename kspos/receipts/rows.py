"""What the sale slip (kspos/receipts/printing.py) and the 취소/환불 영수증
(kspos/receipts/refund_slips.py) both take from the stored rows: a wallet's name, a line's
options, a payment's 현금영수증, and the receipt model's names they both build with.
"""

from __future__ import annotations

import json
from typing import Any

from kspos.devices.cards import mask_identity
from kspos.devices.scanning import WALLET_NAMES
from kspos.receipts.model import (
    CardTender,
    CashReceipt,
    CashReceiptPurpose,
    CashTender,
    EasyPayTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    StoreHeader,
    Tender,
    Totals,
)
from kspos.sales.payments import SELF_ISSUED_ID

__all__ = ["CardTender", "CashReceipt", "CashTender", "EasyPayTender", "Receipt", "ReceiptKind",
           "ReceiptLine", "StoreHeader", "Tender", "Totals", "cash_receipt", "options",
           "wallet_name"]


def wallet_name(code: str | None) -> str:
    """The easy-pay wallet's name as the slip prints it (its code when unknown)."""
    return WALLET_NAMES.get(code or "", (code or "", ""))[0]


def options(options_json: str | None) -> tuple[str, ...]:
    """An order line's chosen options as printed: ``샷 추가 +500``, or the name alone."""
    return tuple(f"{name} +{delta:,}" if delta else name
                 for _group, name, _en, delta in json.loads(options_json or "[]"))


def cash_receipt(payment: Any, approval_no: str) -> CashReceipt:
    """The 현금영수증 of a cash ``payment`` row under ``approval_no`` (its own, or a refund's
    cancel): purpose, masked identity, and whether it was self-issued (자진발급)."""
    purpose = CashReceiptPurpose.EXPENSE if payment.cash_receipt_purpose == "expense" \
        else CashReceiptPurpose.DEDUCTION
    identity = payment.cash_receipt_id_masked or ""
    return CashReceipt(purpose=purpose, identity=identity, approval_no=approval_no,
                       self_issued=identity == mask_identity(SELF_ISSUED_ID))
