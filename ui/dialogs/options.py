"""The options sheet: required groups first (사이즈, 온도), then optional (추가), then 확인."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kspos.menu.catalog import MenuItem
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t, won
from ui.widgets.common import button, label, scroll_area


class OptionsDialog(TouchDialog):
    """Pick options for one item; ``choices()`` gives the chosen choice ids, ``qty`` the count."""

    def __init__(self, item: MenuItem, parent: QWidget | None = None) -> None:
        lang = current_language()
        super().__init__(parent, f"{item.label(lang)} — {t('옵션 선택')}")
        self.setObjectName("OptionsDialog")
        self.item = item
        self.qty = 1
        self.groups: list[tuple[bool, QButtonGroup]] = []
        # The groups scroll when an item has many (a store may make eight): the quantity and
        # 확인 below always stay on the screen.
        sheet = QWidget()
        sheet.setObjectName("Sheet")  # scrolls on the dialog's own background
        column = QVBoxLayout(sheet)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        for group in item.groups:
            need = t("필수") if group.required else t("선택")
            column.addWidget(label(f"{group.name_en if lang == 'en' else group.name} "
                                   f"({need})", "muted"))
            grid = QGridLayout()
            grid.setSpacing(8)
            buttons = QButtonGroup(self)
            # A required single choice is a radio group; an optional one must also let the
            # cashier take a mis-tap back, so it is non-exclusive and kept to one by hand.
            buttons.setExclusive(not group.multi and group.required)
            if not group.multi and not group.required:
                buttons.buttonToggled.connect(
                    lambda chosen, on, g=buttons: _only(g, chosen) if on else None)
            for n, choice in enumerate(group.choices):
                text = choice.name_en if lang == "en" and choice.name_en else choice.name
                if choice.price_delta:  # 샷 빼기 and the like take money off
                    sign = "+" if choice.price_delta > 0 else "−"
                    text += f"\n{sign}{won(abs(choice.price_delta))}"
                b = button(text, "choice", name=f"choice-{choice.id}")
                b.setCheckable(True)
                b.setMinimumHeight(64)
                buttons.addButton(b, choice.id)
                grid.addWidget(b, n // 4, n % 4)
            if group.required and group.choices and not group.multi:
                buttons.button(group.choices[0].id).setChecked(True)
            self.groups.append((group.required, buttons))
            column.addLayout(grid)
        column.addStretch(1)
        scroll = scroll_area(sheet, "options-sheet")
        # As tall as the groups need, up to what the screen leaves for the title and buttons.
        room = (self.screen().availableGeometry().height() if self.screen() else 768) - 260
        scroll.setMinimumHeight(min(sheet.sizeHint().height(), max(room, 200)))
        self.body.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(label(t("수량"), "muted"))
        row.addStretch(1)
        row.addWidget(button("−", "key", lambda: self._bump(-1), name="opt-minus"))
        self.qty_label = label("1", "title", name="opt-qty")
        row.addWidget(self.qty_label)
        row.addWidget(button("+", "key", lambda: self._bump(1), name="opt-plus"))
        self.body.addLayout(row)
        self.add_ok(t("확인"), self._confirm)
        self.setMinimumWidth(640)

    def _bump(self, delta: int) -> None:
        self.qty = max(1, min(99, self.qty + delta))
        self.qty_label.setText(str(self.qty))

    def choices(self) -> list[int]:
        return [b_id for _, group in self.groups for b_id in
                (group.id(b) for b in group.buttons() if b.isChecked())]

    def _confirm(self) -> None:
        for required, group in self.groups:
            if required and not any(b.isChecked() for b in group.buttons()):
                self.show_error(t("필수") + ": " + t("옵션 선택"))
                return
        self.accept()


def _only(group: QButtonGroup, chosen: object) -> None:
    """Untick the rest of an optional single-choice group."""
    for other in group.buttons():
        if other is not chosen:
            other.setChecked(False)
