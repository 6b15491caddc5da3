"""The PC/SC driver against real pcscd with vsmartcard's vpcd reader and our virtual EMV card
(T=0: GET RESPONSE and Le retries on the wire)."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.cardreader.pcsc import PcscCardReader
from kspos.ports import DeviceUnavailable, ReadResult
from tests.pcsc_rig import LOCAL_AID, T0_ATR, PcscRig, VirtualEmvCard

pytestmark = pytest.mark.pcsc


@pytest.fixture
def reader(pcsc_rig: PcscRig):  # type: ignore[no-untyped-def]
    device = PcscCardReader()
    device.open()
    yield device
    device.close()


def test_the_card_in_the_reader_is_read_masked(reader: PcscCardReader,
                                               virtual_card: VirtualEmvCard,
                                               pcsc_rig: PcscRig) -> None:
    assert reader.status().state == "card"
    read = reader.read_card(15000, 5)
    assert read.result is ReadResult.READ
    assert (read.entry_mode, read.masked_pan, read.bin, read.brand) == \
        ("I", "536510******0006", "536510", "MASTER")
    assert read.atr == T0_ATR.hex().upper()
    assert read.reader == pcsc_rig.reader_name
    assert read.track2.startswith("5365101234560006=3012") and read.expiry == "3012"
    assert "5365101234560006" not in repr(read)
    assert any(apdu[:2] == b"\x00\xc0" for apdu in virtual_card.apdus)  # GET RESPONSE used


def test_a_korean_local_card_without_pse_or_tag_57(reader: PcscCardReader,
                                                   pcsc_rig: PcscRig) -> None:
    pcsc_rig.insert(VirtualEmvCard(pan="9410123456789015", aid=LOCAL_AID, pse=False,
                                   with_tag57=False))
    try:
        read = reader.read_card(1000, 5)
    finally:
        pcsc_rig.remove()
    assert (read.masked_pan, read.bin, read.brand) == ("941012******9015", "941012", "BC")


def test_a_card_that_is_not_a_payment_card_is_a_read_error(reader: PcscCardReader,
                                                           pcsc_rig: PcscRig) -> None:
    pcsc_rig.insert(VirtualEmvCard(aid="A0000009999999", pse=False))
    try:
        read = reader.read_card(1000, 5)
    finally:
        pcsc_rig.remove()
    assert read.result is ReadResult.ERROR and read.masked_pan == ""


def test_a_card_inserted_while_waiting_is_read(reader: PcscCardReader,
                                              pcsc_rig: PcscRig) -> None:
    threading.Timer(0.3, pcsc_rig.insert, kwargs={"wait": False}).start()
    try:
        read = reader.read_card(1000, 10)
    finally:
        pcsc_rig.remove()
    assert read.result is ReadResult.READ and read.bin == "536510"


def test_no_card_times_out_and_cancel_ends_the_wait(reader: PcscCardReader) -> None:
    started = time.monotonic()
    assert reader.read_card(1000, 0.5).result is ReadResult.TIMED_OUT
    assert time.monotonic() - started < 1.5
    threading.Timer(0.2, reader.cancel_read).start()
    started = time.monotonic()
    assert reader.read_card(1000, 20).result is ReadResult.CANCELLED
    assert time.monotonic() - started < 2


def test_readers_are_chosen_by_name_substring(pcsc_rig: PcscRig,
                                              virtual_card: VirtualEmvCard) -> None:
    with PcscCardReader(pcsc_rig.reader_name.upper()) as reader:  # case-insensitive
        assert reader.read_card(1000, 5).masked_pan == "536510******0006"
    with pytest.raises(DeviceUnavailable, match="Virtual PCD"):  # lists what there is
        PcscCardReader("NoSuchReader").open()


def test_insert_and_remove_are_reported(pcsc_rig: PcscRig) -> None:
    events: list[str] = []
    with PcscCardReader(on_event=events.append):
        time.sleep(0.3)  # the monitor has seen the empty reader
        pcsc_rig.insert()
        pcsc_rig.remove()
        deadline = time.monotonic() + 3
        while len(events) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert events == ["inserted", "removed"]
