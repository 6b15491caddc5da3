"""The traffic monitor at the bottom of 장치 점검: time, device, direction, hex and text of
every frame the devices and the VAN link exchanged (card data arrives here already masked by
``kspos.devices.traffic``), and a hex dump of the selected row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.devices.traffic import MONITOR, TrafficMonitor, TrafficRow, hex_view, text_view
from ui.i18n import localize, t
from ui.widgets.common import button, label

COLUMNS = ("시간", "장치", "방향", "길이", "HEX", "텍스트")
DEVICE_WORDS = {"printer": "프린터", "card_reader": "카드리더기", "scanner": "스캐너",
                "van": "VAN", "pager": "진동벨"}
DIRECTION_WORDS = {"tx": "→ 송신", "rx": "← 수신", "note": "• 알림"}
MAX_ROWS = 500
CELL_BYTES = 48
"""Bytes shown in a table cell; the dump beside the table shows the whole frame."""
POLL_MS = 250


DUMP_WIDTH = 8


def dump(row: TrafficRow) -> str:
    """8 bytes a line (fits beside the table at 1024 px): offset, hex, text."""
    lines = [f"{row.clock}  {t(DEVICE_WORDS.get(row.device, row.device))}  "
             f"{t(DIRECTION_WORDS.get(row.direction, row.direction))}  {row.size:,} bytes"]
    if row.note:
        lines.append(row.note)
    for offset in range(0, len(row.data), DUMP_WIDTH):
        chunk = row.data[offset:offset + DUMP_WIDTH]
        lines.append(f"{offset:04X}  {hex_view(chunk):<{DUMP_WIDTH * 3 - 1}}  {text_view(chunk)}")
    if row.cut:
        lines.append(f"… ({row.size - len(row.data):,} bytes more)")
    return "\n".join(lines)


class TrafficView(QWidget):
    """Polls the monitor while shown; 일시정지 freezes the table, 지우기 empties it."""

    def __init__(self, monitor: TrafficMonitor = MONITOR, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traffic")
        self.setProperty("role", "device-card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.monitor = monitor
        self.last_seq = 0
        self.rows: list[TrafficRow] = []
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 8, 12, 12)
        col.setSpacing(8)
        top = QHBoxLayout()
        self.title = label(t("통신 모니터"), "card-title")
        top.addWidget(self.title)
        self.caption = label(t("카드 정보는 가려서 보여줍니다"), "caption")
        top.addWidget(self.caption)
        top.addStretch(1)
        self.pause_button = button(t("일시정지"), "choice", None, name="traffic-pause")
        self.pause_button.setCheckable(True)
        top.addWidget(self.pause_button)
        self.clear_button = button(t("지우기"), "", self.clear, name="traffic-clear")
        top.addWidget(self.clear_button)
        col.addLayout(top)
        body = QHBoxLayout()
        body.setSpacing(8)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("TrafficTable")
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        for index, width in enumerate((100, 88, 72, 52)):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(index, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        body.addWidget(self.table, 3)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("TrafficDump")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail.setPlaceholderText(t("줄을 누르면 전체 내용이 보입니다"))
        body.addWidget(self.detail, 2)
        col.addLayout(body, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def retranslate(self) -> None:
        """Every text again in the current language, the rows' words too."""
        for widget, korean in ((self.title, "통신 모니터"), (self.caption, "카드 정보는 가려서 보여줍니다"),
                               (self.pause_button, "일시정지"), (self.clear_button, "지우기")):
            widget.setText(t(korean))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.detail.setPlaceholderText(t("줄을 누르면 전체 내용이 보입니다"))
        for index, row in enumerate(self.rows):
            for column, text in enumerate(self._cells(row)):
                item = self.table.item(index, column)
                if item is not None:
                    item.setText(text)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.poll()
        self.timer.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        super().hideEvent(event)

    def poll(self) -> None:
        """Append the rows recorded since the last poll (newest at the bottom)."""
        if self.pause_button.isChecked():
            return
        fresh = self.monitor.since(self.last_seq)
        if not fresh:
            return
        self.last_seq = fresh[-1].seq
        at_bottom = self._at_bottom()
        for row in fresh:
            self._append(row)
        excess = len(self.rows) - MAX_ROWS
        if excess > 0:
            for _ in range(excess):
                self.table.removeRow(0)
            del self.rows[:excess]
        if at_bottom:
            self.table.scrollToBottom()

    def _at_bottom(self) -> bool:
        bar = self.table.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    def _append(self, row: TrafficRow) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(self._cells(row)):
            item = QTableWidgetItem(text)
            if column == 3:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(index, column, item)
        self.rows.append(row)

    @staticmethod
    def _cells(row: TrafficRow) -> tuple[str, ...]:
        shown = row.data[:CELL_BYTES]
        more = "…" if len(row.data) > CELL_BYTES or row.cut else ""
        return (row.clock, t(DEVICE_WORDS.get(row.device, row.device)),
                t(DIRECTION_WORDS.get(row.direction, row.direction)), f"{row.size:,}",
                hex_view(shown) + more, localize(row.note) or (text_view(shown) + more))

    def _selected(self) -> None:
        index = self.table.currentRow()
        if 0 <= index < len(self.rows):
            self.detail.setPlainText(dump(self.rows[index]))

    def select(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.table.selectRow(index)

    def clear(self) -> None:
        self.monitor.clear()
        self.last_seq = self.monitor.last_seq()
        self.rows.clear()
        self.table.setRowCount(0)
        self.detail.clear()
