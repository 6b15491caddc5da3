"""Column widths of receipt text and wrapping that never splits a syllable.

A receipt printer prints on a grid: an ASCII character takes one column (Font A, 12 dots on
80 mm paper), a Hangul syllable or any other double-byte KS X 1001 character takes two. Widths
follow Unicode's East Asian Width (W/F = 2); an "ambiguous" character that the printer can
only print from its double-byte KS X 1001 font (×, ·, ※, box drawing) is 2 as well, because
that is how wide the printer prints it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `kspos report` should not import typing
if TYPE_CHECKING:
    from typing import Literal

    Align = Literal["left", "right", "center"]
else:
    Align = str  # the name importers use in annotations; mypy sees the Literal above


@lru_cache(maxsize=4096)
def ksx1001_bytes(ch: str) -> bytes | None:
    """The two EUC-KR bytes of a KS X 1001 character; None when it is not in KS X 1001.

    Python's ``euc_kr`` codec writes the 2,350 missing syllables (똠, 똥's neighbours...) as an
    8-byte "make-up" sequence that printers do not understand; those count as missing.
    """
    try:
        encoded = ch.encode("euc_kr")
    except UnicodeEncodeError:
        return None
    if len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1:
        return encoded
    return None


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns one character takes on the printer: 0, 1 or 2."""
    code = ord(ch)
    if code < 0x80:
        return 1 if 0x20 <= code < 0x7F else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 2 if ksx1001_bytes(ch) is not None else 1


@lru_cache(maxsize=8192)  # labels, menu names and amounts repeat from slip to slip
def text_width(text: str) -> int:
    """Columns ``text`` takes (Hangul 2, ASCII 1)."""
    if text.isascii():
        if text.isprintable():  # ASCII printable is exactly 0x20-0x7E: a column each
            return len(text)
        return sum(1 for c in text if 0x20 <= ord(c) < 0x7F)
    return sum(map(char_width, text))


def clean(text: str) -> str:
    """NFC (so a syllable is one code point, never split), control characters → spaces."""
    text = unicodedata.normalize("NFC", str(text))
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " for c in text)


def pad(text: str, width: int, align: Align = "left") -> str:
    """``text`` padded with spaces to exactly ``width`` columns (it must fit)."""
    gap = width - text_width(text)
    if gap < 0:
        raise ValueError(f"{text!r} is wider than {width} columns")
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def _split_long_word(word: str, width: int) -> list[str]:
    """Cut a word wider than ``width`` between characters (a syllable stays whole)."""
    pieces: list[str] = []
    current, used = "", 0
    for ch in word:
        w = char_width(ch)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap into lines of at most ``width`` columns, breaking at spaces when it can.

    Always returns at least one line (``[""]`` for empty text).
    """
    if width < 2:
        raise ValueError("a wrap width below 2 columns cannot hold a Hangul syllable")
    text = clean(text).strip()
    if text_width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word) <= width:
            current = word
        else:
            *full, current = _split_long_word(word, width)
            lines.extend(full)
    if current or not lines:
        lines.append(current)
    return lines


def truncate(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits ``width`` columns."""
    out, used = "", 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        out += ch
        used += w
    return out
