"""A touch dialog: a title, a body and a row of big buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from ui.i18n import Shown, t
from ui.widgets.common import Keypad, button, label, message_label


class TouchDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        # Modal to the cashier's window only: the customer display (another window) still
        # takes the customer's taps (the 현금영수증 number, the signature) while this is up.
        self.setWindowModality(Qt.WindowModality.WindowModal if parent is not None
                               else Qt.WindowModality.ApplicationModal)
        self.setWindowTitle(title)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(24, 20, 24, 20)
        self.outer.setSpacing(12)
        self.title = label(title, "title")
        self.outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        self.outer.addLayout(self.body, 1)
        self.error = message_label("error", name="dialog-error")
        # Its room is kept while hidden: a message never moves the keypad under the finger.
        policy = self.error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.error.setSizePolicy(policy)
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() + 4)
        self.error.hide()
        self.outer.addWidget(self.error)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        self.outer.addLayout(self.buttons)
        self.cancel_button = button(t("취소"), "", self.reject, name="dialog-cancel")
        self.buttons.addWidget(self.cancel_button)

    def add_ok(self, text: str, on_click, name: str = "dialog-ok"):  # type: ignore[no-untyped-def]
        ok = button(text, "primary", on_click, name=name)
        ok.setMinimumHeight(64)
        ok.setDefault(True)  # Enter on a USB keypad or keyboard confirms
        self.cancel_button.setMinimumHeight(64)
        self.buttons.addWidget(ok, 2)
        return ok

    def show_error(self, text: Shown) -> None:
        """A message under the body in the danger colour ("" hides it; its room stays)."""
        self.show_message(text)

    def show_message(self, text: Shown, ok: bool = False) -> None:
        """Like :meth:`show_error`; ``ok`` shows it in the success colour."""
        self.error.say(text, ok)
        self.error.setVisible(bool(text))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        # A dialog that set its own minimum size is not grown by its layout: never let that
        # minimum cut the keypad's last row (the error line's kept room takes some height).
        self.setMinimumSize(self.minimumSize().expandedTo(self.outer.totalMinimumSize()))
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Digits typed anywhere in the dialog go to its keypad (the pad may not have the
        focus); Enter presses the default button (확인), Escape cancels."""
        pads = [pad for pad in self.findChildren(Keypad) if pad.isVisible()]
        if pads and pads[0].take_key(event):
            return
        super().keyPressEvent(event)
