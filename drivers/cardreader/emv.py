"""Reading a contact EMV card's track-2 equivalent data: BER-TLV, application selection,
GET PROCESSING OPTIONS, the AFL and READ RECORD (EMV Book 1 and 3, the parts a POS needs to
get the PAN and expiry; no offline authentication, no cryptograms).

Pure: works on a ``transmit(apdu) -> (data, sw)`` callable, so it is tested without a reader.
:func:`t0_transmit` builds one from a raw exchange, following T=0's 61xx / 6Cxx answers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Transmit = Callable[[bytes], tuple[bytes, int]]
Exchange = Callable[[bytes], bytes]

PSE = b"1PAY.SYS.DDF01"

# RID / AID → brand. Korean local cards (D410000001...) take their brand from the BIN.
KNOWN_AIDS: tuple[tuple[str, str], ...] = (
    ("A0000000031010", "VISA"),
    ("A0000000041010", "MASTER"),
    ("A00000002501", "AMEX"),
    ("A0000000651010", "JCB"),
    ("A000000333010101", "UNIONPAY"),  # debit
    ("A000000333010102", "UNIONPAY"),  # credit
    ("D4100000011010", ""),  # Korean local credit
    ("D4100000012010", ""),  # Korean local credit (second scheme)
    ("D4100000012020", ""),  # Korean local debit
    ("D4100000014010", ""),  # Korean local (BC/KLSC)
)
_RID_BRANDS = {"A000000003": "VISA", "A000000004": "MASTER", "A000000025": "AMEX",
               "A000000065": "JCB", "A000000333": "UNIONPAY"}

SW_OK = 0x9000


class EmvError(Exception):
    """The card is not a readable payment card (no application, no track-2 data)."""


# ---------------------------------------------------------------------------------------------
# BER-TLV
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tlv:
    tag: int
    value: bytes = field(repr=False)
    children: tuple[Tlv, ...] = ()

    @property
    def constructed(self) -> bool:
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)


def _read_tag(data: bytes, at: int) -> tuple[int, int]:
    tag = data[at]
    at += 1
    if tag & 0x1F == 0x1F:  # more tag bytes follow while their high bit is set
        while True:
            if at >= len(data):
                raise EmvError("TLV: tag runs past the end")
            tag = (tag << 8) | data[at]
            at += 1
            if not data[at - 1] & 0x80:
                break
            if tag > 0xFFFFFFFF:
                raise EmvError("TLV: tag too long")
    return tag, at


def _read_length(data: bytes, at: int) -> tuple[int, int]:
    if at >= len(data):
        raise EmvError("TLV: length missing")
    first = data[at]
    at += 1
    if first < 0x80:
        return first, at
    count = first & 0x7F
    if not 1 <= count <= 3 or at + count > len(data):
        raise EmvError("TLV: bad length")
    return int.from_bytes(data[at:at + count], "big"), at + count


def parse_tlv(data: bytes, depth: int = 0) -> tuple[Tlv, ...]:
    """Parse BER-TLV; constructed tags are parsed into ``children``. EmvError when broken."""
    if depth > 8:
        raise EmvError("TLV: nested too deep")
    items: list[Tlv] = []
    at = 0
    while at < len(data):
        if data[at] in (0x00, 0xFF):  # padding between objects
            at += 1
            continue
        tag, at = _read_tag(data, at)
        length, at = _read_length(data, at)
        if at + length > len(data):
            raise EmvError("TLV: value runs past the end")
        value = bytes(data[at:at + length])
        at += length
        item = Tlv(tag, value)
        if item.constructed:
            item = Tlv(tag, value, parse_tlv(value, depth + 1))
        items.append(item)
    return tuple(items)


def walk(items: tuple[Tlv, ...]) -> Iterator[Tlv]:
    for item in items:
        yield item
        yield from walk(item.children)


def find(items: tuple[Tlv, ...], tag: int) -> bytes | None:
    """The value of the first ``tag`` anywhere in ``items`` (depth first)."""
    for item in walk(items):
        if item.tag == tag:
            return item.value
    return None


def parse_dol(dol: bytes) -> list[tuple[int, int]]:
    """A data object list (PDOL, CDOL): (tag, length) pairs."""
    out: list[tuple[int, int]] = []
    at = 0
    while at < len(dol):
        tag, at = _read_tag(dol, at)
        length, at = _read_length(dol, at)
        out.append((tag, length))
    return out


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def _with_le(apdu: bytes, le: int) -> bytes:
    """``apdu`` with its Le set to ``le`` (added when the command had none)."""
    has_le = len(apdu) == 5 or (len(apdu) > 5 and len(apdu) == 6 + apdu[4])
    return (apdu[:-1] if has_le else apdu) + bytes([le])


def t0_transmit(exchange: Exchange, max_turns: int = 32) -> Transmit:
    """A Transmit over a raw ``exchange`` (APDU → response + SW1 SW2) that follows T=0's
    answers: 6Cxx (wrong Le: resend with Le = xx) and 61xx (xx more bytes: GET RESPONSE), so
    callers see the whole data and the final status word."""

    def transmit(apdu: bytes) -> tuple[bytes, int]:
        data = b""
        command = apdu
        for _ in range(max_turns):  # a card looping on 61xx/6Cxx must not hang the till
            reply = exchange(command)
            if len(reply) < 2:
                raise EmvError("카드 응답 없음 (card gave no status word)")
            sw1, sw2 = reply[-2], reply[-1]
            if sw1 == 0x6C:
                command = _with_le(command, sw2)
                continue
            data += reply[:-2]
            if sw1 == 0x61:
                command = bytes([0x00, 0xC0, 0x00, 0x00, sw2])
                continue
            return data, (sw1 << 8) | sw2
        raise EmvError("카드 응답 반복 (card keeps asking for GET RESPONSE)")

    return transmit


def select_apdu(name: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(name)]) + name + b"\x00"


def read_record_apdu(sfi: int, record: int) -> bytes:
    return bytes([0x00, 0xB2, record, (sfi << 3) | 0x04, 0x00])


def gpo_apdu(pdol_data: bytes) -> bytes:
    body = bytes([0x83, len(pdol_data)]) + pdol_data
    return bytes([0x80, 0xA8, 0x00, 0x00, len(body)]) + body + b"\x00"


def _bcd(number: int, length: int) -> bytes:
    digits = str(number).rjust(length * 2, "0")[-length * 2:]
    return bytes.fromhex(digits)


def pdol_data(pdol: bytes, amount: int, today: dt.date | None = None) -> bytes:
    """Values for the card's PDOL: the terminal data a Korean POS would give, zeros otherwise."""
    day = today or dt.date.today()
    known = {
        0x9F02: _bcd(amount, 6),  # amount, authorised
        0x9F03: bytes(6),  # amount, other
        0x5F2A: bytes.fromhex("0410"),  # transaction currency: KRW
        0x9F1A: bytes.fromhex("0410"),  # terminal country: Korea
        0x5F36: b"\x00",  # currency exponent: won has no minor unit
        0x9A: bytes.fromhex(day.strftime("%y%m%d")),
        0x9C: b"\x00",  # transaction type: goods and services
        0x9F35: b"\x22",  # terminal type: attended, offline with online capability
        0x9F33: bytes.fromhex("E0F8C8"),  # terminal capabilities
        0x9F40: bytes.fromhex("6000F0A001"),
        0x9F66: bytes.fromhex("36000000"),  # TTQ (contactless kernels ask for it)
        0x9F37: os.urandom(4),  # unpredictable number
    }
    out = bytearray()
    for tag, length in parse_dol(pdol):
        value = known.get(tag, b"")
        out += value[:length].rjust(length, b"\x00") if tag in (0x9F02, 0x9F03) \
            else value[:length].ljust(length, b"\x00")
    return bytes(out)


def parse_afl(afl: bytes) -> list[tuple[int, int]]:
    """(SFI, record) pairs an AFL names, in order."""
    records: list[tuple[int, int]] = []
    for at in range(0, len(afl) - len(afl) % 4, 4):
        sfi, first, last = afl[at] >> 3, afl[at + 1], afl[at + 2]
        if 1 <= sfi <= 30 and 1 <= first <= last:
            records.extend((sfi, record) for record in range(first, last + 1))
    return records


# ---------------------------------------------------------------------------------------------
# The read
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmvCard:
    """What the read found. ``track2`` (``PAN=YYMM...``) and ``name`` are secret: no repr."""

    aid: str
    pan: str = field(repr=False)
    expiry: str = field(repr=False)  # YYMM
    track2: str = field(repr=False)
    brand: str = ""
    name: str = field(default="", repr=False)


def _ok(sw: int) -> bool:
    return sw == SW_OK


def _directory_aids(transmit: Transmit) -> list[str]:
    """Applications listed in the PSE's directory, by priority; [] when there is no PSE."""
    data, sw = transmit(select_apdu(PSE))
    if not _ok(sw):
        return []
    sfi_value = find(parse_tlv(data), 0x88)
    if not sfi_value:
        return []
    sfi = sfi_value[0]
    found: list[tuple[int, str]] = []
    for record in range(1, 17):
        data, sw = transmit(read_record_apdu(sfi, record))
        if not _ok(sw):
            break
        for entry in walk(parse_tlv(data)):
            if entry.tag != 0x61:
                continue
            aid = find(entry.children, 0x4F)
            priority = find(entry.children, 0x87)
            if aid:
                found.append(((priority or b"\x0f")[0] & 0x0F or 16, aid.hex().upper()))
    return [aid for _, aid in sorted(found, key=lambda pair: pair[0])]


def _select_application(transmit: Transmit) -> tuple[str, tuple[Tlv, ...]]:
    candidates = _directory_aids(transmit) + [aid for aid, _ in KNOWN_AIDS]
    for aid in dict.fromkeys(candidates):  # in order, once each
        data, sw = transmit(select_apdu(bytes.fromhex(aid)))
        if _ok(sw):
            return aid, parse_tlv(data)
    raise EmvError("카드에 결제 애플리케이션이 없음 (no payment application on the card)")


def _records(transmit: Transmit, fci: tuple[Tlv, ...], amount: int) -> list[tuple[Tlv, ...]]:
    pdol = find(fci, 0x9F38) or b""
    data, sw = transmit(gpo_apdu(pdol_data(pdol, amount)))
    locations: list[tuple[int, int]] = []
    if _ok(sw):
        items = parse_tlv(data)
        format1 = find(items, 0x80)
        afl = find(items, 0x94) if format1 is None else format1[2:]
        locations = parse_afl(afl or b"")
    if not locations:  # no AFL (or GPO refused): look where cards usually keep track 2
        locations = [(sfi, record) for sfi in (1, 2) for record in (1, 2, 3)]
    out: list[tuple[Tlv, ...]] = []
    for sfi, record in locations:
        data, sw = transmit(read_record_apdu(sfi, record))
        if _ok(sw):
            out.append(parse_tlv(data))
    return out


def _track2_from_57(value: bytes) -> str:
    digits = value.hex().upper().rstrip("F")
    return digits.replace("D", "=")


def read_card(transmit: Transmit, amount: int = 0) -> EmvCard:
    """Select the payment application and read its track-2 equivalent data.

    Track 2 comes from tag 57; failing that it is built from 5A (PAN) and 5F24 (expiry).
    EmvError when the card is not a payment card or its records hold no PAN.
    """
    aid, fci = _select_application(transmit)
    track2 = pan_field = expiry_field = name = ""
    for items in _records(transmit, fci, amount):
        if not track2 and (value := find(items, 0x57)):
            track2 = _track2_from_57(value)
        if not pan_field and (value := find(items, 0x5A)):
            pan_field = value.hex().upper().rstrip("F")
        if not expiry_field and (value := find(items, 0x5F24)):
            expiry_field = value.hex()[:4]
        if not name and (value := find(items, 0x5F20)):
            name = value.decode("ascii", errors="replace").strip()
    if not track2 and pan_field and expiry_field:
        track2 = f"{pan_field}={expiry_field}"
    pan, sep, rest = track2.partition("=")
    if not sep or not pan.isdigit() or not 13 <= len(pan) <= 19 or not rest[:4].isdigit():
        raise EmvError("카드에서 카드번호를 읽지 못함 (no track-2 data on the card)")
    return EmvCard(aid=aid, pan=pan, expiry=rest[:4], track2=track2,
                   brand=_RID_BRANDS.get(aid[:10], ""), name=name)
