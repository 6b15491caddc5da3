"""kspos.devices.wedge: a scanner's fast burst ending in Enter is a scan; people's typing is given back
to the widget, in order."""

from __future__ import annotations

from kspos.devices.wedge import WedgeDecoder


def type_keys(decoder: WedgeDecoder, text: str, gap: float, start: float = 0.0):  # type: ignore[no-untyped-def]
    actions = []
    now = start
    for index, char in enumerate(text):
        actions.append(decoder.feed(char, now, index))
        now += gap
    return actions, now


def test_a_fast_burst_closed_by_enter_is_a_scan_and_swallowed() -> None:
    decoder = WedgeDecoder()
    actions, _now = type_keys(decoder, "8801234567893\r", gap=0.004)
    assert all(a.swallow for a in actions)
    assert [a.code for a in actions if a.code] == ["8801234567893"]
    assert all(not a.release for a in actions)


def test_tab_also_closes_a_burst() -> None:
    actions, _ = type_keys(WedgeDecoder(), "2810061234567890\t", gap=0.01)
    assert actions[-1].code == "2810061234567890"


def test_human_typing_is_released_in_order() -> None:
    decoder = WedgeDecoder()
    actions, now = type_keys(decoder, "1234", gap=0.12)
    released = [p for a in actions for p in a.release] + list(decoder.expire(now + 1).release)
    assert released == [0, 1, 2, 3]
    assert not any(a.code for a in actions)


def test_a_short_fast_burst_is_typing_and_enter_passes_through() -> None:
    decoder = WedgeDecoder()
    actions, _ = type_keys(decoder, "12\r", gap=0.01)
    assert actions[-1].code is None
    assert actions[-1].release == (0, 1) and not actions[-1].swallow


def test_a_slow_enter_after_fast_keys_is_not_a_scan() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, "12345", gap=0.005)
    action = decoder.feed("\r", 1.0)
    assert action.code is None and action.release == (0, 1, 2, 3, 4) and not action.swallow


def test_a_key_without_text_ends_a_burst_and_passes() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, "123", gap=0.005)
    action = decoder.feed("", 0.02, "left-arrow")
    assert action.release == (0, 1, 2) and not action.swallow


def test_expire_waits_for_the_gap() -> None:
    decoder = WedgeDecoder(max_gap_s=0.05)
    decoder.feed("a", 0.0, "a")
    assert decoder.expire(0.01).release == ()
    assert decoder.expire(0.06).release == ("a",)


def test_scanners_without_a_suffix_can_be_decoded_too() -> None:
    decoder = WedgeDecoder(scan_without_terminator=True)
    _, now = type_keys(decoder, "8801234567893", gap=0.003)
    assert decoder.expire(now + 0.1).code == "8801234567893"
