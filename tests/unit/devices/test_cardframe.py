"""The serial reader protocol codec (specs/card-reader-serial.md): frames, LRC, the parser."""

from __future__ import annotations

import pytest

from kspos.devices import cardframe as cf


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_frame_is_stx_len_cmd_data_etx_lrc() -> None:
    frame = cf.encode_frame("B", b"2")
    assert frame[0] == cf.STX
    assert frame[1:3] == b"\x00\x02"  # CMD + DATA
    assert frame[3:5] == b"B2"
    assert frame[5] == cf.ETX
    assert frame[6] == 0x00 ^ 0x02 ^ ord("B") ^ ord("2") ^ cf.ETX


def test_parser_returns_frames_acks_and_naks_and_skips_noise() -> None:
    parser = cf.FrameParser()
    stream = b"\x06garbage\xff" + cf.encode_frame("s", b"R") + b"\x15"
    events = parser.feed(stream)
    assert [e.kind for e in events] == ["ack", "frame", "nak"]
    assert events[1].frame == cf.Frame("s", b"R")
    assert parser.noise == len("garbage") + 1


def test_a_frame_split_across_reads_is_put_back_together() -> None:
    parser = cf.FrameParser()
    frame = cf.encode_frame("r", cf.read_reply("1"))
    events = []
    for byte in frame:
        events += parser.feed(bytes([byte]))
    assert [e.kind for e in events] == ["frame"]
    assert events[0].frame is not None and events[0].frame.cmd == "r"


def test_a_bad_lrc_is_reported_and_the_next_frame_still_parses() -> None:
    parser = cf.FrameParser()
    broken = bytearray(cf.encode_frame("d"))
    broken[-1] ^= 0xFF
    events = parser.feed(bytes(broken) + cf.encode_frame("b"))
    assert next((e.kind, e.reason) for e in events) == ("bad", "LRC mismatch")
    assert events[1].frame == cf.Frame("b")


def test_a_whole_frame_with_a_non_ascii_command_byte_is_skipped_as_noise() -> None:
    body = b"\x9f\x01"
    covered = len(body).to_bytes(2, "big") + body + bytes([cf.ETX])
    junk = bytes([cf.STX]) + covered + bytes([cf.lrc(covered)])
    parser = cf.FrameParser()
    events = parser.feed(junk + cf.encode_frame("e", b"I"))
    assert [(e.kind, e.frame) for e in events] == [("frame", cf.Frame("e", b"I"))]
    assert parser.junk == 1


def test_a_stray_stx_in_noise_does_not_swallow_the_real_frame() -> None:
    parser = cf.FrameParser()
    events = parser.feed(b"\x02\x00\x03Rxy\x7f" + cf.encode_frame("c"))
    kinds = [e.kind for e in events]
    assert kinds == ["bad", "frame"]
    assert events[1].frame == cf.Frame("c")


def test_an_impossible_length_is_dropped_at_once() -> None:
    parser = cf.FrameParser()
    events = parser.feed(b"\x02\xff\xff" + cf.encode_frame("c"))
    assert [e.kind for e in events] == ["bad", "frame"]


def test_a_frame_not_finished_within_one_second_is_dropped() -> None:
    clock = FakeClock()
    parser = cf.FrameParser(clock=clock)
    frame = cf.encode_frame("s", cf.status_reply("R", "M", "F"))
    assert parser.feed(frame[:6]) == []
    clock.now += 0.9
    assert parser.expire() == []
    clock.now += 0.2
    events = parser.expire()
    assert [(e.kind, e.reason) for e in events] == [("bad", "frame not finished within 1 s")]
    assert not parser.in_frame
    assert [e.kind for e in parser.feed(frame)] == ["frame"]  # the resend parses


def test_numbers_are_zero_padded_and_refuse_what_does_not_fit() -> None:
    assert cf.num(15000, 12) == b"000000015000"
    with pytest.raises(cf.FieldError):
        cf.num(10**12, 12)
    with pytest.raises(cf.FieldError):
        cf.num(-1, 2)


def test_text_is_euc_kr_cut_at_a_character_boundary() -> None:
    field = cf.text("a가나다라마바사아", 16)  # 1 + 8×2 bytes: the 8th syllable does not fit
    assert len(field) == 16
    assert field == "a가나다라마바사".encode("euc-kr") + b" "
    assert cf.decode_text(field) == "a가나다라마바사"
    assert cf.text("똠양꿍", 6).decode("euc-kr").startswith("?")  # not in KS X 1001


def test_requests_and_replies_round_trip() -> None:
    assert cf.parse_read_request(cf.read_request(15000, 120)) == (15000, 99)  # capped
    assert cf.parse_display_request(cf.display_request("합계", "15,000원")) == ("합계", "15,000원")
    status = cf.parse_status_reply(cf.status_reply("R", "KIS-1000", "2.1"))
    assert (status.state, status.model, status.firmware) == ("R", "KIS-1000", "2.1")
    reply = cf.parse_read_reply(cf.read_reply("0", "I", "411111******1111",
                                              "4111111111111111=3012101", "3012", "VISA"))
    assert (reply.result, reply.entry_mode, reply.masked_pan, reply.brand) == \
        ("0", "I", "411111******1111", "VISA")
    assert reply.track2 == "4111111111111111=3012101" and reply.expiry == "3012"
    assert "4111111111111111" not in repr(reply)
    result, bitmap = cf.parse_signature_reply(cf.signature_reply("0", b"\x80" * 1024))
    assert result == "0" and bitmap == b"\x80" * 1024


def test_a_read_that_did_not_read_carries_no_card_data() -> None:
    data = cf.read_reply("2", "I", "411111******1111", "4111111111111111=3012", "3012", "VISA")
    reply = cf.parse_read_reply(data)
    assert (reply.result, reply.masked_pan, reply.track2, reply.expiry) == ("2", "", "", "0000")


def test_short_replies_are_field_errors_not_crashes() -> None:
    with pytest.raises(cf.FieldError):
        cf.parse_read_reply(b"0I")
    with pytest.raises(cf.FieldError):
        cf.parse_status_reply(b"")
