"""Who made a fact: the store's code and the terminal's number, and the UUIDs it makes.

Kept free of imports (start-up): the store layer asks for a UUID in every sale.
"""

from __future__ import annotations

import os


class Identity:
    """``[store] code`` and ``[store] terminal`` of this terminal (demo: ``S0001`` / ``01``)."""

    __slots__ = ("store_code", "terminal")

    def __init__(self, store_code: str = "S0001", terminal: str = "01") -> None:
        self.store_code = store_code
        self.terminal = terminal

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identity) and (self.store_code, self.terminal) == (
            other.store_code, other.terminal)

    def __hash__(self) -> int:
        return hash((self.store_code, self.terminal))

    def __repr__(self) -> str:
        return f"Identity({self.store_code!r}, {self.terminal!r})"


DEMO_IDENTITY = Identity()


def new_uuid() -> str:
    """A random (version 4) UUID as text, made from os.urandom without importing ``uuid``
    (its import costs start-up time, and a sale makes several)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def receipt_number(day: str, terminal: str, seq: int) -> str:
    """``YYYYMMDD-TT-NNNN``: the business day, this terminal, the day's sequence on it.

    Unique in the store (each terminal numbers its own days); 16 characters, well inside the
    telegram's 30-byte 가맹점사용필드. Past 9999 a day the sequence simply grows a digit."""
    return f"{day.replace('-', '')}-{terminal}-{seq:04d}"
