"""The customer's signature on the touchscreen: a white box to draw in, exported as the
128×64 1-bit block the VAN telegram carries."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kspos.ports import Signature


class SignaturePad(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignaturePad")
        self.setMinimumSize(512, 256)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.strokes: list[list[QPointF]] = []

    def clear(self) -> None:
        self.strokes = []
        self.update()

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.strokes.append([event.position()])
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.strokes:
            self.strokes[-1].append(event.position())
            self.update()

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Add a stroke in widget coordinates (tests and the demo use it)."""
        self.strokes.append([QPointF(x, y) for x, y in points])
        self.update()

    def _paint(self, painter: QPainter, scale_x: float, scale_y: float, width: float) -> None:
        painter.setPen(QPen(QColor("#000000"), width, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            for a, b in itertools.pairwise(stroke):
                painter.drawLine(QPointF(a.x() * scale_x, a.y() * scale_y),
                                 QPointF(b.x() * scale_x, b.y() * scale_y))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        painter.setPen(QColor("#D1D5DB"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        baseline = int(self.height() * 0.8)
        painter.drawLine(QPoint(24, baseline), QPoint(self.width() - 24, baseline))
        self._paint(painter, 1.0, 1.0, 4.0)
        painter.end()

    def signature(self) -> Signature:
        """Scale the drawing into 128×64, threshold it, pack rows MSB first (1 = ink)."""
        w, h = Signature.WIDTH, Signature.HEIGHT
        image = QImage(w, h, QImage.Format.Format_Grayscale8)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        self._paint(painter, w / max(1, self.width()), h / max(1, self.height()), 1.5)
        painter.end()
        bitmap = bytearray(Signature.SIZE)
        for y in range(h):
            for x in range(w):
                if image.pixelColor(x, y).lightness() < 128:
                    bitmap[y * (w // 8) + x // 8] |= 0x80 >> (x % 8)
        return Signature(bytes(bitmap))
