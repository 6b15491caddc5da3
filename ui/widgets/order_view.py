"""The order list (주문내역) and the totals box that is always visible."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from kspos.sales.orders import Order, OrderLine, OrderState
from ui.i18n import current_language, t, won
from ui.theme import TOKENS
from ui.widgets.common import label

ROW_HEIGHT = 60
Index = QModelIndex | QPersistentModelIndex


def partly_paid(order: Order) -> str:
    """"부분 결제 · 남은 금액 5,000원": an order with some tenders taken, not yet paid."""
    return f"{t('부분 결제')} · {t('남은 금액')} {won(order.total - order.paid)}"


def line_caption(line: OrderLine, lang: str) -> tuple[str, str]:
    """(name, second line): options, discount, 서비스 mark."""
    name = line.name_en if lang == "en" and line.name_en else line.name
    notes = []
    if line.options:
        notes.append(line.options_text(lang))
    if line.complimentary:
        notes.append(t("서비스"))
    elif line.discount:
        notes.append(f"{t('할인')} -{line.discount_amount:,}")
    if line.qty > 1:
        notes.append(f"@{line.unit_price:,}")
    return name, " · ".join(notes)


class OrderModel(QAbstractTableModel):
    """Three columns: item (name + options), qty, amount."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[OrderLine] = []

    def set_order(self, order: Order) -> None:
        self.beginResetModel()
        self.lines = list(order.lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return line.name  # the delegate draws name + options from the line itself
            if index.column() == 1:
                return str(line.qty)
            return f"{line.amount:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignVCenter | (
                Qt.AlignmentFlag.AlignCenter if index.column() == 1
                else Qt.AlignmentFlag.AlignRight))
        return None


class LineDelegate(QStyledItemDelegate):
    """Draws the item column as a bold name over a muted options line.

    It reads the OrderLine from the model directly: passing Python tuples through QVariant
    on every paint crashed PySide6 after a few thousand repaints (a refcount bug)."""

    def __init__(self, model: OrderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order_model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.column() != 0 or not 0 <= index.row() < len(self.order_model.lines):
            super().paint(painter, option, index)
            return
        name, notes = line_caption(self.order_model.lines[index.row()], current_language())
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, QColor(TOKENS.selected))
        rect: QRect = option.rect.adjusted(8, 6, -4, -6)
        font = QFont(option.font)
        font.setBold(True)
        font.setPixelSize(17)
        painter.setFont(font)
        painter.setPen(QColor(TOKENS.text))
        top = rect.adjusted(0, 0, 0, -rect.height() // 2) if notes else rect
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                          top.width()))
        if notes:
            font.setBold(False)
            font.setPixelSize(14)
            painter.setFont(font)
            painter.setPen(QColor(TOKENS.muted))
            bottom = rect.adjusted(0, rect.height() // 2, 0, 0)
            painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter),
                             painter.fontMetrics().elidedText(notes, Qt.TextElideMode.ElideRight,
                                                              bottom.width()))
        painter.restore()


class OrderTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrderTable")
        self.order_model = OrderModel(self)
        self.setModel(self.order_model)
        self.setItemDelegateForColumn(0, LineDelegate(self.order_model, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        self.horizontalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(1, 44)
        self.setColumnWidth(2, 96)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def selected_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def show_order(self, order: Order, select: int | None = None) -> None:
        keep = self.selected_row() if select is None else select
        self.order_model.set_order(order)
        if 0 <= keep < len(order.lines):
            self.selectRow(keep)
            self.scrollTo(self.order_model.index(keep, 0))
        else:
            self.clearSelection()


class TotalsBox(QWidget):
    """공급가 / 부가세 / 면세 (adding up to 합계) and 할인 small; 합계 big — always visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TotalsBox")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.captions: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        # 공급가 + 부가세 + 면세 = 합계 on one line (a 면세 item's price is in no other figure);
        # the discount on the next.
        for n, key in enumerate(("공급가", "부가세", "면세", "할인")):
            row, col = divmod(n, 3)
            self.captions[key] = label(t(key), "muted")
            self.values[key] = label("0", "", name=f"total-{key}", align=right)
            grid.addWidget(self.captions[key], row, col * 2)
            grid.addWidget(self.values[key], row, col * 2 + 1)
        self.captions["합계"] = label(t("합계"), "total-caption")
        self.values["합계"] = label("0원", "total", name="order-total", align=right)
        grid.addWidget(self.captions["합계"], 2, 0, 1, 2)
        grid.addWidget(self.values["합계"], 2, 2, 1, 4)
        # 복합결제 under way: what was taken is not 결제 완료; what is still due is the news
        self.values["부분 결제"] = label("", "banner-warning", name="order-partly-paid", align=right)
        self.values["부분 결제"].hide()
        grid.addWidget(self.values["부분 결제"], 3, 0, 1, 6)

    def show_order(self, order: Order) -> None:
        totals = order.totals()
        self.values["공급가"].setText(f"{totals.split.supply:,}")
        self.values["부가세"].setText(f"{totals.split.vat:,}")
        self.values["면세"].setText(f"{totals.split.tax_free:,}")
        self.values["할인"].setText(f"{totals.discounts:,}")
        suffix = "원" if current_language() == "ko" else ""
        self.values["합계"].setText(f"{totals.total:,}{suffix}")
        partly = order.paid > 0 and order.state is OrderState.OPEN
        self.values["부분 결제"].setText(partly_paid(order) if partly else "")
        self.values["부분 결제"].setVisible(partly)

    def retranslate(self) -> None:
        for key, caption in self.captions.items():
            caption.setText(t(key))
