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
from ui.widgets.common import Keypad, button, label, restyle

if TYPE_CHECKING:
    from kspos.diagnostics import Discovery

DOT_ROLES = {"ok": "dot-ok", "warn": "dot-warn", "bad": "dot-bad", "busy": "dot-busy",
             "unknown": "dot-unknown"}
ACTION_HEIGHT = 56
WORD_MAX = 170
"""Widest spec or result word a card grows for (a long port path is cut; its tooltip has it)."""


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
        col = self.column = QVBoxLayout(self)
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
        self.fit_width()
        return b

    def set_spec(self, text: str) -> None:
        self.spec.setText(text)
        self.spec.setToolTip(text)
        self.fit_width()

    def fit_width(self) -> None:
        """Keep the card wide enough for its longest button, spec word and result word (a
        masked card number, a payment code): six cards share 1024 px, and the row gives the
        room a card needs before sharing the rest evenly."""
        margins = self.column.contentsMargins()
        needed = 0
        for b in self.buttons.values():
            b.ensurePolished()
            needed = max(needed, b.sizeHint().width())
        beside = 0
        if self.spec_button is not None:
            self.spec_button.ensurePolished()
            beside = self.spec_button.sizeHint().width() + 8
        needed = max(needed, _longest_word(self.spec) + beside, _longest_word(self.result))
        self.setMinimumWidth(needed + margins.left() + margins.right())

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
        self.fit_width()

    def set_result(self, text: str, level: str = "ok") -> None:
        """The last result, below the buttons (``bad`` in the danger colour)."""
        restyle(self.result, {"bad": "result-bad", "busy": "result-busy"}.get(level, "result"))
        self.result.setText(text)
        self.fit_width()

    def set_busy(self, busy: bool, keep: str = "") -> None:
        """Disable the actions while one runs (``keep`` stays enabled, e.g. a cancel)."""
        for key, b in self.buttons.items():
            b.setEnabled(not busy or key == keep)
        if self.spec_button is not None:
            self.spec_button.setEnabled(not busy)


def _longest_word(text_label: QLabel) -> int:
    """Pixels of the widest word a wrapping label cannot break (at most :data:`WORD_MAX`)."""
    text_label.ensurePolished()
    metrics = text_label.fontMetrics()
    widest = max((metrics.horizontalAdvance(w) for w in text_label.text().split()), default=0)
    return min(widest, WORD_MAX)


SPEC_HINTS = {
    "printer": "tcp:HOST:PORT · serial:PORT?baudrate=N · usb:VID:PID · file:PATH · sim",
    "card_reader": "serial:PORT?baudrate=N · pcsc · pcsc:이름 · sim",
    "scanner": "serial:PORT?baudrate=N · hid · sim",
    "van": "tcp:HOST:PORT · embedded",
    "pager": "tcp:HOST:PORT · serial:PORT?baudrate=N · sim · off",
}
FIXED_CHOICES = {
    "printer": ["sim"],
    "card_reader": ["sim", "pcsc"],
    "scanner": ["sim", "hid"],
    "van": ["embedded"],
    "pager": ["off", "sim"],
}


def spec_choices(kind: str, found: Discovery | None) -> list[str]:
    """The picker's choices: fixed ones, the serial ports, the PC/SC readers (readers only)."""
    choices = list(FIXED_CHOICES[kind])
    if found is None:
        return choices
    if kind == "card_reader":
        choices += [f"pcsc:{name}" for name in found.pcsc_readers]
    if kind in ("printer", "card_reader", "scanner", "pager"):
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


class PagerCallDialog(TouchDialog):
    """The 진동벨 number for 호출 테스트 on a keypad; :meth:`number` after accept (1 when
    nothing was typed: the first key replaces the shown default rather than following it)."""

    DEFAULT = 1

    def __init__(self, parent: QWidget | None, title: str, max_number: int) -> None:
        super().__init__(parent, title)
        self.setObjectName("PagerCallDialog")
        self.max_number = max_number
        self.body.addWidget(label(t("호출할 진동벨 번호"), "muted"))
        self.shown = label(str(self.DEFAULT), "big-amount", name="pager-number")
        self.body.addWidget(self.shown)
        self.keypad = Keypad(max_digits=len(str(max_number)))
        self.keypad.changed.connect(self._typed)
        self.body.addWidget(self.keypad)
        # 4 digits at most and no leading zeros (the pad strips them): always 1..max_number
        self.ok_button = self.add_ok(t("호출하기"), self.accept, name="pager-call-ok")
        self.setMinimumSize(420, 520)

    def _typed(self, text: str) -> None:
        self.shown.setText(text or str(self.DEFAULT))

    def number(self) -> int:
        return self.keypad.value() or self.DEFAULT
