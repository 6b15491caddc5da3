"""The traffic monitor keeps masked frames only: VAN field 16, the reader's track 2, scanned
payment codes and any card-like digit run never reach its rows in the clear."""

from __future__ import annotations

import threading

from kspos.devices import cardframe as cf
from kspos.devices.traffic import RX, TX, TrafficMonitor, mask_frame, text_view
from kspos.van.telegram import REQUEST_OFFSETS, Request, encode_request

PAN = "5365101234560006"


def _request(klass: str, track2: str, **extra: object) -> bytes:
    request = Request(klass=klass, type="0200", tid="DPT0TEST03", serial="000000000042",
                      entry_mode="K", track2=track2, total=1004, vat=91, supply=913,
                      **extra)  # type: ignore[arg-type]
    return encode_request(request)


def _field16(frame: bytes) -> str:
    start, width, _ = REQUEST_OFFSETS["track2"]
    return frame[4 + start:4 + start + width].decode("ascii")


def test_a_card_approval_shows_only_the_masked_pan_in_field_16() -> None:
    frame = _request("KI", f"{PAN}=3012")
    masked = mask_frame("van", TX, frame)
    assert len(masked) == len(frame)
    assert _field16(masked).rstrip() == "536510******0006=****"
    assert PAN.encode() not in masked and b"3012" not in masked[150:200]
    # the rest of the telegram is untouched (class, TID, amounts)
    assert masked[:154] == frame[:154] and b"DPT0TEST03" in masked


def test_an_identity_number_and_a_payment_code_are_masked_too() -> None:
    identity = mask_frame("van", TX, _request("HK", "01012345678"))
    assert _field16(identity).rstrip() == "010****5678"
    code = mask_frame("van", TX, _request("EP", "281006123456789012", company="KAKA"))
    assert _field16(code).rstrip() == "281***********9012"


def test_a_van_answer_is_shown_as_it_came() -> None:
    answer = b"0364\x02NT010810N" + b"0000" + b"250101120000" + b" " * 20
    assert mask_frame("van", RX, answer) == answer


def test_the_readers_r_reply_keeps_no_track2_or_expiry() -> None:
    data = cf.read_reply("0", "I", "536510******0006", f"{PAN}=3012101", "3012", "MASTER")
    frame = cf.encode_frame("r", data)
    masked = mask_frame("cardframe", RX, frame)
    assert len(masked) == len(frame)
    assert PAN.encode() not in masked and b"3012101" not in masked and b"3012" not in masked
    assert b"536510******0006" in masked and b"MASTER" in masked


def test_scans_mask_payment_codes_but_not_product_barcodes() -> None:
    assert mask_frame("scan", RX, b"281006123456789012") == b"281006********9012"
    assert mask_frame("scan", RX, b"8801234567893") == b"8801234567893"  # EAN-13
    assert mask_frame("scan", RX, b"4111111111111111") == b"411111******1111"


def test_any_card_like_digit_run_is_masked_on_a_printer_line() -> None:
    line = "카드 5365101234560006 승인".encode("euc-kr")
    assert b"536510******0006" in mask_frame("raw", TX, line)


def test_the_monitor_is_a_bounded_ring_of_masked_rows() -> None:
    monitor = TrafficMonitor(capacity=3, max_bytes=8)
    for n in range(5):
        monitor.record("printer", TX, bytes([0x30 + n]) * 20)
    rows = monitor.since(0)
    assert [r.seq for r in rows] == [3, 4, 5]
    assert all(len(r.data) == 8 and r.size == 20 and r.cut for r in rows)
    assert monitor.since(4)[0].seq == 5
    monitor.record("card_reader", RX, cf.encode_frame(
        "r", cf.read_reply("0", "I", "", f"{PAN}=3012101", "3012", "")), protocol="cardframe")
    assert PAN not in monitor.since(5)[0].line()


def test_recording_never_raises_and_is_thread_safe() -> None:
    monitor = TrafficMonitor(capacity=10_000)
    monitor.record("van", TX, b"\x02", protocol="van")  # too short to be a telegram
    monitor.record("card_reader", RX, b"\x02\x00", protocol="cardframe")

    def spam() -> None:
        for _ in range(500):
            monitor.record("scanner", RX, b"4111111111111111", protocol="scan")

    threads = [threading.Thread(target=spam) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert monitor.last_seq() == 2002
    assert all(b"4111111111111111" not in r.data for r in monitor.since(0))


def test_the_text_column_names_control_bytes_and_reads_hangul() -> None:
    assert text_view(b"\x02AB\x03\x0d") == "<STX>AB<ETX><CR>"
    assert text_view("승인".encode("euc-kr") + b"\x81") == "승인."


def test_a_card_number_across_the_cut_is_still_masked() -> None:
    monitor = TrafficMonitor(max_bytes=16)
    monitor.record("printer", TX, b"xxxx5365101234560006 and more" * 100)
    row = monitor.since(0)[0]
    assert row.data == b"xxxx536510******" and row.size == 2900
