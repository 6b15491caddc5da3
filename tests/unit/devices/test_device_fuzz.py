"""Property tests: the frame parser, TLV parser, scan classifier and wedge decoder never raise
on any input, and a frame survives any chunking and line noise."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.cardreader import emv
from kspos.devices import cardframe as cf
from kspos.devices.scanning import classify_scan, detect_wallet, gtin_ok
from kspos.devices.wedge import WedgeDecoder

NOISE = st.binary(max_size=40).map(
    lambda b: bytes(x for x in b if x not in (cf.STX, cf.ACK, cf.NAK)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_the_frame_parser_never_raises(chunks: list[bytes]) -> None:
    parser = cf.FrameParser()
    for chunk in chunks:
        for event in parser.feed(chunk):
            assert event.kind in ("frame", "ack", "nak", "bad")
    parser.expire()


@settings(max_examples=200, deadline=None)
@given(cmd=st.sampled_from("SRCDGBsrcdgbe?"), data=st.binary(max_size=300), noise=NOISE,
       cuts=st.lists(st.integers(min_value=1, max_value=50), max_size=10))
def test_any_frame_survives_noise_and_chunking(cmd: str, data: bytes, noise: bytes,
                                               cuts: list[int]) -> None:
    stream = noise + cf.encode_frame(cmd, data) + noise
    parser = cf.FrameParser()
    events = []
    at = 0
    for cut in cuts:
        events += parser.feed(stream[at:at + cut])
        at += cut
    events += parser.feed(stream[at:])
    assert [e.frame for e in events if e.kind == "frame"] == [cf.Frame(cmd, data)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_the_scan_classifier_never_raises(raw: str) -> None:
    scan = classify_scan(raw)
    assert scan.kind in ("payment", "product", "unknown")
    detect_wallet(raw)
    gtin_ok(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_tlv_parsing_fails_only_with_emv_error(data: bytes) -> None:
    with contextlib.suppress(emv.EmvError):
        emv.parse_tlv(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "a", "가", "\r", "\t", "", "xy"]),
                          st.sampled_from([0.0, 0.004, 0.03, 0.06, 0.2])), max_size=40))
def test_the_wedge_decoder_never_loses_or_reorders_a_key(keys: list[tuple[str, float]]) -> None:
    """Every key is passed through, held then replayed in order, or part of exactly one scan."""
    decoder = WedgeDecoder()
    now = 0.0
    held: list[int] = []  # our model of what the decoder holds
    for index, (char, gap) in enumerate(keys):
        now += gap
        action = decoder.feed(char, now, index)
        assert list(action.release) == held[:len(action.release)]  # oldest first
        del held[:len(action.release)]
        if action.code is not None:
            assert action.code == "".join(keys[i][0] for i in held) and action.swallow
            held.clear()
        elif action.swallow:
            held.append(index)
        else:
            assert not held  # a key passes only after everything before it was replayed
    assert list(decoder.expire(now + 1).release) == held
    assert not decoder.holding
