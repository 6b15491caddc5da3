"""분류 추가 / 분류 수정: a category's name, English name and colour (the cashier's tab colour)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QButtonGroup, QFormLayout, QGridLayout, QLineEdit, QWidget

from ui.dialogs.base import TouchDialog
from ui.i18n import t
from ui.widgets.common import button

# Tab colours that stay readable as text on the light theme (the category list draws its names
# in them); the first is the default of a new category.
PALETTE = ("#2563EB", "#DC2626", "#16A34A", "#D97706", "#7C3AED", "#0891B2", "#DB2777",
           "#4B5563")


def _swatch(color: str) -> QIcon:
    # An icon, not a stylesheet: the theme stays one QSS built from tokens.
    pixmap = QPixmap(40, 40)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class CategoryDialog(TouchDialog):
    """Name (required), English name and a colour from :data:`PALETTE`."""

    def __init__(self, parent: QWidget | None, title: str, name: str = "", name_en: str = "",
                 color: str = PALETTE[0]) -> None:
        super().__init__(parent, title)
        self.setObjectName("CategoryDialog")
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.name_edit = QLineEdit(name)
        self.name_edit.setObjectName("category-name")
        self.name_edit.setMaxLength(40)
        self.name_en_edit = QLineEdit(name_en)
        self.name_en_edit.setObjectName("category-name-en")
        self.name_en_edit.setMaxLength(40)
        form.addRow(t("이름"), self.name_edit)
        form.addRow(t("영문명"), self.name_en_edit)
        swatches = QGridLayout()
        swatches.setSpacing(8)
        self.colors = QButtonGroup(self)
        palette = PALETTE if color in PALETTE else (*PALETTE, color)  # keep an imported colour
        for n, value in enumerate(palette):
            swatch = button("", "choice", name=f"category-color-{value[1:]}")
            swatch.setIcon(_swatch(value))
            swatch.setIconSize(QSize(40, 40))
            swatch.setCheckable(True)
            swatch.setProperty("color", value)
            swatch.setChecked(value == color)
            self.colors.addButton(swatch, n)
            swatches.addWidget(swatch, n // 4, n % 4)
        form.addRow(t("색상"), swatches)
        self.body.addLayout(form)
        self.add_ok(t("저장"), self._accept_if_named, name="category-ok")
        self.setMinimumWidth(520)

    def _accept_if_named(self) -> None:
        if not self.name_edit.text().strip():
            self.show_error(t("분류 이름을 입력하세요"))
            return
        self.accept()

    def values(self) -> tuple[str, str, str]:
        """(name, English name, #RRGGBB) as entered."""
        checked = self.colors.checkedButton()
        color = str(checked.property("color")) if checked is not None else PALETTE[0]
        return self.name_edit.text().strip(), self.name_en_edit.text().strip(), color
