"""The receipt model refuses numbers that do not add up and never carries a full card number."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from kspos.money import vat_split
from kspos.receipts.model import (
    CardTender,
    CashReceipt,
    CashReceiptPurpose,
    CashTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    StoreHeader,
    Totals,
)
from kspos.receipts.samples import SAMPLE_STORE, sample_receipt


def _receipt(**changes: object) -> Receipt:
    base = dict(store=SAMPLE_STORE, kind=ReceiptKind.SALE, receipt_no="20261125-0001",
                issued_at=datetime(2026, 11, 25, 9, 0),
                lines=(ReceiptLine("아메리카노", 1, 4_500),),
                totals=Totals.from_split(vat_split(4_500)))
    base.update(changes)
    return Receipt(**base)  # type: ignore[arg-type]


def test_business_number_is_formatted_and_checked() -> None:
    assert StoreHeader("가게", "2208162517").business_number == "220-81-62517"
    assert StoreHeader("가게", "220-81-62517").business_number == "220-81-62517"
    with pytest.raises(ValueError, match="10 digits"):
        StoreHeader("가게", "220-81-6251")


def test_sample_receipt_adds_up() -> None:
    receipt = sample_receipt()
    assert receipt.goods_total == 23_400
    assert receipt.discount_total == 1_500
    assert receipt.totals.total == 21_900
    assert receipt.totals.supply + receipt.totals.vat == 20_900


def test_totals_must_add_up() -> None:
    with pytest.raises(ValueError, match="totals disagree"):
        Totals(total=4_500, supply=4_091, vat=400)


def test_lines_must_match_the_total() -> None:
    with pytest.raises(ValueError, match="lines disagree"):
        _receipt(totals=Totals.from_split(vat_split(5_000)))


def test_service_lines_are_not_charged() -> None:
    receipt = _receipt(lines=(ReceiptLine("아메리카노", 1, 4_500),
                              ReceiptLine("쿠키", 1, 2_500, service=True)))
    assert receipt.goods_total == 4_500


def test_tenders_must_cover_the_total() -> None:
    with pytest.raises(ValueError, match="tenders add up"):
        _receipt(tenders=(CashTender(4_000),))


def test_cash_change_must_match() -> None:
    with pytest.raises(ValueError, match="received"):
        CashTender(4_500, received=10_000, change=5_000)
    assert CashTender(4_500, change=500).received == 5_000


def test_receipt_number_format() -> None:
    with pytest.raises(ValueError, match="YYYYMMDD-TT-NNNN"):
        _receipt(receipt_no="2026-11-25-1")
    with pytest.raises(ValueError, match="YYYYMMDD-TT-NNNN"):
        _receipt(receipt_no="20261125-1-0001")  # the terminal is two digits
    assert _receipt(receipt_no="20261125-02-0042").receipt_no == "20261125-02-0042"
    assert _receipt(receipt_no="20261125-0042").receipt_no == "20261125-0042"  # older stores


def test_a_full_card_number_is_masked_on_the_way_in() -> None:
    card = CardTender(4_500, "신한카드", "5365101234560006", "30012345")
    assert card.masked_pan == "536510******0006"
    assert card.grouped_pan == "5365-10**-****-0006"
    # digits 7-12 shown by mistake are masked too
    assert CardTender(4_500, "x", "536510123456****", "1").masked_pan == "536510**********"
    assert not any(f.name in ("expiry", "track2") for f in dataclasses.fields(CardTender))


def test_installment_text() -> None:
    assert CardTender(60_000, "x", "536510******0006", "1").installment_text == "일시불"
    assert CardTender(60_000, "x", "536510******0006", "1", installment=3).installment_text \
        == "3개월"


def test_cash_receipt_identity_is_masked() -> None:
    receipt = CashReceipt(CashReceiptPurpose.DEDUCTION, "010-1234-5678", "123")
    assert receipt.identity == "010****5678"


def test_amounts_are_integer_won() -> None:
    with pytest.raises(TypeError):
        ReceiptLine("아메리카노", 1, 4500.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ReceiptLine("아메리카노", 0, 4_500)
