"""메뉴 관리: categories left, the items of one category as a grid, the item form right.

Drag a category or an item to reorder (↑/↓ buttons do the same for one step). Saving goes
through kspos.menu.admin (validated, price and 품절 changes audited); afterwards the catalog
snapshot is reloaded so the cashier's grid shows the change at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.menu.admin import (
    AdminCategory,
    AdminGroup,
    AdminItem,
    ItemForm,
    MenuAdmin,
    MenuError,
)
from kspos.menu.options import OptionGroupError
from kspos.sales.staff import AuthError, StaffMember
from ui.dialogs.misc import ask_for_pin
from ui.i18n import t, won
from ui.ops import run_op
from ui.widgets.common import button, label, message_label, scroll_area

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole


def line_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    return edit


class DragList(QListWidget):
    """A list whose rows can be dragged into a new order; ``on_moved`` gets the new id order."""

    def __init__(self, name: str, grid: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        if grid:  # a wrapping list, not IconMode: there a drop only moves the picture
            self.setFlow(QListView.Flow.LeftToRight)
            self.setWrapping(True)
            self.setResizeMode(QListView.ResizeMode.Adjust)
            self.setGridSize(QSize(156, 84))
            self.setUniformItemSizes(True)
            self.setWordWrap(True)
        self.on_moved: Any = None
        self.model().rowsMoved.connect(lambda *_a: self._moved())

    def ids(self) -> list[int]:
        return [int(self.item(n).data(ID_ROLE)) for n in range(self.count())]

    def _moved(self) -> None:
        if self.on_moved is not None:
            self.on_moved(self.ids())


class MenuEditorScreen(QWidget):
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.admin = MenuAdmin(context.db)
        self.owner: StaffMember | None = None
        self.categories: list[AdminCategory] = []
        self.category_id: int | None = None
        self.item_id: int | None = None
        self._build()

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(button("◀ " + t("캐셔 화면"), "", self.back, name="menu-back"))
        top.addWidget(label(t("메뉴 관리"), "title"))
        top.addWidget(label(t("끌어서 순서를 바꿀 수 있습니다"), "muted"), 1)
        top.addWidget(button("+ " + t("메뉴 추가"), "", self.new_item, name="menu-new-item"))
        root.addLayout(top)
        body = QHBoxLayout()
        body.setSpacing(12)
        left = QVBoxLayout()
        self.category_list = DragList("CategoryList")
        self.category_list.setFixedWidth(200)
        self.category_list.on_moved = self._categories_moved
        self.category_list.currentRowChanged.connect(self._category_chosen)
        left.addWidget(self.category_list, 1)
        left.addWidget(button("+ " + t("분류 추가"), "", self.new_category,
                              name="category-new"))
        left.addWidget(button(t("분류 수정"), "", self.edit_category, name="category-edit"))
        body.addLayout(left)
        middle = QVBoxLayout()
        self.item_grid = DragList("ItemGrid", grid=True)
        self.item_grid.on_moved = self._items_moved
        self.item_grid.currentItemChanged.connect(lambda cur, _prev: self._item_chosen(cur))
        middle.addWidget(self.item_grid, 1)
        steps = QHBoxLayout()
        steps.addWidget(button("◀ " + t("앞으로"), "", lambda: self.step(-1), name="item-up"))
        steps.addWidget(button(t("뒤로") + " ▶", "", lambda: self.step(1), name="item-down"))
        steps.addStretch(1)
        middle.addLayout(steps)
        body.addLayout(middle, 1)
        body.addWidget(self._form_panel())
        root.addLayout(body, 1)
        self.message = label("", "status", name="menu-message")
        self.message.setWordWrap(True)
        root.addWidget(self.message)

    def _form_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        panel.setFixedWidth(420)
        col = QVBoxLayout(panel)
        col.setContentsMargins(16, 12, 16, 12)
        self.form_title = label(t("메뉴 추가"), "title", name="menu-form-title")
        col.addWidget(self.form_title)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.name_edit = line_edit("item-name")
        self.name_en_edit = line_edit("item-name-en")
        self.price_edit = line_edit("item-price")
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.price_edit.setPlaceholderText("4,500")
        self.barcode_edit = line_edit("item-barcode")
        self.barcode_edit.setPlaceholderText("EAN-13 / EAN-8 / UPC-A")
        form.addRow(t("이름"), self.name_edit)
        form.addRow(t("영문명"), self.name_en_edit)
        form.addRow(t("가격 (원)"), self.price_edit)
        tax = QHBoxLayout()
        self.tax_group = QButtonGroup(self)
        for n, text in enumerate(("과세", "면세")):
            b = button(t(text), "choice", name=f"item-tax-{n}")
            b.setCheckable(True)
            self.tax_group.addButton(b, n)
            tax.addWidget(b)
        self.tax_group.button(0).setChecked(True)
        form.addRow(t("과세/면세"), tax)
        form.addRow(t("바코드"), self.barcode_edit)
        self.sold_out = button(t("품절"), "choice", name="item-sold-out")
        self.sold_out.setCheckable(True)
        form.addRow(t("품절"), self.sold_out)
        col.addLayout(form)
        col.addWidget(label(t("옵션 그룹"), "caption"))
        # The toggles scroll when a store has many groups: the fields above keep their height.
        toggles = QWidget()
        toggles.setObjectName("Surface")  # the panel's colour behind the toggles
        self.group_grid = QGridLayout(toggles)
        self.group_grid.setContentsMargins(0, 0, 0, 0)
        self.group_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.group_buttons: dict[int, Any] = {}
        self.group_keys: list[tuple[int, str, bool]] = []
        col.addWidget(scroll_area(toggles, "item-group-toggles"), 1)
        col.addWidget(button(t("옵션 그룹 관리"), "", self.edit_option_groups,
                             name="option-groups-edit"))
        self.form_error = message_label("error", name="menu-form-error")
        col.addWidget(self.form_error)
        row = QHBoxLayout()
        self.delete_button = button(t("삭제"), "danger", self.delete_item, name="item-delete")
        row.addWidget(self.delete_button)
        row.addWidget(button(t("저장"), "primary", self.save, name="item-save"), 2)
        col.addLayout(row)
        return panel

    # --- data -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        self.categories = self.admin.categories()
        self._fill_groups(self.admin.option_groups())
        self.category_list.blockSignals(True)
        self.category_list.clear()
        for category in self.categories:
            entry = QListWidgetItem(f"{category.name}  ({len(category.items)})")
            entry.setData(ID_ROLE, category.id)
            entry.setForeground(QColor(category.color))
            entry.setSizeHint(QSize(180, 52))
            self.category_list.addItem(entry)
        self.category_list.blockSignals(False)
        ids = [c.id for c in self.categories]
        if self.category_id not in ids:
            self.category_id = ids[0] if ids else None
        if self.category_id is not None:
            self.category_list.setCurrentRow(ids.index(self.category_id))
        self._fill_items()

    def _fill_groups(self, groups: list[AdminGroup]) -> None:
        """One toggle per option group; rebuilt only when the groups themselves changed."""
        keys = [(g.id, g.name, g.required) for g in groups]
        if keys == self.group_keys:
            return
        self.group_keys = keys
        for b in self.group_buttons.values():
            self.group_grid.removeWidget(b)
            b.deleteLater()
        self.group_buttons.clear()
        for n, group in enumerate(groups):
            b = button(group.name + (f" ({t('필수')})" if group.required else ""), "choice",
                       name=f"item-group-{group.id}")
            b.setCheckable(True)
            self.group_grid.addWidget(b, n // 2, n % 2)
            self.group_buttons[group.id] = b

    def category(self) -> AdminCategory | None:
        return next((c for c in self.categories if c.id == self.category_id), None)

    def _fill_items(self) -> None:
        category = self.category()
        self.item_grid.blockSignals(True)
        self.item_grid.clear()
        for item in category.items if category else ():
            flags = (" · " + t("품절")) if item.sold_out else ""
            free = (" · " + t("면세")) if item.tax_free else ""
            entry = QListWidgetItem(f"{item.name}\n{won(item.price)}{free}{flags}")
            entry.setData(ID_ROLE, item.id)
            entry.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            entry.setSizeHint(QSize(148, 76))
            if item.sold_out:
                entry.setForeground(QColor("#6B7280"))
            self.item_grid.addItem(entry)
        self.item_grid.blockSignals(False)
        ids = [i.id for i in category.items] if category else []
        if self.item_id in ids:
            self.item_grid.setCurrentRow(ids.index(self.item_id))
            self._show_item(self._item(self.item_id))
        else:
            self.new_item()

    def _item(self, item_id: int | None) -> AdminItem | None:
        category = self.category()
        return next((i for i in category.items if i.id == item_id), None) if category else None

    def _category_chosen(self, row: int) -> None:
        if 0 <= row < len(self.categories) and self.categories[row].id != self.category_id:
            self.category_id = self.categories[row].id
            self.item_id = None
            self._fill_items()

    def _item_chosen(self, entry: QListWidgetItem | None) -> None:
        if entry is not None:
            self.item_id = int(entry.data(ID_ROLE))
            self._show_item(self._item(self.item_id))

    def new_item(self) -> None:
        self.item_id = None
        self.item_grid.clearSelection()
        self._show_item(None)

    def _show_item(self, item: AdminItem | None) -> None:
        self.form_title.setText(t("메뉴 수정") if item else t("메뉴 추가"))
        self.name_edit.setText(item.name if item else "")
        self.name_en_edit.setText(item.name_en if item else "")
        self.price_edit.setText(f"{item.price:,}" if item else "")
        self.barcode_edit.setText(item.barcode if item else "")
        self.tax_group.button(1 if item and item.tax_free else 0).setChecked(True)
        self.sold_out.setChecked(bool(item and item.sold_out))
        for group_id, b in self.group_buttons.items():
            b.setChecked(bool(item and group_id in item.group_ids))
        self.delete_button.setEnabled(item is not None)
        self.form_error.setText("")

    def form(self) -> ItemForm:
        assert self.category_id is not None
        groups = [g for g, b in self.group_buttons.items() if b.isChecked()]
        return ItemForm(self.category_id, self.name_edit.text(), self.price_edit.text(),
                        self.name_en_edit.text(), self.tax_group.checkedId() == 1,
                        self.barcode_edit.text(), self.sold_out.isChecked(), groups, self.item_id)

    # --- actions --------------------------------------------------------------------------------

    def back(self) -> None:
        self.owner = None  # the next visit asks again
        self.window_.show_screen("cashier")

    def authorized(self) -> StaffMember | None:
        staff = self.context.register.staff
        if staff is not None and staff.may("menu_edit"):
            return staff
        if self.owner is not None:
            return self.owner
        self.owner = ask_for_pin(self, self.context.staff, "menu_edit", self.message.setText)
        return self.owner

    def save(self) -> None:
        if self.category_id is None:
            return
        form = self.form()
        problems = self.admin.problems(form)
        if problems:  # said at once, before any PIN
            self.form_error.setText(MenuError("menu.problems", problems=problems))
            return
        staff = self.authorized()
        if staff is None:
            return
        run_op(self, lambda: self.admin.save_item(form, staff), on_success=self._saved,
               on_error=self._failed)

    def _saved(self, item_id: int) -> None:
        self.item_id = item_id
        self.catalog_changed()
        self.message.setText(t("저장했습니다") + f": {self.name_edit.text().strip()}")

    def delete_item(self) -> None:
        item_id = self.item_id
        staff = self.authorized() if item_id is not None else None
        if item_id is None or staff is None:
            return
        run_op(self, lambda: self.admin.delete_item(item_id, staff),
               on_success=lambda _r: self._deleted(), on_error=self._failed)

    def _deleted(self) -> None:
        self.new_item()
        self.catalog_changed()

    def step(self, delta: int) -> None:
        item_id = self.item_id
        staff = self.authorized() if item_id is not None else None
        if item_id is None or staff is None:
            return
        run_op(self, lambda: self.admin.move_item(item_id, delta, staff),
               on_success=lambda _r: self.catalog_changed(), on_error=self._failed)

    def _items_moved(self, ids: list[int]) -> None:
        category_id, staff = self.category_id, self.authorized()
        if category_id is None or staff is None:
            self.reload()
            return
        run_op(self, lambda: self.admin.reorder_items(category_id, ids, staff),
               on_success=lambda _r: self.catalog_changed(), on_error=self._failed)

    def _categories_moved(self, ids: list[int]) -> None:
        staff = self.authorized()
        if staff is None:
            self.reload()
            return
        run_op(self, lambda: self.admin.reorder_categories(ids, staff),
               on_success=lambda _r: self.catalog_changed(), on_error=self._failed)

    def new_category(self) -> None:
        self._ask_category(None)

    def edit_category(self) -> None:
        category = self.category()
        if category is not None:
            self._ask_category(category)

    def _ask_category(self, category: AdminCategory | None) -> None:
        """The dialog first (typing needs no rights), then the owner's PIN, then the save."""
        from ui.dialogs.category import CategoryDialog

        if category is None:
            dialog = CategoryDialog(self, t("분류 추가"))
        else:
            dialog = CategoryDialog(self, t("분류 수정"), category.name, category.name_en,
                                    category.color)
        accepted = dialog.exec()
        name, name_en, color = dialog.values()
        dialog.deleteLater()
        if not accepted:
            return
        staff = self.authorized()
        if staff is None:
            return
        category_id = category.id if category is not None else None
        run_op(self, lambda: self.admin.save_category(name, staff, name_en, color, category_id),
               on_success=self._category_saved, on_error=self._failed)

    def _category_saved(self, category_id: int) -> None:
        self.category_id = category_id
        self.catalog_changed()
        chosen = self.category()
        self.message.setText(t("저장했습니다") + f": {chosen.name if chosen else ''}")
        if chosen is not None and not chosen.items:
            self.new_item()  # a new category's first item goes in next

    def edit_option_groups(self, chosen: int | None = None) -> None:
        """옵션 그룹 관리: the dialog first, then the owner's PIN, then the save or delete."""
        from ui.dialogs.option_group import OptionGroupDialog

        dialog = OptionGroupDialog(self, self.admin.option_group_details(),
                                   self.admin.option_group_problems, chosen)
        accepted = dialog.exec() and dialog.result_action in ("save", "delete")
        action, form = dialog.result_action, dialog.form()
        dialog.deleteLater()
        if not accepted:
            return
        staff = self.authorized()
        if staff is None:
            return
        if action == "delete":
            assert form.id is not None
            group_id: int = form.id
            run_op(self, lambda: self.admin.delete_option_group(group_id, staff),
                   on_success=lambda _r: self._groups_saved(form.name, None),
                   on_error=self._failed)
        else:
            run_op(self, lambda: self.admin.save_option_group(form, staff),
                   on_success=lambda new_id: self._groups_saved(form.name, new_id),
                   on_error=self._failed)

    def _groups_saved(self, name: str, group_id: int | None) -> None:
        self.catalog_changed()  # the toggles are rebuilt and the open item shown again
        word = t("저장했습니다") if group_id is not None else t("삭제했습니다")
        self.message.setText(f"{word}: {t('옵션 그룹')} {name.strip()}")

    def _failed(self, error: BaseException) -> None:
        self.reload()
        if isinstance(error, (MenuError, OptionGroupError, AuthError)):
            self.form_error.setText(error)
        else:
            log.error("menu editor: %r", error)
            self.form_error.setText(f"{t('오류')}: {error}")

    def catalog_changed(self) -> None:
        """Reload the snapshot the cashier sells from, and its grid if it is built."""
        self.context.reload_catalog()
        cashier = getattr(self.window_, "screens", {}).get("cashier")
        grid = getattr(cashier, "menu", None)
        if grid is not None:
            grid.set_catalog(self.context.catalog)
        self.reload()


def create(context: AppContext, window: Any) -> MenuEditorScreen:
    return MenuEditorScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """The coffee category with 아메리카노 open in the form."""
    assert isinstance(widget, MenuEditorScreen)
    widget.reload()
    category = widget.category()
    if category and category.items:
        widget.item_grid.setCurrentRow(0)
