"""Column widths: Hangul 2, ASCII 1; wrapping never splits a syllable."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kspos.receipts.textwidth import char_width, ksx1001_bytes, pad, text_width, wrap


def test_widths() -> None:
    assert text_width("아메리카노") == 10
    assert text_width("ICE 4,500") == 9
    assert text_width("아메리카노 (ICE)") == 16
    assert char_width("※") == 2  # ambiguous width, but printed from the double-byte font
    assert char_width("\u0301") == 0


def test_ksx1001() -> None:
    assert ksx1001_bytes("가") == b"\xb0\xa1"
    assert ksx1001_bytes("똠") is None  # Python would write an 8-byte make-up sequence
    assert ksx1001_bytes("😀") is None


def test_pad_aligns_by_columns() -> None:
    assert pad("4,500", 8, "right") == "   4,500"
    assert pad("합계", 8, "center") == "  합계  "
    assert text_width(pad("카페라떼", 20)) == 20


def test_decomposed_hangul_is_composed_before_wrapping() -> None:
    decomposed = unicodedata.normalize("NFD", "아메리카노 카페라떼")
    assert wrap(decomposed, 10) == ["아메리카노", "카페라떼"]


hangul = st.text(alphabet=st.sampled_from("가나다라마바사아자차카타파하똠 abcXYZ0123"),
                 min_size=1, max_size=60)


@given(text=hangul, width=st.integers(min_value=2, max_value=48))
def test_wrap_fits_and_keeps_every_syllable(text: str, width: int) -> None:
    rows = wrap(text, width)
    assert all(text_width(row) <= width for row in rows)
    assert "".join(rows).replace(" ", "") == text.replace(" ", "")
