"""Card numbers: Luhn, masking (korean-rules.md) and brand by BIN. Pure functions."""

from __future__ import annotations

PAN_LENGTHS = range(13, 20)
"""A card number has 13-19 digits (ISO/IEC 7812)."""

_ASCII_DIGITS = frozenset("0123456789")

# Full-width digits and '=' (what a Korean IME types) read as their ASCII selves; any other
# non-ASCII digit (superscripts, other scripts) is refused, never sent.
FULL_WIDTH = str.maketrans({chr(0xFF10 + n): str(n) for n in range(10)} | {"\uff1d": "="})


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more ASCII digits (``str.isdigit`` also takes '²', '٤')."""
    return bool(text) and _ASCII_DIGITS.issuperset(text)


def luhn_ok(pan: str) -> bool:
    """True when ``pan`` (digits only) passes the Luhn check."""
    if not ascii_digits(pan) or not 12 <= len(pan) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(pan)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def mask_pan(pan: str, mask: str = "*") -> str:
    """Mask a PAN: digits 1-6 and from 13 on visible, at most the last 4; the rest masked.

    ``5365101234560006`` → ``536510******0006``; 15 digits → ``376100******004``;
    19 digits → first 6 + last 4.
    """
    digits = "".join(c for c in pan if c in _ASCII_DIGITS)
    if len(digits) < 10:
        return mask * len(digits)
    tail = min(4, max(0, len(digits) - 12))
    return digits[:6] + mask * (len(digits) - 6 - tail) + (digits[-tail:] if tail else "")


def card_bin(pan: str) -> str:
    """The first 6 digits (BIN), the only part besides the masked PAN that may be kept."""
    return "".join(c for c in pan if c in _ASCII_DIGITS)[:6]


def brand_of(pan_or_bin: str) -> str:
    """The card brand by BIN prefix (the VAN simulator's table, specs/van-telegram.md §6)."""
    d = pan_or_bin
    if d.startswith("9"):
        return "BC"
    if d.startswith("4"):
        return "VISA"
    if d[:2] in {"51", "52", "53", "54", "55"} or d[:2] in {"22", "23", "24", "25", "26", "27"}:
        return "MASTER"
    if d.startswith("35"):
        return "JCB"
    if d[:2] in {"34", "37"}:
        return "AMEX"
    return "LOCAL" if d else ""


def split_track2(track2: str) -> tuple[str, str]:
    """``PAN=YYMM...`` → (PAN, YYMM); ValueError unless the PAN is 13-19 ASCII digits and
    YYMM 4 ASCII digits."""
    pan, sep, rest = track2.partition("=")
    if not sep or not ascii_digits(pan) or len(pan) not in PAN_LENGTHS \
            or not ascii_digits(rest[:4]) or len(rest) < 4:
        raise ValueError("track-2 data must look like PAN=YYMM (a PAN has 13-19 digits)")
    return pan, rest[:4]


def remask_pan(text: str, mask: str = "*") -> str:
    """A masked PAN as a host sent it, masked again by our rule: whatever it held (the whole
    number, spaces or dashes), the first 6 and, as :func:`mask_pan`, at most the last 4 of the
    digits from the 13th on stay visible."""
    kept = "".join(c for c in text if c in _ASCII_DIGITS or c == mask)[:19]
    if len(kept) < 10:
        return mask * len(kept)
    tail = min(4, max(0, len(kept) - 12))  # digits 7-12 never show (a 15-digit PAN: last 3)
    return kept[:6] + mask * (len(kept) - 6 - tail) + (kept[-tail:] if tail else "")


def mask_identity(identity: str) -> str:
    """Mask a cash-receipt identity for receipts: keep the first 3 and last 4 digits."""
    digits = "".join(c for c in identity if c in _ASCII_DIGITS)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
