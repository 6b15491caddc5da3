"""A table's check as the server sees it: rounds under their headers ("1차 · 12:03 · 김민수"),
the sent lines locked (a padlock), the draft round's lines below, each line's memo under it.

Rows map back to line indexes on the check (``line_at(row)``); header rows select nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ui.i18n import current_language, t, won
from ui.theme import TOKENS
from ui.widgets.order_view import line_caption

ROW_HEIGHT = 56
HEADER_HEIGHT = 36
MEMO = "✎"  # the fonts have no emoji: a pencil mark before a memo


def lock_icon(size: int = 20) -> QIcon:
    """A padlock drawn with the painter (no emoji font on a POS): a sent line is locked."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(TOKENS.muted)
    painter.setPen(QPen(colour, max(2, size // 9)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    third = size / 3
    painter.drawArc(QRectF(third * 0.75, size * 0.08, third * 1.5, size * 0.6), 0, 180 * 16)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(size * 0.15, size * 0.42, size * 0.7, size * 0.5), 2, 2)
    painter.end()
    return QIcon(pixmap)


def round_title(no: int, at: str = "", server: str = "") -> str:
    """"1차 · 12:03 · 김민수" (the draft: "추가 주문")."""
    if no == 0:
        return t("추가 주문") + " — " + t("아직 보내지 않음")
    parts = [t("{n}차").replace("{n}", str(no))]
    parts += [p for p in (at, server) if p]
    return " · ".join(parts)


def round_headers(check: Any) -> dict[int, str]:
    """Round number → its header, from the check's rounds (number, time, server, memo)."""
    headers: dict[int, str] = {}
    for rnd in getattr(check, "rounds", ()) or ():
        no = int(getattr(rnd, "no", getattr(rnd, "round_no", 0)))
        at = getattr(rnd, "sent_at", None) or getattr(rnd, "at", None)
        clock = at.strftime("%H:%M") if at is not None and hasattr(at, "strftime") \
            else str(at or "")[11:16]
        server = str(getattr(rnd, "staff_name", "") or getattr(rnd, "server", "") or "")
        memo = str(getattr(rnd, "memo", "") or "")
        headers[no] = round_title(no, clock, server) + (f" · ✎ {memo}" if memo else "")
    return headers


class CheckTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 3)
        self.setObjectName("check-lines")
        self.rows: list[int | None] = []  # row → line index (None: a round's header)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        head = self.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._muted = QBrush(QColor(TOKENS.muted))
        self._lock = lock_icon()
        self.setIconSize(QSize(20, 20))

    def show_check(self, check: Any, headers: dict[int, str],
                   select: int | None = None) -> None:
        """Rounds in order (the draft last), a header row above each. ``check`` is a check's
        Order (its lines carry ``round_no``: 0 for the draft)."""
        lang = current_language()
        order = sorted(range(len(check.lines)),
                       key=lambda i: (check.lines[i].round_no or 10**6, i))
        self.setRowCount(0)
        self.rows = []
        current: int | None = None
        for index in order:
            line = check.lines[index]
            if line.round_no != current:
                current = line.round_no
                self._header(headers.get(current) or round_title(current))
            self._line(index, line, lang)
        self.select_line(select)

    def _header(self, text: str) -> None:
        row = self.rowCount()
        self.insertRow(row)
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setForeground(self._muted)
        item.setFont(self._bold)
        self.setItem(row, 0, item)
        self.setSpan(row, 0, 1, 3)
        self.setRowHeight(row, HEADER_HEIGHT)
        self.rows.append(None)

    def _line(self, index: int, line: Any, lang: str) -> None:
        row = self.rowCount()
        self.insertRow(row)
        name, notes = line_caption(line, lang)
        if line.note:
            notes = f"{notes} · ✎ {line.note}" if notes else f"✎ {line.note}"
        text = name + (f"\n{notes}" if notes else "")
        cells = (text, f"× {line.qty}", won(line.amount))
        for col, value in enumerate(cells):
            item = QTableWidgetItem(value)
            item.setTextAlignment(
                (Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight)
                | Qt.AlignmentFlag.AlignVCenter)
            if col == 0:
                item.setFont(self._bold)
                if line.round_no:  # sent to the kitchen: only 주문 취소 takes it back
                    item.setIcon(self._lock)
            self.setItem(row, col, item)
        self.setRowHeight(row, ROW_HEIGHT + (18 if notes else 0))
        self.rows.append(index)

    def selected_line(self) -> int:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return -1
        found = self.rows[rows[0].row()] if rows[0].row() < len(self.rows) else None
        return -1 if found is None else found

    def select_line(self, index: int | None) -> None:
        if index is None or index < 0 or index not in self.rows:
            self.clearSelection()
            return
        row = self.rows.index(index)
        self.selectRow(row)
        cell = self.item(row, 0)
        if cell is not None:
            self.scrollToItem(cell)

    def line_indexes(self) -> Sequence[int]:
        return [i for i in self.rows if i is not None]
