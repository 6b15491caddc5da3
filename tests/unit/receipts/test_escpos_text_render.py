"""Text-mode ESC/POS: EUC-KR between FS & and FS ., bold/double titles, QR, cut, drawer,
and the raster row for characters outside KS X 1001."""

from __future__ import annotations

import json

import pytest

from kspos.receipts import escpos
from kspos.receipts.decode import decode
from kspos.receipts.escpos_text import encode_line
from kspos.receipts.layout import TextLine, lay_out
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from tests.unit.receipts.goldens import (
    FONT_CASES,
    GOLDEN,
    TEXT_CASES,
    font_fingerprint,
    read_golden,
    tom_yum_receipt,
)


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_text_golden_bytes(name: str) -> None:
    assert TEXT_CASES[name]() == read_golden(name), (
        f"{name} changed; if on purpose, regenerate and review (tests/unit/receipts/goldens.py)")


def test_font_dependent_text_golden() -> None:
    recorded = json.loads((GOLDEN / "fonts.json").read_text())
    if font_fingerprint() != recorded:
        pytest.skip(f"golden drawn with {recorded}; this machine has {font_fingerprint()}")
    assert FONT_CASES["tomyum-48-text"]() == read_golden("tomyum-48-text")


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_text_bytes_decode_back_to_the_layout(columns: int) -> None:
    receipt = sample_receipt()
    printout = decode(render(receipt, "text", columns))
    expected = [row.rstrip() for row in lay_out(receipt, columns).as_text()
                if not row.startswith("[QR")]
    assert [row for row in printout.rows if row != ""] == [r for r in expected if r != ""]
    assert printout.qr_payloads == ["KSPOS 20261125-0042"]
    assert printout.cuts == 1 and printout.drawer_kicks == 0


def test_korean_runs_are_wrapped_in_fs_and_and_fs_dot() -> None:
    data = render(sample_receipt(), "text", 48)
    assert data.startswith(escpos.INIT)
    assert b"\x1c&" + "아메리카노".encode("euc_kr") + b"\x1c." in data
    # ASCII stays outside the double-byte runs
    assert encode_line("합계 4,500") == b"\x1c&\xc7\xd5\xb0\xe8\x1c. 4,500"
    assert encode_line("ICE") == b"ICE"
    assert encode_line("똠") is None


def test_title_and_total_are_bold_and_double_size() -> None:
    data = render(sample_receipt(), "text", 48)
    total = escpos.BOLD_ON + escpos.SIZE_DOUBLE + b"\x1c&" + "합계".encode("euc_kr") + b"\x1c."
    assert data.count(total) == 1
    line_end = data.index(b"\n", data.index(total))
    assert data[line_end + 1:line_end + 7] == escpos.SIZE_NORMAL + escpos.BOLD_OFF
    printout = decode(data)
    assert any(r.strip().startswith("합계") for r in printout.double_rows)
    assert "영수증" in [r.strip() for r in printout.bold_rows]


def test_native_qr_commands() -> None:
    data = render(sample_receipt(), "text", 48)
    payload = b"KSPOS 20261125-0042"
    assert (b"\x1d(k\x04\x001A2\x00"            # model 2
            b"\x1d(k\x03\x001C\x06"             # module size 6
            b"\x1d(k\x03\x001E1"                # error correction M
            + b"\x1d(k" + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload
            + b"\x1d(k\x03\x001Q0") in data        # print


def test_qr_as_image_when_the_profile_has_no_native_qr() -> None:
    data = render(sample_receipt(), "text", 48, profile=escpos.PrinterProfile(native_qr=False))
    printout = decode(data)
    assert b"\x1d(k" not in data
    assert printout.qr_payloads == []
    assert len(printout.images) == 1 and printout.images[0][0] == 576


def test_cut_and_drawer() -> None:
    data = render(sample_receipt(), "text", 32, open_drawer=True)
    assert data.endswith(escpos.CUT + b"\x1bp\x00\x19\xfa")
    assert decode(render(sample_receipt(), "text", 32, cut=False)).cuts == 0


def test_a_row_outside_ks_x_1001_is_sent_as_an_image() -> None:
    data = render(tom_yum_receipt(), "text", 48)
    printout = decode(data)
    assert "[image 576x30]" in printout.rows
    assert not any("똠" in row for row in printout.rows)
    assert "공기밥                           1         1,000" in printout.rows
    assert "\xa4\xd4".encode("latin-1") not in data  # no 8-byte make-up sequence
    (width, rows, bits) = printout.images[0]
    assert (width, rows) == (576, 30) and any(bits)  # the row has ink


def test_plain_ascii_line_needs_no_korean_mode() -> None:
    from kspos.receipts.escpos_text import layout_to_escpos
    from kspos.receipts.layout import Layout

    data = layout_to_escpos(Layout(32, (TextLine("Hello".ljust(32)),)), cut=False)
    assert data == escpos.INIT + b"Hello\n" + escpos.feed(3)
