"""The Qt binding must keep Python's reference counts straight: PySide6 6.12.0 on Python 3.11
dropped a reference to None on every void call, so the running POS aborted with
"deallocating None" after a few thousand repaints. This pins that it does not happen."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QFont, QImage, QPainter


def test_void_qt_calls_do_not_steal_references_to_none(qapp) -> None:  # type: ignore[no-untyped-def]
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.save()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#000000"))
        painter.restore()
    drift = sys.getrefcount(None) - before
    painter.end()
    # Losing references is fatal (None gets freed); a few extra ones are harmless.
    assert drift > -25, f"None lost {-drift} references over 2,500 void Qt calls"
