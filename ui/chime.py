"""The pickup board's chime: a short two-tone "ding-dong" when a number turns 완료.

QtMultimedia's ``QSoundEffect`` plays a WAV drawn here with the stdlib ``wave`` module at first
use (no sound file is shipped). Where the machine has no sound device (a counter PC without
speakers, a test run) it falls back to ``QApplication.beep()``; that is decided once, by
looking for a sound device before QtMultimedia is even loaded, because asking QtMultimedia on
such a machine prints a screenful of backend warnings.
"""

from __future__ import annotations

import logging
import math
import os
import struct
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
RATE = 22050
TONES = ((880.0, 0.28), (659.3, 0.42))  # A5 then E5: a ding-dong, under a second


def chime_wav(path: Path) -> Path:
    """Write the two-tone chime as 16-bit mono PCM to ``path``; returns it."""
    frames = bytearray()
    for frequency, seconds in TONES:
        count = int(RATE * seconds)
        for n in range(count):
            fade = min(1.0, n / 200, (count - n) / 2000)  # no click at either end
            decay = math.exp(-3.0 * n / count)
            value = 0.5 * fade * decay * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(value * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


def sound_device_present() -> bool:
    """Whether this machine seems to have somewhere to play sound (Linux: an ALSA card, or a
    PulseAudio/PipeWire server); other systems are assumed to have one."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and any(os.path.exists(os.path.join(runtime, name))
                       for name in ("pulse/native", "pipewire-0")):
        return True
    try:
        return any(name.startswith("pcmC") for name in os.listdir("/dev/snd"))
    except OSError:
        return False


class Chime:
    """``play()`` the chime, or beep where there is no sound device. Never raises."""

    def __init__(self, parent: Any = None) -> None:
        self._parent = parent
        self._effect: Any = None
        self._ready: bool | None = None  # None: not tried yet
        self.played = 0  # how many times it sounded (tests, the board's status)

    def _build(self) -> bool:
        if not sound_device_present():
            return False
        try:
            from PySide6.QtCore import QLoggingCategory, QUrl

            QLoggingCategory.setFilterRules("qt.multimedia.*=false")
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if QMediaDevices.defaultAudioOutput().isNull():
                return False
            folder = Path(tempfile.mkdtemp(prefix="kspos-chime-"))
            effect = QSoundEffect(self._parent)
            effect.setSource(QUrl.fromLocalFile(str(chime_wav(folder / "chime.wav"))))
            effect.setVolume(0.8)
            self._effect = effect
            return True
        except Exception:  # noqa: BLE001 - no sound is a beep, never a broken board
            log.warning("chime: QtMultimedia unavailable, beeping instead", exc_info=True)
            return False

    def play(self) -> None:
        if self._ready is None:
            self._ready = self._build()
        self.played += 1
        if self._ready and self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
