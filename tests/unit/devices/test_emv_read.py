"""Reading an EMV card's track 2 (drivers/cardreader/emv.py) from the rig's virtual card,
through the T=0 transmit wrapper (61xx GET RESPONSE, 6Cxx resend with Le)."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.cardreader import emv
from tests.pcsc_rig import LOCAL_AID, VISA_AID, VirtualEmvCard, tlv


def read(card: VirtualEmvCard, amount: int = 0) -> emv.EmvCard:
    return emv.read_card(emv.t0_transmit(card.respond), amount)


def test_a_card_with_a_pse_is_read_from_its_directory() -> None:
    card = VirtualEmvCard()
    found = read(card, 15000)
    assert (found.aid, found.pan, found.expiry, found.brand) == \
        ("A0000000041010", "5365101234560006", "3012", "MASTER")
    assert found.track2.startswith("5365101234560006=3012")
    assert found.name == "KSPOS/TEST CARD"
    assert "5365101234560006" not in repr(found)
    commands = [apdu[:2].hex() for apdu in card.apdus]
    assert "00c0" in commands  # GET RESPONSE followed 61xx
    assert any(a[1] == 0xB2 and a[4] != 0 for a in card.apdus)  # READ RECORD resent with Le
    gpo = next(a for a in card.apdus if a[:2] == b"\x80\xa8")
    assert gpo[7:13] == bytes.fromhex("000000015000")  # amount in the PDOL, BCD
    assert gpo[13:15] == bytes.fromhex("0410")  # KRW


def test_without_a_pse_the_known_aids_are_tried() -> None:
    card = VirtualEmvCard(pan="9410123456789015", aid=LOCAL_AID, pse=False)
    found = read(card)
    assert found.aid == LOCAL_AID and found.pan == "9410123456789015"
    assert found.brand == ""  # Korean local: the driver brands it by BIN (BC)


def test_track2_is_built_from_5a_and_5f24_when_tag_57_is_missing() -> None:
    found = read(VirtualEmvCard(aid=VISA_AID, pan="4111111111111111", with_tag57=False))
    assert found.track2 == "4111111111111111=3012"
    assert found.brand == "VISA"


def test_a_card_with_no_payment_application_is_refused() -> None:
    with pytest.raises(emv.EmvError):
        read(VirtualEmvCard(aid="A0000009999999", pse=False))


def test_a_card_that_loops_on_61xx_does_not_hang() -> None:
    transmit = emv.t0_transmit(lambda apdu: b"\x61\x10")
    with pytest.raises(emv.EmvError):
        transmit(bytes.fromhex("00A4040000"))


def test_6c_sets_le_without_eating_a_data_byte() -> None:
    sent: list[bytes] = []

    def exchange(apdu: bytes) -> bytes:
        sent.append(apdu)
        return b"\x6c\x05" if len(sent) == 1 else b"hello\x90\x00"

    data, sw = emv.t0_transmit(exchange)(bytes.fromhex("00B2010C00"))
    assert (data, sw) == (b"hello", 0x9000)
    assert sent[1] == bytes.fromhex("00B2010C05")


def test_tlv_parses_nested_multibyte_tags_and_long_lengths() -> None:
    blob = tlv(0x70, tlv(0x5F20, b"A" * 200), tlv(0x9F38, b"\x9f\x02\x06"))
    items = emv.parse_tlv(blob)
    assert emv.find(items, 0x5F20) == b"A" * 200
    assert emv.parse_dol(emv.find(items, 0x9F38) or b"") == [(0x9F02, 6)]
    with pytest.raises(emv.EmvError):
        emv.parse_tlv(blob[:-3])


def test_pdol_data_is_filled_with_terminal_values() -> None:
    pdol = bytes.fromhex("9F02065F2A029A039F3704DF0102")
    data = emv.pdol_data(pdol, 1234, today=dt.date(2025, 3, 9))
    assert data[:6] == bytes.fromhex("000000001234")
    assert data[6:8] == bytes.fromhex("0410")
    assert data[8:11] == bytes.fromhex("250309")
    assert len(data) == 6 + 2 + 3 + 4 + 2  # unknown tags are zero-filled


def test_afl_lists_every_record() -> None:
    assert emv.parse_afl(bytes.fromhex("08010200" "10030300")) == [(1, 1), (1, 2), (2, 3)]
    assert emv.parse_afl(b"\x00\x00") == []
