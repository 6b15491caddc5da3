"""The floor editor's canvas: tap a table to choose it, drag it to move, drag its lower right
corner to resize. Positions snap to the grid and stay on the floor; the new place is emitted
when the finger lifts (``placed(table_id, x, y, w, h)``), and the editor saves it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kspos.sales.floor import GRID_COLS, GRID_ROWS, FloorView, TablePlace
from ui.theme import TOKENS
from ui.widgets.floor_plan import FloorCanvas

HANDLE = 28  # px: the corner a finger grabs to resize


def snapped(place: TablePlace, dx: float, dy: float, resize: bool) -> TablePlace:
    """``place`` moved (or resized) by (dx, dy) cells, snapped to whole cells, kept on the
    floor and at least one cell big."""
    if resize:
        w = max(1, min(GRID_COLS - place.x, round(place.w + dx)))
        h = max(1, min(GRID_ROWS - place.y, round(place.h + dy)))
        return replace(place, w=w, h=h)
    x = max(0, min(GRID_COLS - place.w, round(place.x + dx)))
    y = max(0, min(GRID_ROWS - place.h, round(place.y + dy)))
    return replace(place, x=x, y=y)


class FloorEditCanvas(FloorCanvas):
    placed = Signal(int, int, int, int, int)
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticker.stop()  # the editor shows places, not minutes
        self._drag: tuple[int, QPointF, bool, TablePlace] | None = None

    def set_view(self, view: FloorView) -> None:
        super().set_view(view)
        if self.highlight is not None and self.highlight not in self.tiles:
            self.highlight = None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        table_id = self.table_at(int(pos.x()), int(pos.y()))
        if table_id is None:
            return
        rect = self.rects[table_id]
        corner = pos.x() >= rect.right() - HANDLE and pos.y() >= rect.bottom() - HANDLE
        self._drag = (table_id, pos, corner, self.tiles[table_id].place)
        if self.highlight != table_id:
            old = self.highlight
            self.highlight = table_id
            for i in (old, table_id):
                if i is not None and i in self.rects:
                    self.update(self.rects[i].adjusted(-4, -4, 4, 4))
            self.chosen.emit(table_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._drag is None:
            return
        table_id, start, corner, place = self._drag
        c = self.cell() or 1.0
        delta = event.position() - start
        moved = snapped(place, delta.x() / c, delta.y() / c, corner)
        tile = self.tiles[table_id]
        if moved != tile.place:
            self.update(self.rects[table_id].adjusted(-4, -4, 4, 4))
            self.tiles[table_id] = replace(tile, place=moved)
            self.rects[table_id] = self.place_rect(moved)
            self.update(self.rects[table_id].adjusted(-4, -4, 4, 4))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._drag is None:
            return
        table_id, _start, _corner, before = self._drag
        self._drag = None
        after = self.tiles[table_id].place
        if after != before:
            self.placed.emit(table_id, after.x, after.y, after.w, after.h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """The grid's cells faintly under the tables: where a drag will snap."""
        painter = QPainter(self)
        painter.setPen(QPen(QColor(TOKENS.border), 1))
        ox, oy = self._origin
        c = self.cell()
        for col in range(GRID_COLS + 1):
            x = int(ox + col * c)
            painter.drawLine(x, int(oy), x, int(oy + GRID_ROWS * c))
        for row in range(GRID_ROWS + 1):
            y = int(oy + row * c)
            painter.drawLine(int(ox), y, int(ox + GRID_COLS * c), y)
        painter.end()
        super().paintEvent(event)

    def paint_tile(self, painter, tile, rect, now):  # type: ignore[no-untyped-def]
        super().paint_tile(painter, tile, rect, now)
        if tile.place.id == self.highlight:  # the resize handle of the chosen table
            painter.setBrush(painter.pen().color())
            painter.drawRect(rect.right() - 14, rect.bottom() - 14, 12, 12)
