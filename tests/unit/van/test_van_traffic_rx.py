"""The traffic monitor masks card numbers in what the VAN host sends back, too (the bundle's
traffic.txt held a PAN a host had echoed), without touching the answer's other digit fields."""

from __future__ import annotations

from dataclasses import replace

from kspos.devices.traffic import RX, TrafficMonitor, mask_frame
from kspos.van.telegram import Response, decode_response, encode_response

PAN = "4111111111111111"


def _answer(**fields: str) -> bytes:
    base = Response(klass="KI", type="0210", tid="DPT0TEST03", serial="250615000001",
                    status="O", code="0000", host_time="250615123045", message1="정상승인",
                    approval_no="12345678", van_txn_id="25061512304500000001",
                    merchant_no="123456789012345", issuer_code="25", issuer_name="VISA",
                    acquirer_code="25", acquirer_name="VISA", filler="411111******1111")
    return encode_response(replace(base, **fields))


def test_a_card_number_echoed_by_the_host_is_masked_in_the_monitor() -> None:
    frame = _answer(filler=PAN, message2=PAN[:16], notice2=f"card {PAN} ok",
                    van_reserved=PAN)
    masked = mask_frame("van", RX, frame)
    assert len(masked) == len(frame) and PAN.encode() not in masked
    monitor = TrafficMonitor()
    monitor.record("van", RX, frame, protocol="van")
    [row] = monitor.since()
    assert PAN not in row.line() and "411111******1111" in row.line()


def test_an_honest_answer_is_kept_as_it_came() -> None:
    frame = _answer()
    assert mask_frame("van", RX, frame) == frame
    answer = decode_response(mask_frame("van", RX, frame))
    assert (answer.merchant_no, answer.van_txn_id, answer.host_time, answer.serial) == \
        ("123456789012345", "25061512304500000001", "250615123045", "250615000001")
