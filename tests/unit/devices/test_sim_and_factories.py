"""The simulated reader and scanners, and the factories (building opens no hardware)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from drivers.cardreader import build_reader
from drivers.scanner import build_scanner
from drivers.scanner.hid import HidScanner
from drivers.sim.reader import SimCardReader, future_expiry, sample_signature
from drivers.sim.scanner import SimScanner
from kspos.devices.cards import luhn_ok
from kspos.devices.specs import parse_spec
from kspos.ports import CardReader, DeviceError, DeviceUnavailable, ReadResult, Scanner, Signature


def test_with_nothing_inserted_the_sim_reads_a_valid_visa_test_card() -> None:
    reader = SimCardReader()
    read = reader.read_card(15000, 30)
    pan, expiry = read.track2.split("=")[0], read.expiry
    assert read.result is ReadResult.READ and luhn_ok(pan)
    assert (read.masked_pan, read.bin, read.brand) == ("411111******1111", "411111", "VISA")
    assert expiry > dt.date.today().strftime("%y%m")
    assert "4111111111111111" not in repr(read)
    assert reader.reads == [(15000, 30)]


def test_an_inserted_card_is_read_next_and_a_bare_pan_gets_an_expiry() -> None:
    reader = SimCardReader()
    reader.insert_card("5365101234560006", entry_mode="S")
    reader.insert_card(result=ReadResult.FALLBACK)
    first = reader.read_card(1000, 5)
    assert (first.masked_pan, first.entry_mode, first.brand) == \
        ("536510******0006", "S", "MASTER")
    assert first.expiry == future_expiry()
    assert reader.read_card(1000, 5).result is ReadResult.FALLBACK


def test_a_waiting_sim_read_is_ended_by_cancel_from_another_thread() -> None:
    reader = SimCardReader()
    reader.wait_for_card = True
    threading.Timer(0.05, reader.cancel_read).start()
    assert reader.read_card(1000, 5).result is ReadResult.CANCELLED
    assert reader.read_card(1000, 0.05).result is ReadResult.TIMED_OUT
    assert reader.commands == ["R", "C", "R"]


def test_the_sim_records_display_beeps_and_signatures() -> None:
    reader = SimCardReader()
    reader.display("합계", "60,000원")
    reader.beep(2)
    signature = reader.get_signature(60000, 30)
    assert reader.displayed == [("합계", "60,000원")] and reader.beeps == 2
    assert signature is not None and signature.has_ink()
    reader.offline = True
    assert reader.status().state == "offline"
    with pytest.raises(DeviceError):
        reader.read_card(1000, 1)


def test_the_sample_signature_fits_the_pad() -> None:
    assert len(sample_signature()) == Signature.SIZE


def test_sim_and_hid_scanners_hand_out_what_they_were_given() -> None:
    sim = SimScanner()
    sim.queue_scan("8801234567893")
    assert sim.read_scan(1) == "8801234567893"
    assert sim.read_scan(0.01) is None
    hid = HidScanner()
    threading.Timer(0.02, hid.feed, args=("2810061234567890",)).start()
    assert hid.read_scan(2) == "2810061234567890"
    for n in range(300):  # nobody reading: the queue keeps the newest, never blocks the GUI
        hid.feed(str(n))
    assert hid.read_scan(0) == "44"


@pytest.mark.parametrize("text", ["serial:/dev/does-not-exist?baudrate=9600", "pcsc",
                                  "pcsc:ACS", "sim"])
def test_building_a_reader_opens_nothing(text: str) -> None:
    reader = build_reader(parse_spec(text, "card_reader"))
    assert isinstance(reader, CardReader)
    assert reader.spec == text


def test_a_serial_reader_that_cannot_open_says_so() -> None:
    reader = build_reader(parse_spec("serial:/dev/does-not-exist", "card_reader"))
    with pytest.raises(DeviceUnavailable, match="/dev/does-not-exist"):
        reader.open()


@pytest.mark.parametrize("text", ["serial:/dev/does-not-exist", "hid", "sim"])
def test_building_a_scanner_opens_nothing(text: str) -> None:
    assert isinstance(build_scanner(parse_spec(text, "scanner")), Scanner)
