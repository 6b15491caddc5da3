"""The paperless receipt: a sale's 승인 data as plain text, for a QR code on the customer display.

When the slip is not printed (``[store] receipt = "none"``, or the customer said 안 함), the
customer photographs the code with the phone's camera and keeps the text: the store, the receipt
number, the time, the totals and each tender's approval. It is the receipt's own text, not a
link: nothing leaves the counter, and the code works without any service behind it.

It holds no more card data than the printed slip (the masked number, first 6 / last 4 at most,
masked again here), and it is kept short so the code stays a low QR version: a phone reads it
off a screen at arm's length. The lines sold are left out for the same reason; the 영수증 번호
finds them (거래내역 → 재발행).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kspos.receipts.model import (
    CardTender,
    CashTender,
    EasyPayTender,
    Receipt,
    Tender,
    safe_masked_pan,
)

if TYPE_CHECKING:
    from kspos.receipts.model import CashReceipt

QUIET_ZONE = 4
"""Modules of white around the code (the QR standard's quiet zone): a scanner needs it."""

# The order number's field name on the receipt model (added by the pickup work); read with
# getattr, so this module works with or without it.
_ORDER_NUMBER_FIELDS = ("order_number", "pickup_no")


def receipt_qr_text(receipt: Receipt) -> str:
    """The receipt's 승인 data as a few short lines of text (no URL): store name, 사업자번호,
    영수증 번호, 일시, 합계/공급가/부가세, then one line per tender (method, amount; a card's
    카드사, masked number, 할부 and 승인번호; a 현금영수증's 승인번호), and the 주문번호 when the
    receipt has one. A training sale says 연습 first."""
    lines = ["[연습] 매출 아님"] if receipt.training else []
    lines += [f"{receipt.kind.title} {receipt.store.name}",
              f"사업자 {receipt.store.business_number}",
              f"번호 {receipt.receipt_no}",
              f"일시 {receipt.issued_at:%Y-%m-%d %H:%M}"]
    number = _order_number(receipt)
    if number:
        lines.append(f"주문번호 {number}")
    totals = receipt.totals
    lines.append(f"합계 {totals.total:,}원")
    vat = f"공급가 {totals.supply:,} 부가세 {totals.vat:,}"
    if totals.tax_free:
        vat += f" 면세 {totals.tax_free:,}"
    if totals.service_charge:
        vat += f" 봉사료 {totals.service_charge:,}"
    lines.append(vat)
    lines += [_tender_line(tender) for tender in receipt.tenders]
    return "\n".join(lines)


def _tender_line(tender: Tender) -> str:
    if isinstance(tender, CardTender):
        pan = safe_masked_pan(tender.masked_pan)  # never more than the slip prints
        grouped = "-".join(pan[i:i + 4] for i in range(0, len(pan), 4))
        parts = ["카드", f"{tender.amount:,}", tender.issuer, grouped,
                 tender.installment_text, f"승인 {tender.approval_no}"]
    elif isinstance(tender, EasyPayTender):
        parts = ["간편결제", f"{tender.amount:,}", tender.wallet, f"승인 {tender.approval_no}"]
    else:
        parts = ["현금", f"{tender.amount:,}", _cash_receipt(tender)]
    return " ".join(part for part in parts if part)


def _cash_receipt(tender: CashTender) -> str:
    receipt: CashReceipt | None = tender.cash_receipt
    if receipt is None:
        return ""
    return f"현금영수증({receipt.purpose.value}) 승인 {receipt.approval_no}"


def _order_number(receipt: Receipt) -> str:
    for name in _ORDER_NUMBER_FIELDS:
        value = getattr(receipt, name, None)
        if value not in (None, "", 0):
            return str(value)
    return ""


def qr_matrix(text: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """``text`` (UTF-8) as a QR code, error correction M, the smallest version that holds it,
    with ``border`` modules of quiet zone: rows of modules, True = dark. No Qt, no image
    library: a widget paints it, a test counts it. ``qrcode`` is imported only here."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def qr_version(matrix: list[list[bool]], border: int = QUIET_ZONE) -> int:
    """The QR version (1-40) of a :func:`qr_matrix`: version v is 17 + 4·v modules wide."""
    return (len(matrix) - 2 * border - 17) // 4
