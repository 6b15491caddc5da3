"""분할 환불: pick the part of a split check to give back. Each part is a row a finger can hit,
with the tenders that paid it; the refund then gives back exactly those tenders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from kspos.sales.payments import METHOD_WORDS
from kspos.sales.tenders import wallet_name
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t, won
from ui.widgets.common import button, label


def parts_holding_money(payments: Sequence[Any]) -> dict[int, list[Any]]:
    """Part index → its tenders that still hold money (a check's split parts only)."""
    parts: dict[int, list[Any]] = {}
    for p in payments:
        if p.row.split_part is not None and p.refundable > 0:
            parts.setdefault(int(p.row.split_part), []).append(p)
    return dict(sorted(parts.items()))


def part_text(part: int, tenders: Sequence[Any]) -> str:
    """"2번 · 카드 12,000원 404825******1234" — what the customer paid that part with."""
    paid = []
    for p in tenders:
        text = f"{t(METHOD_WORDS[p.method])} {won(p.refundable)}"
        if p.row.wallet:
            text += f" {wallet_name(p.row.wallet, current_language())}"
        if p.row.masked_pan:
            text += f" {p.row.masked_pan}"
        if p.row.cash_receipt_id_masked:
            text += f" ({t('현금영수증')} {p.row.cash_receipt_id_masked})"
        paid.append(text)
    return f"{t('{n}번').replace('{n}', str(part + 1))} · " + " + ".join(paid)


class PartRefundDialog(TouchDialog):
    """The paid parts of one check; one tap picks the part to refund (``chosen``)."""

    def __init__(self, parent: QWidget | None, parts: dict[int, list[Any]]) -> None:
        super().__init__(parent, t("분할 환불"))
        self.setObjectName("PartRefundDialog")
        self.chosen: int | None = None
        hint = label(t("환불할 부분을 고르세요"), "muted", name="part-refund-hint")
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        for part, tenders in parts.items():
            b = button(part_text(part, tenders), "choice", lambda k=part: self.choose(k),
                       name=f"part-refund-{part}")
            b.setMinimumHeight(64)
            self.body.addWidget(b)
        self.cancel_button.setMinimumHeight(64)
        self.setMinimumWidth(520)

    def choose(self, part: int) -> None:
        self.chosen = part
        self.accept()
