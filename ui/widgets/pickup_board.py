"""The pickup board (주문번호 호출) as the customer sees it: 준비 중 and 완료 numbers, large.

Painted rather than built of labels: the numbers are sized to the widget (a 1024×768 tablet
or a 1920×1080 TV across the room), which the application stylesheet's fixed font sizes would
not allow. A number that has just turned 완료 is drawn on a filled tile for a few seconds.
Embeddable (the customer display's second half) or filling :class:`OrderBoardWindow`.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.i18n import current_language, t
from ui.theme import FONT_FAMILIES, TOKENS

if TYPE_CHECKING:
    from kspos.sales.pickup import PickupBoard

HIGHLIGHT_S = 8.0  # how long a just-called number stands out
PREPARING_SHARE = 0.42  # of the width: 완료 (what the customer waits for) gets the most room
HEADER_SHARE = 0.13  # of the height
MAX_NUMBER_SHARE = {False: 0.16, True: 0.26}  # the tallest a digit gets, of the height
MIN_NUMBER_SHARE = 0.065  # below this a 5 m reader gives up: show fewer, with "+N"
INK_DARK = QColor("#1B1D21")
HEADER_PREPARING = QColor("#374151")


class PickupBoardView(QWidget):
    """Two columns, 준비 중 / 완료; call :meth:`show_board` with each fresh board."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PickupBoard")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self._preparing: list[int] = []
        self._ready: list[int] = []
        self._fresh: dict[int, float] = {}  # number → monotonic time it turned 완료 here
        self._loaded = False
        self._fade = QTimer(self)  # repaints when a highlight ends
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self.update)

    # --- data -------------------------------------------------------------------------------

    def show_board(self, board: PickupBoard) -> list[int]:
        """Show ``board``; returns the numbers that turned 완료 since the last board (the
        window chimes for them). The first board highlights only numbers called in the last
        few seconds, and reports none."""
        now = time.monotonic()
        ready = [ticket.number for ticket in board.ready]
        if self._loaded:
            new = [n for n in ready if n not in self._ready]
        else:
            from datetime import datetime

            wall = datetime.now()
            new = [tk.number for tk in board.ready if tk.ready_at is not None
                   and (wall - tk.ready_at).total_seconds() < HIGHLIGHT_S]
        for number in new:
            self._fresh[number] = now
        self._fresh = {n: at for n, at in self._fresh.items()
                       if n in ready and now - at < HIGHLIGHT_S}
        self._preparing = [ticket.number for ticket in board.preparing]
        self._ready = ready
        first = not self._loaded
        self._loaded = True
        if self._fresh:
            left = min(HIGHLIGHT_S - (now - at) for at in self._fresh.values())
            self._fade.start(max(50, int(left * 1000) + 50))
        self.update()
        return [] if first else new

    def reset(self) -> None:
        """Forget what was shown: the next board is a first board again (nothing "new")."""
        self._preparing, self._ready, self._fresh, self._loaded = [], [], {}, False
        self.update()

    def preparing_numbers(self) -> list[int]:
        """The 준비 중 numbers shown, oldest first."""
        return list(self._preparing)

    def ready_numbers(self) -> list[int]:
        """The 완료 numbers shown, newest first."""
        return list(self._ready)

    def highlighted_numbers(self) -> list[int]:
        """The 완료 numbers drawn on a filled tile right now (just called)."""
        now = time.monotonic()
        return [n for n, at in self._fresh.items() if now - at < HIGHLIGHT_S]

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width(), self.height()
        split = round(width * PREPARING_SHARE)
        header = max(40, round(height * HEADER_SHARE))
        painter.fillRect(self.rect(), QColor(TOKENS.background))
        painter.fillRect(QRectF(split, 0, width - split, height), QColor(TOKENS.surface))
        self._header(painter, QRectF(0, 0, split, header), HEADER_PREPARING,
                     t("준비 중"), "Preparing")
        self._header(painter, QRectF(split, 0, width - split, header),
                     QColor(TOKENS.success), t("완료"), "Ready")
        pad = max(8, round(height * 0.02))
        self._numbers(painter, QRectF(pad, header + pad, split - 2 * pad,
                                      height - header - 2 * pad), self._preparing, False)
        self._numbers(painter, QRectF(split + pad, header + pad, width - split - 2 * pad,
                                      height - header - 2 * pad), self._ready, True)
        painter.end()

    def _font(self, px: float, bold: bool = True) -> QFont:
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPixelSize(max(8, int(px)))
        font.setBold(bold)
        return font

    def _header(self, painter: QPainter, box: QRectF, fill: QColor, words: str,
                english: str) -> None:
        painter.fillRect(box, fill)
        painter.setPen(QColor("#FFFFFF"))
        both = current_language() == "ko"  # a Korean board says it in English too, smaller
        painter.setFont(self._font(box.height() * (0.46 if both else 0.52)))
        main = QRectF(box.x(), box.y(), box.width(), box.height() * (0.68 if both else 1))
        painter.drawText(main, Qt.AlignmentFlag.AlignCenter, words)
        if both:
            painter.setFont(self._font(box.height() * 0.2, bold=False))
            painter.drawText(QRectF(box.x(), box.y() + box.height() * 0.62, box.width(),
                                    box.height() * 0.34), Qt.AlignmentFlag.AlignCenter, english)

    def _numbers(self, painter: QPainter, box: QRectF, numbers: list[int], ready: bool) -> None:
        if not numbers or box.width() <= 0 or box.height() <= 0:
            return
        shown, cols, px = _fit(numbers, box, self.height(), ready)
        rows = math.ceil(len(shown) / cols)
        cell_w, cell_h = box.width() / cols, box.height() / max(rows, 1)
        cell_h = min(cell_h, px / 0.62)  # numbers gather at the top, not spread thin
        fresh = self.highlighted_numbers()
        painter.setFont(self._font(px))
        for index, number in enumerate(shown):
            row, col = divmod(index, cols)
            cell = QRectF(box.x() + col * cell_w, box.y() + row * cell_h, cell_w, cell_h)
            text = f"+{len(numbers) - len(shown) + 1}" if (
                index == len(shown) - 1 and len(shown) < len(numbers)) else str(number)
            tile = cell.adjusted(cell_w * 0.04, cell_h * 0.05, -cell_w * 0.04, -cell_h * 0.05)
            if ready and number in fresh and not text.startswith("+"):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(TOKENS.success))
                painter.drawRoundedRect(tile, TOKENS.radius * 2, TOKENS.radius * 2)
                painter.setPen(QColor("#FFFFFF"))
            else:
                painter.setPen(QColor(TOKENS.success) if ready else INK_DARK)
            painter.drawText(tile, Qt.AlignmentFlag.AlignCenter, text)


def _fit(numbers: list[int], box: QRectF, height: int, ready: bool
         ) -> tuple[list[int], int, float]:
    """How many numbers to show, in how many columns, at what pixel size: the largest size
    that fits them all, capped; when even the smallest readable size cannot hold them all,
    as many as fit (the last tile then says "+N")."""
    biggest = height * MAX_NUMBER_SHARE[ready]
    smallest = height * MIN_NUMBER_SHARE
    # a digit is about 0.6 of the pixel size wide; a tile keeps a digit's width of margin
    per_px = 0.6 * (max(len(str(n)) for n in numbers) + 1)
    best: tuple[float, int] = (0.0, 1)
    for cols in range(1, len(numbers) + 1):
        rows = math.ceil(len(numbers) / cols)
        px = min(box.height() / rows * 0.62, box.width() / cols / per_px, biggest)
        if px > best[0]:
            best = (px, cols)
    px, cols = best
    if px >= smallest:
        return numbers, cols, px
    cols = max(1, int(box.width() / (smallest * per_px)))
    rows = max(1, int(box.height() / (smallest / 0.62)))
    return numbers[:cols * rows], cols, smallest
