"""Driving modal dialogs by taps in pytest-qt tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton, QWidget


def tap(widget: QWidget, name: str) -> None:
    """Tap the button called ``name`` inside ``widget`` (fails loudly if it is not there)."""
    found = widget.findChild(QPushButton, name) or widget.findChild(QToolButton, name)
    assert found is not None, f"no button {name!r} in {widget.objectName()}"
    assert found.isEnabled(), f"button {name!r} is disabled"
    found.click()


def on_next_dialog(handler: Callable[[QWidget], None], expect: str = "") -> None:
    """Run ``handler`` on the next modal dialog once it is up (dialogs block in exec())."""

    def poll(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (expect and dialog.objectName() != expect) \
                or getattr(dialog, "_handled", False):
            if tries < 300:
                QTimer.singleShot(10, lambda: poll(tries + 1))
            return
        dialog._handled = True  # type: ignore[attr-defined]
        handler(dialog)

    QTimer.singleShot(0, poll)


def enter_pin(pin: str) -> Callable[[QWidget], None]:
    def handler(dialog: QWidget) -> None:
        for digit in pin:
            tap(dialog, f"key-{digit}")
        tap(dialog, "pin-ok")

    return handler


def open_as_owner(window: QWidget, context: object, name: str) -> QWidget:
    """An owner screen opened as the cashier screen's menu does after the owner's PIN."""
    from kspos.sales.staff import Role

    widget = window.screen_widget(name)  # type: ignore[attr-defined]
    widget.owner = context.staff.first(Role.OWNER)  # type: ignore[attr-defined]
    shown: QWidget = window.show_screen(name)  # type: ignore[attr-defined]
    return shown
