"""Small Korean text helpers."""

from __future__ import annotations


def has_batchim(word: str) -> bool:
    """True when the last Hangul syllable ends in a consonant (받침)."""
    for char in reversed(word.strip()):
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            return code % 28 != 0
        if char.isdigit():
            return char in "013678"  # 영, 일, 삼, 육, 칠, 팔
        if char.isalpha():
            return False
    return False


def josa(word: str, with_batchim: str, without: str) -> str:
    """``word`` with the right particle: josa("커피", "을", "를") → "커피를"."""
    return word + (with_batchim if has_batchim(word) else without)
