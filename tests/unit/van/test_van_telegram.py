"""The telegram codec, byte for byte against specs/van-telegram.md sections 1-3."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kspos.van import codes
from kspos.van.telegram import (
    RESPONSE_SIZE,
    FieldError,
    FrameError,
    Request,
    Response,
    TelegramError,
    decode_request,
    decode_response,
    encode_an,
    encode_n,
    encode_request,
    encode_response,
    unframe,
)

# (field number, offset after LLLL, width) straight from the spec's tables.
REQUEST_FIELDS = [
    (1, 0, 1), (2, 1, 2), (3, 3, 2), (4, 5, 4), (5, 9, 1), (6, 10, 10), (7, 20, 4),
    (8, 24, 12), (9, 36, 1), (10, 37, 20), (11, 57, 20), (12, 77, 1), (13, 78, 16),
    (14, 94, 16), (15, 110, 40), (16, 150, 37), (17, 187, 1), (18, 188, 2), (19, 190, 12),
    (20, 202, 12), (21, 214, 12), (22, 226, 12), (23, 238, 12), (24, 250, 2), (25, 252, 16),
    (26, 268, 12), (27, 280, 6), (28, 286, 13), (29, 299, 2), (30, 301, 30), (31, 331, 4),
    (32, 335, 20), (33, 355, 1), (34, 356, 1), (35, 357, 1), (36, 358, 1), (37, 359, 30),
    (38, 389, 60), (39, 449, 1),
]
RESPONSE_FIELDS = [
    (1, 0, 1), (9, 36, 1), (10, 37, 4), (11, 41, 4), (12, 45, 12), (13, 57, 1), (14, 58, 16),
    (15, 74, 16), (16, 90, 12), (17, 102, 20), (18, 122, 15), (19, 137, 2), (20, 139, 16),
    (21, 155, 2), (22, 157, 16), (23, 173, 2), (24, 175, 16), (25, 191, 9), (26, 200, 9),
    (27, 209, 9), (28, 218, 9), (29, 227, 20), (30, 247, 40), (31, 287, 5), (32, 292, 40),
    (33, 332, 30), (34, 362, 1), (35, 363, 1),
]


def card_request(**changes: object) -> Request:
    base = dict(klass="IC", type="0200", tid="DPT0TEST03", serial="250101000001",
                entry_mode="I", sw_model="KSPOS# 0.1.0", reader_model="KIS-1000",
                track2="5365101234560006=2912", installment=3, total=60_000, supply=54_545,
                vat=5_455, pos_ref="20250101-02-0007")
    base.update(changes)
    return Request(**base)  # type: ignore[arg-type]


def field_at(body: bytes, offset: int, width: int) -> bytes:
    return body[offset:offset + width]


def test_request_is_452_bytes_after_the_length_and_every_field_sits_at_its_offset() -> None:
    frame = encode_request(card_request())
    assert frame[:4] == b"0452"
    body = frame[4:]
    assert len(body) == 452
    assert sum(w for _, _, w in REQUEST_FIELDS) + 2 == 452
    expected = {
        1: b"\x02", 2: b"IC", 3: b"01", 4: b"0200", 5: b"N", 6: b"DPT0TEST03", 7: b"    ",
        8: b"250101000001", 9: b"I", 10: b" " * 20, 11: b" " * 20, 12: b"A",
        13: b"KSPOS# 0.1.0    ", 14: b"KIS-1000        ", 15: b" " * 40,
        16: b"5365101234560006=2912".ljust(37), 17: b"\x1c", 18: b"03",
        19: b"000000060000", 20: b"000000000000", 21: b"000000005455", 22: b"000000054545",
        23: b"000000000000", 24: b"AA", 25: b" " * 16, 26: b" " * 12, 27: b" " * 6,
        28: b" " * 13, 29: b"  ", 30: b"20250101-02-0007".ljust(30), 31: b"    ", 32: b" " * 20,
        33: b"N", 34: b" ", 35: b" ", 36: b" ", 37: b" " * 30, 38: b" " * 60, 39: b"X",
    }
    for number, offset, width in REQUEST_FIELDS:
        assert field_at(body, offset, width) == expected[number], f"field {number}"
    assert body[-2:] == b"\x03\r"


def test_a_signature_adds_1024_bytes_after_field_39_T() -> None:
    ink = bytes(range(256)) * 4
    frame = encode_request(card_request(signature=ink))
    assert frame[:4] == b"1476"
    body = frame[4:]
    assert len(body) == 1476
    assert body[449:450] == b"T"
    assert body[450:1474] == ink
    assert body[-2:] == b"\x03\r"
    assert decode_request(frame).signature == ink


def test_response_is_364_bytes_with_every_field_at_its_offset() -> None:
    response = Response(klass="IC", type="0210", tid="DPT0TEST03", serial="250101000001",
                        status="O", code="0000", host_time="250101123456", card_type="C",
                        message1="정상승인", approval_no="12345678",
                        van_txn_id="25010112345600000001", merchant_no="123456789012345",
                        issuer_code="04", issuer_name="삼성카드", acquirer_code="04",
                        acquirer_name="삼성카드", balance=1234, filler="536510******0006")
    frame = encode_response(response)
    assert frame[:4] == b"0364"
    body = frame[4:]
    assert len(body) == RESPONSE_SIZE
    echo = b"IC010210NDPT0TEST03    250101000001"
    assert body[1:36] == echo
    expected = {
        1: b"\x02", 9: b"O", 10: b"0000", 11: b"    ", 12: b"250101123456", 13: b"C",
        14: "정상승인".encode("euc_kr").ljust(16), 15: b" " * 16, 16: b"12345678    ",
        17: b"25010112345600000001", 18: b"123456789012345", 19: b"04",
        20: "삼성카드".encode("euc_kr").ljust(16), 21: b"04",
        22: "삼성카드".encode("euc_kr").ljust(16), 23: b"  ", 24: b" " * 16,
        25: b"000001234", 26: b"0" * 9, 27: b"0" * 9, 28: b"0" * 9, 29: b" " * 20,
        30: b" " * 40, 31: b" " * 5, 32: b" " * 40, 33: b"536510******0006".ljust(30),
        34: b"\x03", 35: b"\r",
    }
    for number, offset, width in RESPONSE_FIELDS:
        assert field_at(body, offset, width) == expected[number], f"field {number}"
    assert decode_response(frame) == response


ALL_PAIRS = sorted((klass, type_) for klass, types in codes.ALLOWED_TYPES.items()
                   for type_ in types)


@pytest.mark.parametrize(("klass", "type_"), ALL_PAIRS)
def test_every_class_and_type_round_trips(klass: str, type_: str) -> None:
    request = Request(klass=klass, type=type_, tid="A1B2C3D4E5", serial="250102999999",
                      mode="T", company="KAKA" if klass == "EP" else "", total=11_000,
                      supply=10_000, vat=1_000, orig_approval_no="87654321",
                      orig_approval_date="250101", pos_ref="주문 12")
    frame = encode_request(request)
    assert len(frame) == 456
    assert decode_request(frame) == request
    answer = Response(klass=klass, type=codes.response_type(type_), tid=request.tid,
                      serial=request.serial, mode="T", company=request.company, status="X",
                      code="7101", message1="원거래없음")
    decoded = decode_response(encode_response(answer))
    assert decoded == answer
    assert int(decoded.type) == int(type_) + 10


def test_response_type_is_request_plus_ten() -> None:
    assert [codes.response_type(t) for t in ("0200", "0420", "7420", "0440", "0800")] == \
        ["0210", "0430", "7430", "0450", "0810"]


# --- field rules ------------------------------------------------------------------------------


def test_hangul_takes_two_bytes_and_is_cut_at_a_character_boundary() -> None:
    assert encode_an("가나다", 8) == "가나다".encode("euc_kr") + b"  "
    cut = encode_an("a" + "가" * 20, 30)
    assert len(cut) == 30
    assert cut == b"a" + "가".encode("euc_kr") * 14 + b" "  # 29 bytes of text, never half a 가
    assert encode_an("가나", 3) == "가".encode("euc_kr") + b" "


def test_characters_outside_ks_x_1001_become_a_question_mark() -> None:
    assert encode_an("똠양햏", 6) == b"?" + "양".encode("euc_kr") + b"?" + b"  "
    assert encode_an("커피☕", 6) == "커피".encode("euc_kr") + b"?" + b" "
    assert encode_an("😀x", 4) == b"?x  "


def test_n_fields_are_zero_padded_and_never_cut() -> None:
    assert encode_n(1500, 12, "total") == b"000000001500"
    assert encode_n("7", 2, "installment") == b"07"
    with pytest.raises(TelegramError, match="does not fit"):
        encode_n(10**12, 12, "total")
    with pytest.raises(TelegramError, match="negative"):
        encode_n(-1, 12, "total")
    with pytest.raises(TelegramError, match="digits"):
        encode_n("12a", 12, "serial")
    with pytest.raises(TelegramError, match="does not fit"):
        encode_request(card_request(serial="2501010000001"))
    with pytest.raises(TelegramError):
        encode_request(card_request(installment=100))


def test_a_signature_must_be_1024_bytes() -> None:
    with pytest.raises(TelegramError, match="1024"):
        encode_request(card_request(signature=b"\x00" * 10))


def test_text_too_long_for_an_an_field_is_cut_not_refused() -> None:
    frame = encode_request(card_request(pos_ref="x" * 50))
    assert decode_request(frame).pos_ref == "x" * 30


# --- the decoder's refusals -------------------------------------------------------------------


GOOD = encode_request(card_request())
GOOD_ANSWER = encode_response(Response(klass="IC", type="0210", tid="DPT0TEST03",
                                       serial="250101000001", status="O", code="0000",
                                       approval_no="12345678", message1="정상승인"))


@pytest.mark.parametrize(("frame", "kind", "words"), [
    (b"ABCD" + GOOD[4:], FrameError, "4 digits"),
    (GOOD[:100], FrameError, "length prefix says"),
    (b"", FrameError, "4 digits"),
    (b"0001\x02", FrameError, "STX"),
    (GOOD[:4] + b"X" + GOOD[5:], FrameError, "STX"),
    (GOOD[:-2] + b"\x04\r", FrameError, "ETX"),
    (GOOD[:-1] + b"\n", FrameError, "ETX CR"),
    (b"0453" + GOOD[4:-2] + b" \x03\r", FrameError, "452 or 1476"),
    (GOOD[:4 + 449] + b"T" + GOOD[4 + 450:], FieldError, "field 39"),
    (GOOD[:4 + 449] + b"Q" + GOOD[4 + 450:], FieldError, "field 39"),
    (GOOD[:4 + 187] + b" " + GOOD[4 + 188:], FieldError, "fs"),
    (GOOD[:4 + 190] + b"00000000001X" + GOOD[4 + 202:], FieldError, "total"),
    (GOOD[:4 + 24] + b"25010100000A" + GOOD[4 + 36:], FieldError, "serial"),
    (GOOD[:4 + 301] + b"\xff\xff" + GOOD[4 + 303:], FieldError, "pos_ref"),
])
def test_malformed_requests_raise_one_error_type_with_a_message(
        frame: bytes, kind: type[Exception], words: str) -> None:
    with pytest.raises(kind, match=words) as info:
        decode_request(frame)
    assert isinstance(info.value, TelegramError)
    if isinstance(info.value, FieldError):  # a host can still echo fields 2-8
        assert info.value.echo["tid"] == "DPT0TEST03"


@pytest.mark.parametrize(("frame", "words"), [
    (GOOD_ANSWER[:-1], "length prefix says"),
    (GOOD, "364 bytes"),
    (GOOD_ANSWER[:4 + 36] + b"Z" + GOOD_ANSWER[4 + 37:], "status"),
    (GOOD_ANSWER[:4 + 45] + b"2501011234 X" + GOOD_ANSWER[4 + 57:], "host_time"),
    (GOOD_ANSWER[:4 + 58] + b"\xff" + GOOD_ANSWER[4 + 59:], "message1"),
])
def test_malformed_responses_raise_telegram_error(frame: bytes, words: str) -> None:
    with pytest.raises(TelegramError, match=words):
        decode_response(frame)


def test_unframe_refuses_what_is_not_bytes() -> None:
    with pytest.raises(FrameError):
        unframe("0003\x02\x03\r")  # type: ignore[arg-type]


@st.composite
def mutated_frames(draw: st.DrawFn) -> bytes:
    """A valid request or response with a few bytes flipped, cut, inserted or re-lengthed."""
    buf = bytearray(draw(st.sampled_from([GOOD, GOOD_ANSWER])))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "length"]))
        if op == "flip" and buf:
            buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
        elif op == "cut" and buf:
            del buf[draw(st.integers(0, len(buf) - 1)):]
        elif op == "insert":
            buf.insert(draw(st.integers(0, len(buf))), draw(st.integers(0, 255)))
        else:
            buf[:4] = b"%04d" % max(0, len(buf) - 4)
    return bytes(buf)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=1600), mutated_frames()))
def test_the_decoders_raise_nothing_but_telegram_error(frame: bytes) -> None:
    for decode in (decode_request, decode_response):
        try:
            decode(frame)
        except TelegramError as exc:
            assert str(exc)
