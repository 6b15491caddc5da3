"""Property tests: the frame parser, TLV parser, scan classifier and wedge decoder never raise
on any input, and a frame survives any chunking and line noise."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.cardreader import emv
from kspos import cardframe as cf
from kspos.scanning import classify_scan, detect_wallet, gtin_ok
from kspos.wedge import WedgeDecoder

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
@given(st.lists(st.tuples(st.text(max_size=2), st.floats(min_value=0, max_value=0.2)),
                max_size=40))
def test_the_wedge_decoder_never_raises_and_never_loses_a_key(
        keys: list[tuple[str, float]]) -> None:
    decoder = WedgeDecoder()
    now = 0.0
    replayed: list[int] = []
    scanned: list[str] = []
    held = []
    for index, (char, gap) in enumerate(keys):
        now += gap
        action = decoder.feed(char, now, index)
        replayed += action.release
        if action.code:
            scanned.append(action.code)
        if action.swallow and not action.code:
            held.append(index)
    action = decoder.expire(now + 1)
    replayed += action.release
    assert not decoder.holding
    assert replayed == sorted(replayed)  # replayed keys keep their order
