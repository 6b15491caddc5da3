"""Paperless receipts: which sale slips print under ``[store] receipt`` (print / none / ask, with
``print_card_receipt``), the QR text the customer display shows instead, and a kept slip that
the customer asks for printing once."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from drivers.sim.printer import SimPrinter
from kspos.config import ConfigError, StoreSettings, load_settings
from kspos.receipts.model import (
    CardTender,
    CashReceipt,
    CashReceiptPurpose,
    CashTender,
    EasyPayTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    StoreHeader,
    Tender,
    Totals,
)
from kspos.receipts.printing import SKIP_ASK, SKIP_CARD, SKIP_NONE, PrintingService
from kspos.receipts.queue import DONE, PENDING, SKIPPED, PrintQueue
from kspos.receipts.receipt_qr import QUIET_ZONE, qr_matrix, qr_version, receipt_qr_text
from kspos.receipts.samples import sample_receipt
from kspos.store import Database

FULL_PAN = "5365101234560006"
STORE = StoreHeader(name="카페 예시", business_number="2208162517")


def card(amount: int, installment: int = 0, pan: str = "536510******0006") -> CardTender:
    return CardTender(amount, issuer="신한카드", masked_pan=pan, approval_no="30012345",
                      installment=installment)


def cash(amount: int) -> CashTender:
    return CashTender(amount, received=amount)


def sale(*tenders: Tender, lines: tuple[ReceiptLine, ...] | None = None) -> Receipt:
    """A three-line cafe sale (12,000원) paid by ``tenders``."""
    lines = lines or (ReceiptLine("아메리카노", 2, 9_000, options=("ICE",)),
                      ReceiptLine("카페라떼", 1, 2_000), ReceiptLine("쿠키", 1, 1_000))
    return Receipt(store=STORE, kind=ReceiptKind.SALE, receipt_no="20261125-01-0042",
                   issued_at=datetime(2026, 11, 25, 14, 3), lines=lines,
                   totals=Totals(total=12_000, supply=10_909, vat=1_091), tenders=tenders)


TENDERS = {
    "card": (card(12_000),),
    "cash": (cash(12_000),),
    "easypay": (EasyPayTender(12_000, "카카오페이", "K1234"),),
    "할부": (card(12_000, installment=3),),
    "card+cash": (card(7_000), cash(5_000)),
    "할부+cash": (card(7_000, installment=6), cash(5_000)),
    "card+card": (card(7_000), card(5_000)),
}

# (receipt, print_card_receipt) → the skip note per tender mix; absent = it prints.
EXPECTED: dict[tuple[str, bool], dict[str, str]] = {
    ("print", True): {},
    ("print", False): {"card": SKIP_CARD, "card+card": SKIP_CARD},
    ("none", True): {k: SKIP_NONE for k in TENDERS if "할부" not in k},
    ("none", False): {k: SKIP_NONE for k in TENDERS if "할부" not in k},
    ("ask", True): {k: SKIP_ASK for k in TENDERS if "할부" not in k},
    ("ask", False): {k: SKIP_ASK for k in TENDERS if "할부" not in k},
}


@pytest.mark.parametrize(("mode", "card_slips"), list(EXPECTED))
@pytest.mark.parametrize("tenders", list(TENDERS))
def test_each_mode_decides_which_sale_slips_print(db: Database, mode: str, card_slips: bool,
                                                  tenders: str) -> None:
    store = StoreSettings(receipt=mode, print_card_receipt=card_slips)
    printing = PrintingService(db, store, PrintQueue(db, SimPrinter(), mode="text"))
    expected = EXPECTED[(mode, card_slips)].get(tenders)
    assert printing.skip_reason(sale(*TENDERS[tenders])) == expected


def test_an_installment_sale_prints_in_every_mode(db: Database) -> None:
    for mode in ("print", "none", "ask"):
        store = StoreSettings(receipt=mode, print_card_receipt=False)
        printing = PrintingService(db, store, PrintQueue(db, SimPrinter()))
        assert printing.skip_reason(sale(card(7_000, installment=2), cash(5_000))) is None


# --- config -------------------------------------------------------------------------------


def test_the_receipt_mode_is_read_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nreceipt = "ask"\n', encoding="utf-8")
    assert load_settings(path, tmp_path).store.receipt == "ask"
    assert load_settings(None, tmp_path / "none").store.receipt == "print"  # demo prints


def test_a_bad_receipt_mode_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nname = "카페"\nreceipt = "email"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, tmp_path)
    message = str(caught.value)
    assert f"{path}:3" in message and "[store.receipt]" in message
    assert '"print"' in message and '"none"' in message and '"ask"' in message
    assert "\n" not in message


def test_a_receipt_mode_that_is_not_a_string_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[store]\nreceipt = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[store.receipt\].*string in quotes"):
        load_settings(path, tmp_path)


# --- the QR text --------------------------------------------------------------------------


def test_the_qr_text_holds_the_approval_data() -> None:
    receipt = sample_receipt()
    text = receipt_qr_text(receipt)
    for wanted in ("카페 예시", "220-81-62517", "20261125-0042", "2026-11-25 14:03",
                   "합계 21,900원", "공급가", "부가세", "신한카드", "5365-10**-****-0006",
                   "일시불", "30012345", "현금 6,900", "현금영수증", "123456789"):
        assert wanted in text, wanted
    assert "http" not in text and "://" not in text  # the receipt itself, not a link


def test_the_qr_text_never_holds_a_full_card_number() -> None:
    # a payment row that (wrongly) kept the whole number: the model and the QR mask it again
    receipt = sale(card(12_000, installment=3, pan=FULL_PAN))
    text = receipt_qr_text(receipt)
    assert FULL_PAN not in text and "123456" not in text.replace("-", "")  # its middle
    assert "5365-10**-****-0006" in text and "3개월" in text


def test_the_qr_text_says_a_training_sale_is_one() -> None:
    assert receipt_qr_text(sample_receipt(training=True)).startswith("[연습]")
    assert "연습" not in receipt_qr_text(sample_receipt())


def test_the_qr_text_carries_the_order_number_when_the_receipt_has_one() -> None:
    @dataclass(frozen=True, slots=True)
    class Numbered(Receipt):  # what the order-number work adds to the model
        order_number: int = 0

    base = sale(cash(12_000))
    numbered = Numbered(**{f: getattr(base, f) for f in base.__dataclass_fields__},
                        order_number=57)
    assert "주문번호 57" in receipt_qr_text(numbered)
    assert "주문번호" not in receipt_qr_text(base)


def test_a_typical_sale_makes_a_small_qr_code() -> None:
    receipt = sale(card(7_000), CashTender(
        5_000, received=10_000, change=5_000,
        cash_receipt=CashReceipt(CashReceiptPurpose.DEDUCTION, "010****5678", "123456789")))
    text = receipt_qr_text(receipt)
    assert len(text.encode("utf-8")) <= 700
    matrix = qr_matrix(text)
    assert qr_version(matrix) <= 13  # ≤ 69 modules: a phone reads it off a screen


def test_the_qr_matrix_is_square_with_a_quiet_zone() -> None:
    matrix = qr_matrix("영수증 20261125-01-0042")
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    assert (size - 2 * QUIET_ZONE - 17) % 4 == 0 and qr_version(matrix) >= 1
    edge = [*matrix[:QUIET_ZONE], *matrix[-QUIET_ZONE:]]
    assert not any(any(row) for row in edge)
    assert not any(any(row[:QUIET_ZONE]) or any(row[-QUIET_ZONE:]) for row in matrix)
    q = QUIET_ZONE  # the top-left finder pattern: a dark 7×7 ring
    assert all(matrix[q][q:q + 7]) and all(matrix[q + 6][q:q + 7])
    assert len(qr_matrix("x", border=0)) == 21  # version 1 without a border


# --- asking: a kept slip printed once -----------------------------------------------------


def test_a_kept_slip_released_twice_prints_once(db: Database) -> None:
    printer = SimPrinter()
    queue = PrintQueue(db, printer, mode="text")
    job = queue.enqueue(sample_receipt(), "sale", "20261125-0042", skip=SKIP_ASK)
    assert queue.get(job).state == SKIPPED and queue.retry_pending() == []
    assert queue.release(job) is True
    assert queue.release(job) is False  # the second tap: nothing more to release
    [printed] = queue.retry_pending()
    assert printed.printed and len(printer.sent) == 1
    assert queue.release(job) is False and queue.retry_pending() == []
    assert queue.get(job).state == DONE and len(printer.sent) == 1


def test_two_registers_releasing_one_kept_slip_at_once_release_it_once(db: Database) -> None:
    other = Database(db.path).open()
    try:
        queues = [PrintQueue(db, SimPrinter()), PrintQueue(other, SimPrinter())]
        job = queues[0].enqueue(sample_receipt(), "sale", "20261125-0042", skip=SKIP_ASK)
        start = threading.Barrier(len(queues) * 4)
        wins: list[bool] = []

        def tap(queue: PrintQueue) -> None:
            start.wait()
            wins.append(queue.release(job))

        threads = [threading.Thread(target=tap, args=(q,)) for q in queues * 4]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wins) == [False] * 7 + [True]
        assert queues[1].get(job).state == PENDING
    finally:
        other.close()
