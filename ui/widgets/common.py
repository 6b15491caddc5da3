"""Small shared widgets: role-styled buttons and labels, the numeric keypad, banners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from ui.i18n import Shown, message, t

# Labels that show messages (errors, results, banners): they pass through message().
MESSAGE_ROLES = frozenset({"error", "success", "status", "result", "result-bad", "status-bad",
                           "banner-warning", "banner-danger"})


def button(text: str, role: str = "", on_click: Callable[[], None] | None = None,
           name: str = "") -> QPushButton:
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    if name:
        b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # taps never steal keyboard-wedge focus
    if on_click is not None:
        b.clicked.connect(lambda _=False: on_click())
    return b


class MessageLabel(QLabel):
    """A label for messages: an error from the core shows its sentence in the current
    language (:func:`ui.i18n.message`), a text written "한국어 (English)" only the part for it;
    again after a live language switch. ``text()`` gives back what was set, as text (callers
    compare and extend it); the screen shows the localized form."""

    def __init__(self, text: str = "", role: str = "") -> None:
        super().__init__()
        self._raw: Shown = ""
        self._role = role  # the style a plain setText() shows; say() picks green or red
        if role:
            self.setProperty("role", role)
        self.setText(text)

    def setText(self, text: Shown) -> None:  # noqa: N802 - Qt's name
        self._raw = text
        super().setText(message(text))
        if self._role and self.property("role") != self._role:
            _polish(self, self._role)

    def text(self) -> str:
        return str(self._raw)

    def say(self, text: Shown, ok: bool = False) -> None:
        """Show ``text`` as a success (green) or as trouble (red)."""
        self.setText(text)
        _polish(self, "success" if ok else "error")  # this message only: not the base style

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            super().setText(message(self._raw))
        super().changeEvent(event)


def message_label(role: str = "error", name: str = "") -> MessageLabel:
    """An empty :class:`MessageLabel` that wraps its lines (a screen's or dialog's message)."""
    lbl = label("", role, name)
    assert isinstance(lbl, MessageLabel)
    lbl.setWordWrap(True)
    return lbl


def label(text: str = "", role: str = "", name: str = "",
          align: Qt.AlignmentFlag | None = None) -> QLabel:
    """A QLabel styled by ``role``; message roles get a :class:`MessageLabel`."""
    lbl = MessageLabel(text, role) if role in MESSAGE_ROLES else QLabel(text)
    if role:
        lbl.setProperty("role", role)
    if name:
        lbl.setObjectName(name)
    if align is not None:
        lbl.setAlignment(align)
    return lbl


def scroll_area(content: QWidget, name: str = "", frame: bool = False) -> QScrollArea:
    """``content`` scrolling up and down only, at the area's width (a list, a sheet, a slip
    preview); no frame unless ``frame``."""
    scroll = QScrollArea()
    if name:
        scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    if not frame:
        scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll


def restyle(widget: QWidget, role: str) -> None:
    """Change a widget's role and make the stylesheet notice (a MessageLabel keeps it for
    its later messages)."""
    if isinstance(widget, MessageLabel):
        widget._role = role
    _polish(widget, role)


def _polish(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in "0123456789"}


class Keypad(QWidget):
    """A touch number pad: digits, 00, ⌫ and C. Emits the whole text on every key.

    A USB numpad or keyboard types into it too (digits, Backspace, Delete clears); Enter is
    left to the dialog, whose default button (확인) takes it."""

    changed = Signal(str)

    def __init__(self, max_digits: int = 9, parent: QWidget | None = None,
                 digits_only: bool = False) -> None:
        super().__init__(parent)
        self.max_digits = max_digits
        self.digits_only = digits_only  # PINs and phone numbers keep their leading zeros
        self.text = ""
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", "00"]
        for index, key in enumerate(keys):
            b = button(key, "key", lambda k=key: self.press(k), name=f"key-{key}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(b, index // 3, index % 3)
        back = button("⌫", "key", lambda: self.press("back"), name="key-back")
        back.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        grid.addWidget(back, 0, 3, 2, 1)
        clear = button(t("지우기"), "key", lambda: self.press("C"), name="key-clear")
        clear.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        grid.addWidget(clear, 2, 3, 2, 1)
        self.clear_key = clear
        self._fit_clear_key()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _fit_clear_key(self) -> None:
        """The word key keeps its whole word in a narrow pad (복합결제 cut it to '|우기')."""
        self.clear_key.ensurePolished()
        words = self.clear_key.fontMetrics().horizontalAdvance(self.clear_key.text())
        self.clear_key.setMinimumWidth(words + 28)  # the QSS padding (12 + 12) and border

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_clear_key()  # styled by now: the key's real font
        focus = self.window().focusWidget()
        if focus is None or focus is self.window():  # an input box keeps its keyboard
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def take_key(self, event: QKeyEvent) -> bool:
        """A key from a USB numpad or keyboard: digits, Backspace, Delete (clears). False for
        the keys that are not the pad's (Enter and Escape are the dialog's)."""
        key = Qt.Key(event.key())
        if key in _DIGIT_KEYS:
            self.press(_DIGIT_KEYS[key])
        elif key == Qt.Key.Key_Backspace:
            self.press("back")
        elif key == Qt.Key.Key_Delete:
            self.press("C")
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.take_key(event):
            super().keyPressEvent(event)  # on to the dialog: Enter confirms, Escape cancels

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.clear_key.setText(t("지우기"))
            self._fit_clear_key()
        super().changeEvent(event)

    def press(self, key: str) -> None:
        if key == "C":
            self.text = ""
        elif key == "back":
            self.text = self.text[:-1]
        elif len(self.text + key) <= self.max_digits:
            self.text += key
            if not self.digits_only:  # an amount: no leading zeros
                self.text = self.text.lstrip("0")
        self.changed.emit(self.text)

    def set_text(self, text: str) -> None:
        self.text = text
        self.changed.emit(text)

    def value(self) -> int:
        return int(self.text) if self.text else 0


class Banner(QWidget):
    """A coloured line with an optional action: training mode, 망취소 pending, printer trouble."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = label("", "banner-warning")
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.text)
        self.action = button("", "")
        self.action.hide()
        row.addWidget(self.action)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.hide()

    def _act(self) -> None:
        if self._callback:
            self._callback()

    def show_message(self, text: str, danger: bool = False, action: str = "",
                     callback: Callable[[], None] | None = None) -> None:
        restyle(self.text, "banner-danger" if danger else "banner-warning")
        self.text.setText(text)
        self._callback = callback
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()


class Stepper(QWidget):
    """A touch-sized [−] n [+] counter from 0 to ``maximum`` (refund quantities)."""

    changed = Signal(int)

    def __init__(self, maximum: int, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.maximum = maximum
        self._value = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.minus = button("−", "", lambda: self.setValue(self._value - 1), name=f"{name}-minus")
        self.count = label("0", "title", align=Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(36)
        self.plus = button("+", "", lambda: self.setValue(self._value + 1), name=f"{name}-plus")
        for w in (self.minus, self.count, self.plus):
            row.addWidget(w)

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:  # noqa: N802 - Qt-style name, like QSpinBox
        self._value = max(0, min(self.maximum, value))
        self.count.setText(str(self._value))
        self.changed.emit(self._value)
