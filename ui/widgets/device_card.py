"""One device on the 장치 점검 screen: its name, spec, a status dot and words, big action
buttons and the last result; and the dialog that changes its spec."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import TouchDialog
from ui.i18n import localize, t
from ui.widgets.common import button, label, restyle

if TYPE_CHECKING:
    from kspos.diagnostics import Discovery

DOT_ROLES = {"ok": "dot-ok", "warn": "dot-warn", "bad": "dot-bad", "busy": "dot-busy",
             "unknown": "dot-unknown"}
ACTION_HEIGHT = 56


class DeviceCard(QWidget):
    """A device's card. ``on_spec`` (optional) opens the spec picker."""

    def __init__(self, kind: str, title: str, on_spec: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"card-{kind}")
        self.setProperty("role", "device-card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 12, 12, 12)
        col.setSpacing(8)
        self.title = label(title, "card-title", name=f"{kind}-title")
        col.addWidget(self.title)
        status_row = QHBoxLayout()
        status_row.setSpacing(8)
        self.dot = QLabel()
        self.dot.setFixedSize(16, 16)
        self.dot.setObjectName(f"{kind}-dot")
        restyle(self.dot, DOT_ROLES["unknown"])
        status_row.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.status = label(t("확인 중..."), "status-words", name=f"{kind}-status")
        self.status.setWordWrap(True)
        status_row.addWidget(self.status, 1)
        col.addLayout(status_row)
        spec_row = QHBoxLayout()
        spec_row.setSpacing(8)
        self.spec = label("", "spec", name=f"{kind}-spec-text")
        self.spec.setWordWrap(True)
        self.spec.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.spec.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        spec_row.addWidget(self.spec, 1)
        self.spec_button: QPushButton | None = None
        if on_spec is not None:
            self.spec_button = button(t("변경"), "", on_spec, name=f"{kind}-spec")
            spec_row.addWidget(self.spec_button, 0, Qt.AlignmentFlag.AlignTop)
        col.addLayout(spec_row)
        self.action_box = QVBoxLayout()
        self.action_box.setSpacing(8)
        col.addLayout(self.action_box)
        self.result = label("", "result", name=f"{kind}-result")
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.result, 1)
        self.buttons: dict[str, QPushButton] = {}

    def add_action(self, key: str, text: str, on_click: Callable[[], None],
                   role: str = "") -> QPushButton:
        b = button(text, role, on_click, name=f"{self.kind}-{key}")
        b.setProperty("compact", True)  # narrow cards at 1024 px: less side padding
        b.setMinimumHeight(ACTION_HEIGHT)
        b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.action_box.addWidget(b)
        self.buttons[key] = b
        return b

    def set_spec(self, text: str) -> None:
        self.spec.setText(text)
        self.spec.setToolTip(text)

    def set_status(self, level: str, words: str, detail: str = "") -> None:
        """The dot's colour (ok, warn, bad, busy, unknown) and the words beside it."""
        restyle(self.dot, DOT_ROLES.get(level, DOT_ROLES["unknown"]))
        restyle(self.status, "status-bad" if level == "bad" else "status-words")
        self.status_words = words
        self.status.setText(t(words))
        self.status.setToolTip(detail)

    def retranslate(self, title: str, actions: dict[str, str]) -> None:
        """Texts again in the current language (``actions``: key → Korean text)."""
        self.title.setText(t(title))
        self.status.setText(t(getattr(self, "status_words", "확인 중...")))
        if self.spec_button is not None:
            self.spec_button.setText(t("변경"))
        for key, korean in actions.items():
            if key in self.buttons:
                self.buttons[key].setText(t(korean))

    def set_result(self, text: str, level: str = "ok") -> None:
        """The last result, below the buttons (``bad`` in the danger colour)."""
        restyle(self.result, {"bad": "result-bad", "busy": "result-busy"}.get(level, "result"))
        self.result.setText(text)

    def set_busy(self, busy: bool, keep: str = "") -> None:
        """Disable the actions while one runs (``keep`` stays enabled, e.g. a cancel)."""
        for key, b in self.buttons.items():
            b.setEnabled(not busy or key == keep)
        if self.spec_button is not None:
            self.spec_button.setEnabled(not busy)


SPEC_HINTS = {
    "printer": "tcp:HOST:PORT · serial:PORT?baudrate=N · usb:VID:PID · file:PATH · sim",
    "card_reader": "serial:PORT?baudrate=N · pcsc · pcsc:이름 · sim",
    "scanner": "serial:PORT?baudrate=N · hid · sim",
    "van": "tcp:HOST:PORT · embedded",
}
FIXED_CHOICES = {
    "printer": ["sim"],
    "card_reader": ["sim", "pcsc"],
    "scanner": ["sim", "hid"],
    "van": ["embedded"],
}


def spec_choices(kind: str, found: Discovery | None) -> list[str]:
    """The picker's choices: fixed ones, the serial ports, the PC/SC readers (readers only)."""
    choices = list(FIXED_CHOICES[kind])
    if found is None:
        return choices
    if kind == "card_reader":
        choices += [f"pcsc:{name}" for name in found.pcsc_readers]
    if kind in ("printer", "card_reader", "scanner"):
        choices += [f"serial:{device}" for device, _ in found.serial_ports]
    return choices


class SpecDialog(TouchDialog):
    """Pick or type a spec; 저장 calls ``on_save(spec)``, which answers later through
    :meth:`saved` or :meth:`refused` (the save runs off the GUI thread)."""

    def __init__(self, parent: QWidget | None, kind: str, title: str, current: str,
                 on_save: Callable[[str], None]) -> None:
        super().__init__(parent, title)
        self.setObjectName("SpecDialog")
        self.kind, self.on_save = kind, on_save
        self.setMinimumWidth(640)
        self.body.addWidget(label(t("선택하거나 직접 입력하세요"), "muted"))
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.body.addWidget(self.grid_host)
        self.searching = label(t("포트 찾는 중..."), "muted", name="spec-searching")
        self.searching.setWordWrap(True)
        self.body.addWidget(self.searching)
        self.edit = QLineEdit(current)
        self.edit.setObjectName("spec-edit")
        self.edit.returnPressed.connect(self.save)
        self.body.addWidget(self.edit)
        hint = label(SPEC_HINTS[kind], "caption")
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        self.ok_button = self.add_ok(t("저장"), self.save, name="spec-save")
        self.show_choices(None)

    def show_choices(self, found: Discovery | None, problem: str = "") -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, spec in enumerate(spec_choices(self.kind, found)):
            b = button(spec, "choice", lambda s=spec: self.edit.setText(s),
                       name=f"spec-choice-{index}")
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.grid.addWidget(b, index // 2, index % 2)
        if found is None:
            return
        notes = []
        if found.serial_detail and self.kind != "van":
            notes.append(localize(found.serial_detail))
        elif not found.serial_ports and self.kind != "van":
            notes.append(t("시리얼 포트 없음"))
        if self.kind == "card_reader" and found.pcsc_status != "ok":
            notes.append(f"PC/SC: {found.pcsc_detail}")
        if problem:
            notes.append(problem)
        self.searching.setText(" · ".join(notes))
        self.searching.setVisible(bool(notes))

    def save(self) -> None:
        self.show_error("")
        self.ok_button.setEnabled(False)
        self.on_save(self.edit.text().strip())

    def saved(self) -> None:
        self.accept()

    def refused(self, reason: str) -> None:
        self.ok_button.setEnabled(True)
        self.show_error(reason)
