"""One masking rule for card numbers everywhere: the first 6
and, from the 13th digit on, at most the last 4. A 15-digit (AMEX-like) number shows 3 at the
end, never digit 12 — the log filter, the traffic monitor and a host's echo used to show it."""

from __future__ import annotations

import pytest

from kspos.devices.cards import mask_pan, remask_pan
from kspos.devices.traffic import mask_card_digits
from kspos.logs import mask_digits_in_text

CASES = [
    ("376100000000004", "376100******004"),
    ("5365101234560006", "536510******0006"),
    ("4111111111111", "411111******1"),
    ("6011000990139424123", "601100*********4123"),
]


@pytest.mark.parametrize(("pan", "shown"), CASES)
def test_every_output_masks_a_card_number_as_the_receipt_does(pan: str, shown: str) -> None:
    assert mask_pan(pan) == shown
    assert mask_digits_in_text(f"card {pan} ok") == f"card {shown} ok"
    assert mask_card_digits(f"|{pan}|".encode()) == f"|{shown}|".encode()
    assert remask_pan(pan) == shown  # a host that echoed the whole number


def test_shorter_or_longer_digit_runs_are_not_card_numbers_to_the_log_filter() -> None:
    assert mask_digits_in_text("receipt 20261205-0001 at 123456789012") == \
        "receipt 20261205-0001 at 123456789012"
    assert "*" not in mask_digits_in_text("x" + "1" * 20)
