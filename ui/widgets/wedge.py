"""The keyboard-wedge event filter: install it on the QApplication and connect ``scanned``.

Key presses go through kspos.devices.wedge.WedgeDecoder. A scanner's burst is swallowed and emitted as
``scanned(code)``; keys a person typed are held for at most ``max_gap_s`` (50 ms) and then
replayed, in order, to the widget they were meant for.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

from kspos.devices.wedge import WedgeAction, WedgeDecoder

_TERMINATOR_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


class WedgeFilter(QObject):
    """Application-wide key filter that splits scanner bursts from typing."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, decoder: WedgeDecoder | None = None,
                 clock: Any = time.monotonic) -> None:
        super().__init__(parent)
        self.decoder = decoder or WedgeDecoder()
        self._clock = clock
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & _COMMAND_MODIFIERS:
            char = ""  # shortcuts are never part of a scan
        else:
            char = _TERMINATOR_KEYS.get(Qt.Key(event.key()), event.text())
        payload = (watched, event.key(), event.modifiers(), event.text(), event.isAutoRepeat())
        action = self.decoder.feed(char, self._clock(), payload)
        return self._apply(action)

    def _apply(self, action: WedgeAction) -> bool:
        self._replay(action.release)
        if action.code is not None:
            self.scanned.emit(action.code)
        if self.decoder.holding:
            self._timer.start(max(1, int(self.decoder.max_gap_s * 1000) + 5))
        else:
            self._timer.stop()
        return action.swallow

    def _expire(self) -> None:
        action = self.decoder.expire(self._clock())
        self._apply(action)
        if self.decoder.holding:  # the timer fired a little early: look again shortly
            self._timer.start(5)

    def _replay(self, payloads: tuple[Any, ...]) -> None:
        if not payloads:
            return
        self._replaying = True
        try:
            for target, key, modifiers, text, autorepeat in payloads:
                event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text, autorepeat)
                QCoreApplication.sendEvent(target, event)
        finally:
            self._replaying = False


def install_wedge(app: QCoreApplication, decoder: WedgeDecoder | None = None) -> WedgeFilter:
    """Create a WedgeFilter owned by ``app`` and install it application-wide."""
    wedge = WedgeFilter(app, decoder)
    app.installEventFilter(wedge)
    return wedge
