"""Input rules the VAN client enforces before anything is written or sent.

Amounts, installments, keyed cards, card reads, cash-receipt identities (mobile, cash receipt
card, business registration number), wallets and approval dates, per specs/van-telegram.md and
specs/korean-rules.md. Each refusal is a :class:`VanInputError` whose message a cashier or
technician can act on; none of them repeats a card number.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from kspos.config import valid_business_number
from kspos.devices.cards import FULL_WIDTH, split_track2
from kspos.devices.scanning import WALLET_NAMES
from kspos.messages import DomainError
from kspos.money import MAX_PRICE_KRW, vat_split
from kspos.ports import CardRead, ReadResult
from kspos.van import codes
from kspos.van.telegram import Request

TID = re.compile(r"[A-Za-z0-9]{10}")
_KEYED = re.compile(r"([0-9]{13,19})=([0-9]{2})([0-9]{2})")  # ASCII digits, not \d


class VanError(Exception):
    """A VAN call that cannot be made; ``str()`` is a message for the cashier/technician."""


class VanInputError(DomainError, VanError, ValueError):
    """Input that breaks the rules; nothing was written or sent. A message code
    (kspos.messages); ``str()`` stays the English ``kspos van`` prints."""

    plain = True


def identity_ok(identity: str) -> bool:
    """A cash-receipt identity: mobile, cash receipt card or business number (section 5)."""
    if not identity.isascii() or not identity.isdigit():
        return False
    if re.fullmatch(r"01\d{8,9}", identity):
        return True
    if 13 <= len(identity) <= 19:
        return True
    return len(identity) == 10 and valid_business_number(identity)


def amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or \
            not 0 < amount <= MAX_PRICE_KRW:
        raise VanInputError("van.amount", most=MAX_PRICE_KRW)
    return amount


def priced(request: Request, total: int, tax_free: int, service: int) -> Request:
    """``request`` carrying ``total`` and its VAT split (korean-rules.md), checked."""
    try:
        split = vat_split(amount(total), tax_free, service)
    except (TypeError, ValueError) as exc:
        raise VanInputError("van.amounts", error=exc) from None
    return replace(request, total=split.total, supply=split.supply, vat=split.vat,
                   tax_free=split.tax_free, service=split.service)


def mode(test: bool) -> str:
    return "T" if test else "N"


def valid_yymmdd(text: object) -> bool:
    if not isinstance(text, str) or len(text) != 6 or not text.isascii() or not text.isdigit():
        return False
    try:
        datetime.strptime(text, "%y%m%d")
    except ValueError:
        return False
    return True


def parse_keyed(text: str) -> str:
    """Check a keyed card ``PAN=YYMM`` (13-19 digits, month 01-12); the track-2 to send.

    Full-width digits (a Korean IME's) are read as ASCII; any other non-ASCII character is
    refused, so the telegram never carries a 2-byte EUC-KR "digit"."""
    keyed = text.strip().translate(FULL_WIDTH) if isinstance(text, str) else ""
    match = _KEYED.fullmatch(keyed)
    if not match or not 1 <= int(match[3]) <= 12:
        raise VanInputError("van.keyed_card")
    return match[0]


def card_source(card: CardRead | None, keyed: str | None) -> tuple[str, str, str]:
    """(track-2, entry mode, reader model) from a card read or a keyed ``PAN=YYMM``."""
    if (card is None) == (keyed is None):
        raise VanInputError("van.card_or_keyed")
    if keyed is not None:
        return parse_keyed(keyed), "K", ""
    assert card is not None
    if card.result is not ReadResult.READ or card.entry_mode not in ("I", "S", "K"):
        raise VanInputError("van.card_not_read")
    try:
        split_track2(card.track2)
    except ValueError:
        raise VanInputError("van.no_track2") from None
    if len(card.track2) > 37 or not card.track2.isascii():
        raise VanInputError("van.track2_too_long")
    return card.track2, card.entry_mode, card.reader


def identity(identity: str | None, purpose: str) -> tuple[str, str]:
    """(identity digits, purpose 00/01); 자진발급 when ``identity`` is empty."""
    purpose = {"deduction": "00", "expense": "01"}.get(purpose, purpose)
    if purpose not in (codes.PURPOSE_DEDUCTION, codes.PURPOSE_EXPENSE):
        raise VanInputError("van.receipt_purpose")
    if not identity:
        if purpose != codes.PURPOSE_DEDUCTION:
            raise VanInputError("van.self_issued")
        return codes.SELF_ISSUED_IDENTITY, purpose
    digits = identity.replace("-", "").replace(" ", "")
    if not identity_ok(digits):
        raise VanInputError("van.receipt_identity")
    return digits, purpose


def wallet(wallet: str | None) -> str:
    code = (wallet or "").strip().upper()
    if code not in WALLET_NAMES:
        known = " ".join(WALLET_NAMES)
        if not wallet:
            raise VanInputError("van.wallet_unknown", known=known)
        raise VanInputError("van.wallet_named", wallet=wallet, known=known)
    return code
