"""Keyboard-wedge decoding: telling a barcode scanner's keystroke burst from a person typing.

A wedge scanner "types" a code as fast keystrokes (a few ms apart) ending with Enter (or Tab).
People type with 80+ ms between keys. The decoder holds printable keys back while they arrive
fast; a fast run of at least ``min_length`` characters closed by a terminator is a scan, and
anything else is handed back (``release``) to be replayed to the focused widget in order.

Qt-free: the Qt event filter (ui/widgets/wedge.py) feeds it characters, times and an opaque
``payload`` per key (what it needs to replay the key), and acts on the returned WedgeAction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TERMINATORS = ("\r", "\n", "\t")
DEFAULT_MAX_GAP_S = 0.05
DEFAULT_MIN_LENGTH = 4


@dataclass(frozen=True, slots=True)
class WedgeAction:
    """What to do with the key just fed.

    - ``release``: payloads of held keys to replay now, in order, before anything else;
    - ``swallow``: True when the current key must not reach the widget (held or part of a scan);
    - ``code``: a complete scan (its keys are swallowed, never replayed).
    """

    swallow: bool
    release: tuple[Any, ...] = ()
    code: str | None = None


@dataclass
class WedgeDecoder:
    """Burst decoder. ``max_gap_s``: the longest pause inside a scan; ``min_length``: the
    shortest code; ``scan_without_terminator``: a fast run that just stops is a scan too (for
    scanners set up with no suffix)."""

    max_gap_s: float = DEFAULT_MAX_GAP_S
    min_length: int = DEFAULT_MIN_LENGTH
    scan_without_terminator: bool = False
    terminators: tuple[str, ...] = TERMINATORS
    _chars: list[str] = field(default_factory=list)
    _payloads: list[Any] = field(default_factory=list)
    _last: float = 0.0

    @property
    def holding(self) -> bool:
        """True while keys are held back (the filter then runs a ``max_gap_s`` timer)."""
        return bool(self._chars)

    def _take(self) -> tuple[str, tuple[Any, ...]]:
        text, payloads = "".join(self._chars), tuple(self._payloads)
        self._chars.clear()
        self._payloads.clear()
        return text, payloads

    def feed(self, char: str, now: float, payload: Any = None) -> WedgeAction:
        """One key press: ``char`` is its text (a terminator for Enter/Tab, "" for keys with
        no text such as arrows or F-keys), ``now`` its time in seconds."""
        gap_ok = self.holding and now - self._last <= self.max_gap_s
        if char in self.terminators and char:
            if gap_ok and len(self._chars) >= self.min_length:
                scanned, _ = self._take()
                return WedgeAction(swallow=True, code=scanned)
            _, held = self._take()
            return WedgeAction(swallow=False, release=held)
        if len(char) != 1 or not char.isprintable():
            _, held = self._take()  # a key with no text ends any burst: give the keys back
            return WedgeAction(swallow=False, release=held)
        released: tuple[Any, ...] = ()
        code: str | None = None
        if self.holding and not gap_ok:
            code, released = self._flush_stale()
        self._chars.append(char)
        self._payloads.append(payload)
        self._last = now
        return WedgeAction(swallow=True, release=released, code=code)

    def _flush_stale(self) -> tuple[str | None, tuple[Any, ...]]:
        text, held = self._take()
        if self.scan_without_terminator and len(text) >= self.min_length:
            return text, ()
        return None, held

    def expire(self, now: float) -> WedgeAction:
        """Called when the ``max_gap_s`` timer fires: held keys that saw no follow-up in time
        were typed by a person (or, with ``scan_without_terminator``, were a scan)."""
        if not self.holding or now - self._last < self.max_gap_s:
            return WedgeAction(swallow=False)
        code, held = self._flush_stale()
        return WedgeAction(swallow=False, release=held, code=code)
