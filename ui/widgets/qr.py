"""A QR code on screen (the paperless receipt on the customer display): square, centred, black
modules on white with the quiet zone, each module a whole number of pixels so a phone camera
sees sharp edges at any widget size."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kspos.receipts.receipt_qr import qr_matrix

# A QR code is read by contrast: pure black on pure white whatever the theme's colours.
DARK, LIGHT = QColor("#000000"), QColor("#FFFFFF")


class QrView(QWidget):
    """Paints :func:`kspos.receipts.receipt_qr.qr_matrix` of :meth:`set_text`'s text (the
    matrix carries its quiet zone); empty text paints nothing."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("QrView")
        self.setMinimumSize(120, 120)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._text = ""
        self.matrix: list[list[bool]] = []
        self.set_text(text)

    def set_text(self, text: str) -> None:
        """Show ``text`` as a QR code ("" clears it)."""
        if text != self._text:
            self._text = text
            self.matrix = qr_matrix(text) if text else []
            self.update()

    def text(self) -> str:
        return self._text

    def modules(self) -> int:
        """Modules across, the quiet zone included (0 when empty)."""
        return len(self.matrix)

    def module_px(self) -> int:
        """Pixels per module at the current size: whole pixels, at least 1."""
        count = self.modules()
        return max(1, min(self.width(), self.height()) // count) if count else 0

    def code_rect(self) -> QRect:
        """Where the code (quiet zone included) is painted: a centred square."""
        side = self.module_px() * self.modules()
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return width

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.matrix:
            return
        painter = QPainter(self)
        # No antialiasing: modules land on whole pixels and must stay hard-edged.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        area, px = self.code_rect(), self.module_px()
        painter.fillRect(area, LIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        for y, row in enumerate(self.matrix):
            for start, length in _dark_runs(row):  # one rectangle per run: fewer paint calls
                painter.fillRect(area.x() + start * px, area.y() + y * px, length * px, px,
                                 DARK)
        painter.end()


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(first column, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    start = -1
    for x, dark in enumerate([*row, False]):
        if dark and start < 0:
            start = x
        elif not dark and start >= 0:
            runs.append((start, x - start))
            start = -1
    return runs
