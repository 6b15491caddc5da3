"""Small QtCharts wrappers for the owner screens: a pie with a legend, and a bar chart.

Fonts come from the application font (Hangul-capable); amounts in tooltips and axis labels
carry thousands separators.
"""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from ui.i18n import t
from ui.theme import TOKENS

PALETTE = ("#2563EB", "#16A34A", "#F59E0B", "#DC2626", "#7C3AED", "#0891B2", "#DB2777",
           "#65A30D", "#9CA3AF")


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(15, bold=True))
    chart.setTitleBrush(QColor(TOKENS.text))
    chart.setBackgroundBrush(QColor(TOKENS.surface))
    chart.setBackgroundRoundness(TOKENS.radius)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setFont(_font(11))
    chart.legend().setLabelColor(QColor(TOKENS.text))
    return chart


class _View(QChartView):
    def __init__(self, chart: QChart, parent: QWidget | None = None) -> None:
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(160, 180)


class PieChart(_View):
    """Shares of a whole: slices with a legend (name and %) on the right."""

    def __init__(self, title: str, parent: QWidget | None = None, decimals: int = 1) -> None:
        """``decimals`` of the % in the legend (0 keeps a narrow chart's legend short)."""
        self.chart_ = _chart(title)
        super().__init__(self.chart_, parent)
        self.decimals = decimals
        self.series = QPieSeries()
        self.series.setPieSize(0.9)
        self.chart_.addSeries(self.series)
        legend = self.chart_.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        legend.setMarkerShape(legend.MarkerShape.MarkerShapeCircle)

    def set_slices(self, slices: list[tuple[str, int, str | None]]) -> None:
        """(label, amount, colour or None); negative or zero amounts are left out."""
        self.series.clear()
        shown = [(label, amount, color) for label, amount, color in slices if amount > 0]
        whole = sum(amount for _l, amount, _c in shown)
        for n, (label, amount, color) in enumerate(shown):
            percent = amount * 100 / whole if whole else 0
            piece = self.series.append(f"{label} {percent:.{self.decimals}f}%", amount)
            piece.setColor(QColor(color or PALETTE[n % len(PALETTE)]))
            piece.setBorderColor(QColor(TOKENS.surface))
        if not shown:
            empty = self.series.append(t("매출 없음"), 1)
            empty.setColor(QColor(TOKENS.border))

    def labels(self) -> list[str]:
        return [piece.label() for piece in self.series.slices()]


class BarChart(_View):
    """Amounts over time (hours or days): one bar set, the value axis in won."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        self.chart_ = _chart(title)
        super().__init__(self.chart_, parent)
        self.chart_.legend().hide()
        self.series = QBarSeries()
        self.series.setBarWidth(0.7)
        self.chart_.addSeries(self.series)
        self.x_axis = QBarCategoryAxis()
        self.x_axis.setLabelsFont(_font(11))
        self.x_axis.setTruncateLabels(False)
        self.y_axis = QValueAxis()
        self.y_axis.setLabelsFont(_font(11))
        self.y_axis.setLabelFormat("%.0f")
        self.chart_.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)

    def set_bars(self, title: str, labels: list[str], amounts: list[int]) -> None:
        self.chart_.setTitle(title)
        self.series.clear()
        bars = QBarSet("순매출")
        bars.setColor(QColor(TOKENS.primary))
        bars.setBorderColor(QColor(TOKENS.primary))
        for amount in amounts:
            bars.append(amount / 10_000)  # 만원: short axis labels
        self.series.append(bars)
        self.x_axis.clear()
        self.x_axis.append(sparse_labels(labels) or [""])
        low = min([a / 10_000 for a in amounts] + [0.0])
        top = max([a / 10_000 for a in amounts] + [1.0]) * 1.1
        # Whole 만원 steps (the labels have no decimals: a 0.5 step printed "0 1 1 2 2")
        step = whole_step((top - low) / 4)
        self.y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.y_axis.setTickAnchor(0.0)
        self.y_axis.setTickInterval(step)
        self.y_axis.setRange(math.floor(low / step) * step, math.ceil(top / step) * step)
        self.y_axis.setTitleText(t("만원"))
        self.y_axis.setTitleFont(_font(11))

    def labels(self) -> list[str]:
        return [text for text in self.x_axis.categories() if text.strip()]


    def values(self) -> list[float]:
        sets = self.series.barSets()
        return [sets[0].at(i) for i in range(sets[0].count())] if sets else []


def sparse_labels(labels: list[str], most: int = 12) -> list[str]:
    """At most ``most`` visible axis labels: the others become distinct blanks (a category
    axis needs unique names), so 31 days stay readable on a narrow chart."""
    if len(labels) <= most:
        return labels
    step = -(-len(labels) // most)
    return [text if n % step == 0 or n == len(labels) - 1 else " " * (n + 1)
            for n, text in enumerate(labels)]


def whole_step(raw: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50... at least ``raw``: a step whose labels are whole."""
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if step * factor >= raw:
                return step * factor
        step *= 10
