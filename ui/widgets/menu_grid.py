"""Category tabs and the grid of big menu buttons (price on the button, 품절 greyed)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kspos.menu.catalog import Catalog, MenuCategory, MenuItem
from kspos.money import won
from ui.i18n import current_language, t
from ui.widgets.common import button

MAX_BUTTONS_PER_PAGE = 120  # a huge category pages instead of building thousands of buttons


class MenuGrid(QWidget):
    """Emits ``item_tapped(item_id)``; shows one category at a time."""

    item_tapped = Signal(int)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.category_index = 0
        self.page = 0
        self.buttons: dict[int, QToolButton] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.tab_row = QHBoxLayout()
        self.tab_row.setSpacing(8)
        self.tabs = QButtonGroup(self)
        self.tabs.setExclusive(True)
        outer.addLayout(self.tab_row)
        self.colour_bar = QFrame()
        self.colour_bar.setFixedHeight(6)
        self.colour_bar.setObjectName("CategoryBar")
        outer.addWidget(self.colour_bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.grid_host = QWidget()
        self.grid_host.setObjectName("Screen")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(8)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(self.grid_host)
        outer.addWidget(self.scroll_area, 1)
        self.set_catalog(catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        for b in self.tabs.buttons():
            self.tabs.removeButton(b)
            b.deleteLater()
        lang = current_language()
        for index, category in enumerate(catalog.categories):
            tab = button(category.label(lang), "tab", name=f"tab-{index}")
            tab.setCheckable(True)
            tab.clicked.connect(lambda _=False, i=index: self.show_category(i))
            self.tabs.addButton(tab, index)
            self.tab_row.addWidget(tab)
        self.tab_row.addStretch(1)
        self.show_category(min(self.category_index, max(0, len(catalog.categories) - 1)))

    @property
    def category(self) -> MenuCategory | None:
        cats = self.catalog.categories
        return cats[self.category_index] if 0 <= self.category_index < len(cats) else None

    def columns(self) -> int:
        return max(3, min(6, (self.width() - 16) // 150))

    def show_category(self, index: int, page: int = 0) -> None:
        self.category_index, self.page = index, page
        tab = self.tabs.button(index)
        if tab is not None:
            tab.setChecked(True)
        while self.grid.count():
            taken = self.grid.takeAt(0)
            old = taken.widget() if taken is not None else None
            if old is not None:
                old.deleteLater()
        self.buttons.clear()
        category = self.category
        if category is None:
            return
        self.colour_bar.setStyleSheet(f"background: {category.color};")
        items = category.items[page * MAX_BUTTONS_PER_PAGE:(page + 1) * MAX_BUTTONS_PER_PAGE]
        cols = self._laid_cols = self.columns()
        for n, item in enumerate(items):
            b = self._item_button(item)
            self.grid.addWidget(b, n // cols, n % cols)
        if len(category.items) > (page + 1) * MAX_BUTTONS_PER_PAGE or page:
            self._pager(len(items), cols, category)
        self.grid.setRowStretch(self.grid.rowCount(), 1)

    def _pager(self, count: int, cols: int, category: MenuCategory) -> None:
        row = count // cols + 1
        pages = (len(category.items) + MAX_BUTTONS_PER_PAGE - 1) // MAX_BUTTONS_PER_PAGE
        prev = button("◀", "", lambda: self.show_category(self.category_index, self.page - 1))
        prev.setEnabled(self.page > 0)
        nxt = button("▶", "", lambda: self.show_category(self.category_index, self.page + 1))
        nxt.setEnabled(self.page + 1 < pages)
        self.grid.addWidget(prev, row, 0)
        self.grid.addWidget(nxt, row, cols - 1)

    def _item_button(self, item: MenuItem) -> QToolButton:
        lang = current_language()
        b = QToolButton()
        b.setProperty("role", "menu-item")
        b.setObjectName(f"item-{item.id}")
        price = t("품절") if item.sold_out else won(item.price) if lang == "ko" \
            else f"{item.price:,}"
        b.setText(f"{item.label(lang)}\n{price}")
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        b.setMinimumSize(QSize(120, 88))
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setEnabled(not item.sold_out)
        b.clicked.connect(lambda _=False, i=item.id: self.item_tapped.emit(i))
        self.buttons[item.id] = b
        return b

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.buttons and self.columns() != getattr(self, "_laid_cols", 0):
            self.show_category(self.category_index, self.page)
