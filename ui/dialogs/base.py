"""A touch dialog: a title, a body and a row of big buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from ui.i18n import t
from ui.widgets.common import button, label


class TouchDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.setWindowTitle(title)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(24, 20, 24, 20)
        self.outer.setSpacing(12)
        self.title = label(title, "title")
        self.outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        self.outer.addLayout(self.body, 1)
        self.error = label("", "error", name="dialog-error")
        self.error.setWordWrap(True)
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
        self.cancel_button.setMinimumHeight(64)
        self.buttons.addWidget(ok, 2)
        return ok

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
