"""The board's chime: a two-tone WAV drawn with the stdlib, and a beep (quickly, quietly)
where the machine has no sound device."""

from __future__ import annotations

import time
import wave
from pathlib import Path
from typing import Any

from ui.chime import RATE, TONES, Chime, chime_wav, sound_device_present


def test_the_chime_is_a_short_two_tone_wav(tmp_path: Path) -> None:
    path = chime_wav(tmp_path / "chime.wav")
    with wave.open(str(path)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == \
            (1, 2, RATE)
        seconds = sound.getnframes() / RATE
        frames = sound.readframes(sound.getnframes())
    assert abs(seconds - sum(s for _, s in TONES)) < 0.01  # both tones
    assert 0.5 < seconds < 1.0  # a chime, not a tune
    assert frames.count(b"\x00") < len(frames) // 2  # it is not silence


def test_playing_never_hangs_and_counts_each_chime(qapp: Any) -> None:
    chime = Chime()
    started = time.monotonic()
    chime.play()
    chime.play()
    assert time.monotonic() - started < 2.0
    assert chime.played == 2
    if not sound_device_present():  # this machine: no sound device, so QtMultimedia stays out
        assert chime._ready is False
