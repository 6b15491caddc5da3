"""지난 마감 재출력: pick one of the recent closed business days to print its Z report again."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.days import DayInfo
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, day_text, t
from ui.widgets.common import button, label, scroll_area

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def over_short_words(amount: int) -> str:
    """``+1,000원 (과잉)``, ``-500원 (부족)``, ``0원 (일치)`` as the 마감 screen writes them."""
    word = t("일치") if amount == 0 else t("과잉") if amount > 0 else t("부족")
    unit = "원" if current_language() != "en" else " won"
    return f"{amount:+,}{unit} ({word})" if amount else f"0{unit} ({word})"


def _row(day: DayInfo) -> QPushButton:
    """One closed day as a big checkable row: the day and who closed it when on the left,
    과부족 on the right (labels laid over the button; taps go through them to it)."""
    row = button("", "count-row", name=f"closed-day-{day.day}")
    row.setCheckable(True)
    grid = QGridLayout(row)
    # the theme's min-height (one line of text) would win over setMinimumHeight at polish:
    # the two-line layout sets the height instead
    grid.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    grid.setContentsMargins(16, 12, 16, 12)
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(2)
    closed = f"{day.closed_at:%Y-%m-%d %H:%M}" if day.closed_at else "-"
    who = f" · {day.closed_by}" if day.closed_by else ""
    over_short = day.over_short or 0
    parts = (
        (label(day_text(day.day), "stat"), 0, 0, Qt.AlignmentFlag.AlignLeft),
        (label(f"{t('마감일시')} {closed}{who}", "muted"), 1, 0, Qt.AlignmentFlag.AlignLeft),
        (label(t("과부족"), "caption"), 0, 1, RIGHT),
        (label(over_short_words(over_short), "status-bad" if over_short else "status-words",
               name=f"closed-day-over-short-{day.day}"), 1, 1, RIGHT),
    )
    for widget, r, c, align in parts:
        widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        grid.addWidget(widget, r, c, align)
    grid.setColumnStretch(0, 1)
    return row


class ClosedDaysDialog(TouchDialog):
    """The recent closed days, newest first and the newest already picked; ``chosen`` after
    재출력. With none closed yet it says so and 재출력 stays off."""

    def __init__(self, days: Sequence[DayInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent, t("지난 마감 재출력"))
        self.setObjectName("ClosedDaysDialog")
        self.days = {day.day: day for day in days}
        self.chosen: DayInfo | None = None
        self.rows = QButtonGroup(self)
        if days:
            self.body.addWidget(label(t("다시 인쇄할 영업일을 고르세요"), "muted"))
            self.body.addWidget(self._list(days), 1)
        else:
            empty = label(t("지난 마감이 없습니다"), "title", name="closed-days-empty",
                          align=Qt.AlignmentFlag.AlignCenter)
            self.body.addWidget(empty, 1)
        self.ok = self.add_ok(t("재출력"), self._reprint, name="reprint-ok")
        self.ok.setEnabled(bool(days))
        self.setMinimumSize(600, 560)

    def _list(self, days: Sequence[DayInfo]) -> QScrollArea:
        holder = QWidget()
        holder.setObjectName("Surface")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 8, 0)  # room for the scroll bar
        column.setSpacing(8)
        for day in days:
            row = _row(day)
            row.setProperty("day", day.day)
            self.rows.addButton(row)
            column.addWidget(row)
        column.addStretch(1)
        self.rows.buttons()[0].setChecked(True)  # most often it is the last close
        return scroll_area(holder, "closed-days")

    def _reprint(self) -> None:
        checked = self.rows.checkedButton()
        if checked is None:
            self.show_error(t("다시 인쇄할 영업일을 고르세요"))
            return
        self.chosen = self.days[str(checked.property("day"))]
        self.accept()
