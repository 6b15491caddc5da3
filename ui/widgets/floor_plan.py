"""The restaurant's floor painted in one widget: every table of a zone as a big touch tile.

One widget paints the whole zone (``paintEvent`` over the tiles, a hit-test on press), not a
QPushButton per table: 120 tables stay cheap, and a state change repaints only the tiles that
changed (``set_view`` compares the old tiles with the new ones). Fonts, metrics and the tiles'
rectangles are cached; they are worked out again only when the widget is resized or the zone
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kspos.sales.floor import GRID_COLS, GRID_ROWS, FloorView, TablePlace, TableState, TableTile
from ui.i18n import current_language
from ui.theme import TOKENS

GAP = 6  # px between neighbouring tiles
TICK_MS = 60_000  # minutes since the first order tick once a minute

STATE_FILL = {
    TableState.EMPTY: TOKENS.table_empty,
    TableState.ORDERING: TOKENS.table_ordering,
    TableState.BILLED: TOKENS.table_billed,
    TableState.PAYING: TOKENS.table_paying,
}


def guests_text(n: int, lang: str) -> str:
    return f"{n}명" if lang != "en" else f"{n} guest{'s' if n != 1 else ''}"


def amount_text(amount: int, lang: str) -> str:
    return f"{amount:,}원" if lang != "en" else f"{amount:,}"


def minutes_text(minutes: int, lang: str) -> str:
    if minutes >= 60:
        h, m = divmod(minutes, 60)
        return f"{h}시간 {m}분" if lang != "en" else f"{h} h {m} min"
    return f"{minutes}분" if lang != "en" else f"{minutes} min"


class FloorCanvas(QWidget):
    """One zone of the floor. ``set_view`` gives it the floor; ``set_zone`` picks the zone;
    a tap on a tile emits ``tile_tapped(table_id)``. ``clock`` gives "now" (tests pass one)."""

    tile_tapped = Signal(int)

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self.setObjectName("FloorCanvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(GRID_COLS * 20, GRID_ROWS * 20)
        self.clock = clock
        self.view = FloorView((), ())
        self.zone_id: int | None = None
        self.tiles: dict[int, TableTile] = {}  # this zone's, by table id
        self.rects: dict[int, QRect] = {}
        self.highlight: int | None = None  # a table drawn with a thick border
        self.disabled: set[int] = set()  # tables that cannot be picked (the picker's own)
        self._cell = 0.0
        self._origin = (0.0, 0.0)
        self._fonts: tuple[QFont, QFont, QFontMetrics, QFontMetrics] | None = None
        self._amount_font = QFont()
        self._lang = current_language()
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

    # --- values in ----------------------------------------------------------------------------

    def set_view(self, view: FloorView) -> None:
        """Show ``view``: only the tiles whose values changed are repainted; a table moved,
        added or deleted (or another zone) repaints the zone."""
        old = self.tiles
        self.view = view
        if self.zone_id is None or all(z.id != self.zone_id for z in view.zones):
            self.zone_id = view.zones[0].id if view.zones else None
        new = {tile.place.id: tile for tile in view.tiles if tile.place.zone_id == self.zone_id}
        self.tiles = new
        if new.keys() != old.keys() or any(new[i].place != old[i].place for i in new):
            self._layout()
            self.update()
            return
        for table_id, tile in new.items():
            if tile != old[table_id]:
                self.update(self.rects[table_id])

    def set_zone(self, zone_id: int) -> None:
        self.zone_id = zone_id
        self.tiles = {t.place.id: t for t in self.view.tiles if t.place.zone_id == zone_id}
        self._layout()
        self.update()

    def tick(self) -> None:
        """A minute passed: repaint the tables that show minutes."""
        for table_id, tile in self.tiles.items():
            if tile.opened_at is not None:
                self.update(self.rects[table_id])

    def retranslate(self) -> None:
        self._lang = current_language()
        self.update()

    # --- geometry -----------------------------------------------------------------------------

    def cell(self) -> float:
        return self._cell

    def place_rect(self, place: TablePlace) -> QRect:
        """Where a place is drawn: its cells, less a gap between neighbours."""
        ox, oy = self._origin
        c = self._cell
        return QRect(int(ox + place.x * c + GAP / 2), int(oy + place.y * c + GAP / 2),
                     max(1, int(place.w * c - GAP)), max(1, int(place.h * c - GAP)))

    def cell_at(self, x: float, y: float) -> tuple[float, float]:
        """The grid position (in cells, not rounded) under a point."""
        ox, oy = self._origin
        c = self._cell or 1.0
        return (x - ox) / c, (y - oy) / c

    def _layout(self) -> None:
        c = min(self.width() / GRID_COLS, self.height() / GRID_ROWS)
        self._cell = c
        self._origin = ((self.width() - c * GRID_COLS) / 2, (self.height() - c * GRID_ROWS) / 2)
        self.rects = {i: self.place_rect(tile.place) for i, tile in self.tiles.items()}
        base = QFont(self.font())
        name = QFont(base)
        name.setBold(True)
        name.setPixelSize(max(16, min(34, int(c * 0.9))))
        small = QFont(base)
        small.setPixelSize(max(13, min(20, int(c * 0.5))))
        self._fonts = (name, small, QFontMetrics(name), QFontMetrics(small))
        self._amount_font = QFont(small)
        self._amount_font.setBold(True)  # what the table owes is read first

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self._layout()

    def table_at(self, x: int, y: int) -> int | None:
        for table_id, rect in self.rects.items():
            if rect.contains(x, y):
                return table_id
        return None

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._fonts is None:
            self._layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = event.rect()
        now = self.clock()
        for table_id, rect in self.rects.items():
            if rect.intersects(area):
                self.paint_tile(painter, self.tiles[table_id], rect, now)
        painter.end()

    def paint_tile(self, painter: QPainter, tile: TableTile, rect: QRect, now: datetime) -> None:
        assert self._fonts is not None
        name_font, small_font, name_metrics, small_metrics = self._fonts
        table_id = tile.place.id
        fill = QColor(TOKENS.disabled_bg if table_id in self.disabled else STATE_FILL[tile.state])
        selected = table_id == self.highlight
        pen = QPen(QColor(TOKENS.table_selected if selected else TOKENS.border), 4 if selected else 1)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), TOKENS.radius,
                                TOKENS.radius)
        inner = rect.adjusted(8, 4, -8, -4)
        painter.setPen(QColor(TOKENS.text))
        painter.setFont(name_font)
        top = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        painter.drawText(inner, top, name_metrics.elidedText(
            tile.place.name, Qt.TextElideMode.ElideRight, inner.width()))
        if tile.order_id is None:
            return
        lang = self._lang
        painter.setFont(small_font)
        right_top = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        minutes = minutes_text(tile.minutes(now), lang) if tile.opened_at else ""
        if inner.width() > name_metrics.horizontalAdvance(tile.place.name) \
                + small_metrics.horizontalAdvance(minutes) + 8:
            painter.drawText(inner, right_top, minutes)
            minutes = ""
        carried = (" · " + ("이월" if lang != "en" else "carried")) if tile.carried else ""
        rows = [guests_text(tile.guests, lang) + (f" · {minutes}" if minutes else "") + carried,
                amount_text(tile.amount, lang)]
        line = small_metrics.lineSpacing()
        bottom = inner.bottom()
        for n, text in enumerate(reversed(rows)):
            y = bottom - (n + 1) * line
            if y < inner.top() + name_metrics.height() - 4:
                break  # a tile too small for the line: the name wins
            painter.setFont(self._amount_font if n == 0 else small_font)
            painter.drawText(QRect(inner.left(), y, inner.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             small_metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                      inner.width()))

    # --- touch ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        table_id = self.table_at(pos.x(), pos.y())
        if table_id is not None and table_id not in self.disabled:
            self.tile_tapped.emit(table_id)
