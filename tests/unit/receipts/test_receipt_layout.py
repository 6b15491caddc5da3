"""Layout on 48/42/32 columns: every row fits, amounts line up right, long names wrap."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from kspos.money import vat_split
from kspos.receipts.layout import ITEM_COLUMNS, QrLine, TextLine, lay_out
from kspos.receipts.model import Receipt, ReceiptKind, ReceiptLine, Totals
from kspos.receipts.samples import SAMPLE_STORE, sample_receipt
from kspos.receipts.textwidth import text_width

LONG_NAME = "제주 유기농 말차 크림 프라푸치노 벤티 사이즈 디카페인 저지방 우유"


def _with_line(line: ReceiptLine) -> Receipt:
    return Receipt(store=SAMPLE_STORE, kind=ReceiptKind.SALE, receipt_no="20261125-0007",
                   issued_at=datetime(2026, 11, 25, 10, 0), lines=(line,),
                   totals=Totals.from_split(vat_split(line.charged)))


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_every_row_is_exactly_the_paper_width(columns: int) -> None:
    layout = lay_out(sample_receipt(training=True, reprint=True), columns)
    for line in layout.lines:
        if isinstance(line, TextLine):
            expected = columns // 2 if line.double else columns
            assert text_width(line.text) == expected, line.text


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_amounts_end_at_the_right_edge(columns: int) -> None:
    rows = lay_out(sample_receipt(), columns).as_text()
    expected = (("과세물품가액", "19,000"), ("부가세", "1,900"), ("면세물품가액", "1,000"),
                ("거스름돈", "3,100"), ("받은 금액", "10,000"))
    for label, amount in expected:
        row = next(r for r in rows if r.startswith(label))
        assert row.endswith(" " + amount), row
    item = next(r for r in rows if r.startswith("아메리카노"))
    assert item.endswith("10,000") and text_width(item) == columns
    cols = ITEM_COLUMNS[columns]
    # the qty sits right-aligned at the end of the qty column
    assert item[: -cols.amount].rstrip().endswith("2")


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_long_hangul_names_wrap_between_words(columns: int) -> None:
    rows = [r for r in lay_out(_with_line(ReceiptLine(LONG_NAME, 1, 7_500)), columns).as_text()]
    start = next(i for i, r in enumerate(rows) if r.startswith("제주"))
    end = next(i for i, r in enumerate(rows) if r.rstrip().endswith("7,500"))
    name_rows = rows[start:end + 1]
    assert len(name_rows) >= 2
    words = " ".join(re.sub(r"\s+1\s+7,500$", "", r).strip() for r in name_rows).split()
    assert words == LONG_NAME.split()  # every word whole, in order: no syllable split
    assert all(text_width(r) == columns for r in name_rows)


def test_a_word_longer_than_the_row_is_cut_between_syllables() -> None:
    name = "가" * 40  # 80 columns, no space
    rows = lay_out(_with_line(ReceiptLine(name, 1, 1_000)), 32).as_text()
    pieces = [r.strip() for r in rows if r.strip().startswith("가")]
    assert "".join(p.split()[0] for p in pieces) == name


def test_options_service_discount_and_tax_free_are_shown() -> None:
    rows = lay_out(sample_receipt(), 48).as_text()
    assert "  + 샷 추가 +500" in [r.rstrip() for r in rows]
    cookie = next(r for r in rows if r.startswith("초코칩 쿠키"))
    assert cookie.endswith("서비스")
    assert any(r.startswith("  할인") and r.endswith("-500") for r in rows)
    assert any(r.startswith("*유기농 바나나") for r in rows)
    assert any(r.startswith("주문 할인") and r.endswith("-1,000") for r in rows)


def test_title_and_total_are_bold_and_double() -> None:
    layout = lay_out(sample_receipt(), 48)
    doubles = [line.text.strip() for line in layout.lines
               if isinstance(line, TextLine) and line.double and line.bold]
    assert "영수증" in doubles
    assert any(t.startswith("합계") and t.endswith("21,900") for t in doubles)


def test_card_block_masks_and_never_prints_an_expiry() -> None:
    text = "\n".join(lay_out(sample_receipt(), 48).as_text())
    assert "5365-10**-****-0006" in text
    assert "일시불" in text and "30012345" in text and "123456789" in text
    assert "유효기간" not in text and not re.search(r"\d{13,}", text.replace("-", ""))


def test_refund_slip_prints_negative_amounts() -> None:
    rows = lay_out(sample_receipt(kind=ReceiptKind.REFUND), 42).as_text()
    assert any(r.strip() == "환불 영수증" for r in rows)
    assert any(r.startswith("원영수증") and "20261125-0041" in r for r in rows)
    assert any(r.startswith("합계") and r.endswith("-21,900") for r in rows)
    assert any(r.startswith("신용카드 취소") and r.endswith("-15,000") for r in rows)


def test_training_and_reprint_are_marked() -> None:
    layout = lay_out(sample_receipt(training=True, reprint=True), 32)
    rows = [r.strip() for r in layout.as_text()]
    assert layout.training
    assert rows[0] == "연습 TRAINING" and rows[-2] == "연습 TRAINING"
    assert "** 재발행 REPRINT **" in rows
    rows48 = [r.strip() for r in lay_out(sample_receipt(training=True), 48).as_text()]
    assert rows48[0] == "*** 연습 TRAINING ***"


def test_qr_payload_is_laid_out() -> None:
    layout = lay_out(sample_receipt(), 48)
    assert [line.payload for line in layout.lines if isinstance(line, QrLine)] == \
        ["KSPOS 20261125-0042"]


def test_unknown_width_is_refused() -> None:
    with pytest.raises(ValueError, match="48, 42 or 32"):
        lay_out(sample_receipt(), 40)


def test_outsized_numbers_still_fit_the_row() -> None:
    line = ReceiptLine("생수 2L", 12_345, 99_999_999)
    for columns in (48, 42, 32):
        layout = lay_out(_with_line(line), columns)
        [row] = [line.text for line in layout.lines if isinstance(line, TextLine)
                 and not line.double and "99,999,999" in line.text]
        assert text_width(row) == columns and row.endswith(" 99,999,999")
        assert row.split()[-2] == "12345"


def test_a_receipt_names_the_store_and_the_terminal() -> None:
    """A store with several counters finds a sale by the POS that printed it."""
    from dataclasses import replace

    from kspos.config import StoreSettings
    from kspos.receipts.model import StoreHeader

    store = StoreSettings(code="GANGNAM7", terminal="02")
    receipt = replace(sample_receipt(), store=StoreHeader.from_settings(store))
    for columns in (48, 42, 32):
        assert "GANGNAM7 POS 02" in "\n".join(lay_out(receipt, columns).as_text())
    assert " POS " not in "\n".join(lay_out(sample_receipt(), 48).as_text())  # no identity
