"""옵션 그룹 관리: pick a group on the left (or 새 옵션 그룹), edit it on the right.

The dialog only edits: ``result_action`` is "save" or "delete" and ``form()`` the group as
entered; the screen then asks for the owner's PIN and saves through kspos.menu.admin. Problems
are shown in the dialog before it closes (``check`` is MenuAdmin's validation), so an owner
never types a PIN for a form that would be refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.menu.options import MAX_CHOICES, ChoiceForm, GroupDetail, GroupForm, OptionGroupError
from ui.dialogs.base import TouchDialog
from ui.i18n import t
from ui.widgets.common import button, label, scroll_area

NEW_ROW = -1  # the list row id of 새 옵션 그룹


def _edit(name: str, text: str = "", placeholder: str = "", width: int = 0) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setMaxLength(40)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    if width:
        edit.setFixedWidth(width)
    return edit


def _pair(parent: QWidget, names: tuple[str, str], texts: tuple[str, str],
          layout: QHBoxLayout) -> QButtonGroup:
    """Two exclusive toggle buttons (필수/선택, 하나만/여러 개); id 0 and 1."""
    group = QButtonGroup(parent)
    for n, (name, text) in enumerate(zip(names, texts, strict=True)):
        b = button(t(text), "choice", name=name)
        b.setCheckable(True)
        group.addButton(b, n)
        layout.addWidget(b)
    return group


class OptionGroupDialog(TouchDialog):
    def __init__(self, parent: QWidget | None, groups: Sequence[GroupDetail],
                 check: Callable[[GroupForm], list[OptionGroupError]], chosen: int | None = None) -> None:
        super().__init__(parent, t("옵션 그룹 관리"))
        self.setObjectName("OptionGroupDialog")
        self.groups = {g.id: g for g in groups}
        self.check = check
        self.group_id: int | None = None
        self.result_action = ""
        self.choice_rows: list[tuple[QWidget, QLineEdit, QLineEdit, int | None]] = []
        self.row_serial = 0
        body = QHBoxLayout()
        body.setSpacing(16)
        self.group_list = QListWidget()
        self.group_list.setObjectName("option-group-list")
        self.group_list.setFixedWidth(220)
        self.group_list.currentItemChanged.connect(lambda cur, _prev: self._chosen(cur))
        body.addWidget(self.group_list)
        body.addLayout(self._form_column(), 1)
        self.body.addLayout(body, 1)
        self.delete_button = button(t("삭제"), "danger", self._delete, name="option-group-delete")
        self.delete_button.setMinimumHeight(64)
        self.buttons.addWidget(self.delete_button)
        self.add_ok(t("저장"), self._save, name="option-group-ok")
        self.setMinimumSize(940, 680)
        self._fill_list(chosen)

    # --- layout ---------------------------------------------------------------------------------

    def _form_column(self) -> QVBoxLayout:
        col = QVBoxLayout()
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.name_edit = _edit("option-group-name", placeholder=t("예: 사이즈"))
        self.name_en_edit = _edit("option-group-name-en", placeholder="Size")
        form.addRow(t("이름"), self.name_edit)
        form.addRow(t("영문명"), self.name_en_edit)
        mode = QHBoxLayout()  # one row: the choice table gets the height
        self.need = _pair(self, ("option-group-required", "option-group-optional"),
                          ("필수", "선택"), mode)
        mode.addSpacing(16)
        self.many = _pair(self, ("option-group-single", "option-group-multi"),
                          ("하나만", "여러 개"), mode)
        form.addRow(t("선택 방식"), mode)
        col.addLayout(form)
        heading = QHBoxLayout()
        heading.addWidget(label(t("선택지"), "caption"), 1)
        heading.addWidget(label(t("추가 금액 (원)"), "caption"))
        heading.addSpacing(76)
        col.addLayout(heading)
        rows = QWidget()
        self.rows_layout = QVBoxLayout(rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(6)
        self.rows_layout.addStretch(1)  # rows go in above it
        col.addWidget(scroll_area(rows, "option-choice-rows", frame=True), 1)
        self.add_choice_button = button("+ " + t("선택지 추가"), "", lambda: self.add_choice(),
                                        name="option-choice-add")
        col.addWidget(self.add_choice_button)
        return col

    def _fill_list(self, chosen: int | None) -> None:
        fresh = QListWidgetItem("+ " + t("새 옵션 그룹"))
        fresh.setData(Qt.ItemDataRole.UserRole, NEW_ROW)
        fresh.setSizeHint(QSize(200, 52))
        self.group_list.addItem(fresh)
        for group in self.groups.values():
            need = t("필수") if group.required else t("선택")
            entry = QListWidgetItem(f"{group.name}\n{need} · {t('선택지')} {len(group.choices)}")
            entry.setData(Qt.ItemDataRole.UserRole, group.id)
            entry.setSizeHint(QSize(200, 60))
            self.group_list.addItem(entry)
        ids = [NEW_ROW, *self.groups]
        self.group_list.setCurrentRow(ids.index(chosen) if chosen in ids else 0)

    # --- the form -------------------------------------------------------------------------------

    def _chosen(self, entry: QListWidgetItem | None) -> None:
        if entry is None:
            return
        group_id = int(entry.data(Qt.ItemDataRole.UserRole))
        self.show_group(self.groups.get(group_id))

    def show_group(self, group: GroupDetail | None) -> None:
        self.group_id = group.id if group else None
        self.name_edit.setText(group.name if group else "")
        self.name_en_edit.setText(group.name_en if group else "")
        self.need.button(0 if group is None or group.required else 1).setChecked(True)
        self.many.button(1 if group and group.multi else 0).setChecked(True)
        for widget, *_rest in self.choice_rows:
            self.rows_layout.removeWidget(widget)
            widget.deleteLater()
        self.choice_rows.clear()
        for choice in group.choices if group else (ChoiceForm(""), ChoiceForm("")):
            self.add_choice(choice)
        self.delete_button.setEnabled(group is not None)
        self.result_action = ""  # a delete asked for another group is not confirmed here
        self.show_error("")

    def add_choice(self, choice: ChoiceForm | None = None) -> None:
        if len(self.choice_rows) >= MAX_CHOICES:
            self.show_error(t("선택지는 12개까지입니다"))
            return
        choice = choice or ChoiceForm("")
        n = self.row_serial = self.row_serial + 1  # names stay unique after removals
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        name = _edit(f"option-choice-name-{n}", choice.name, t("예: 라지"))
        delta = _edit(f"option-choice-delta-{n}", _delta_text(choice.price_delta), "+500", 140)
        delta.setAlignment(Qt.AlignmentFlag.AlignRight)
        line.addWidget(name, 1)
        line.addWidget(delta)
        line.addWidget(button("−", "key", lambda: self._remove(row), name=f"option-choice-del-{n}"))
        self.rows_layout.insertWidget(len(self.choice_rows), row)
        self.choice_rows.append((row, name, delta, choice.id))
        self.add_choice_button.setEnabled(len(self.choice_rows) < MAX_CHOICES)
        if choice.name == "" and self.isVisible():
            name.setFocus()

    def _remove(self, row: QWidget) -> None:
        self.choice_rows = [r for r in self.choice_rows if r[0] is not row]
        self.rows_layout.removeWidget(row)
        row.deleteLater()
        self.add_choice_button.setEnabled(True)

    def form(self) -> GroupForm:
        """The group as entered (empty choice rows are dropped by the core)."""
        choices = [ChoiceForm(name.text(), delta.text(), "", choice_id)
                   for _row, name, delta, choice_id in self.choice_rows]
        old = self.groups.get(self.group_id) if self.group_id is not None else None
        if old is not None:  # English names (from the menu file) stay with unrenamed choices
            english = {c.id: (c.name, c.name_en) for c in old.choices}
            for choice in choices:
                name, name_en = english.get(choice.id, ("", ""))
                choice.name_en = name_en if name == choice.name.strip() else ""
        return GroupForm(self.name_edit.text(), choices, self.name_en_edit.text(),
                         self.need.checkedId() == 0, self.many.checkedId() == 1, self.group_id)

    # --- buttons --------------------------------------------------------------------------------

    def _save(self) -> None:
        problems = self.check(self.form())
        if problems:
            self.show_error(OptionGroupError("option.problems", problems=problems))
            return
        self.result_action = "save"
        self.accept()

    def _delete(self) -> None:
        group = self.groups.get(self.group_id) if self.group_id is not None else None
        if group is None:
            return
        if self.result_action != "confirm-delete":  # a second tap deletes
            self.result_action = "confirm-delete"
            used = (f"{t('이 그룹을 쓰는 메뉴')}: {group.item_count}. " if group.item_count
                    else "")
            self.show_error(f"'{group.name}' {t('삭제')}? {used}{t('한 번 더 누르세요')}")
            return
        self.result_action = "delete"
        self.accept()


def _delta_text(delta: str | int) -> str:
    if isinstance(delta, str):
        return delta
    return f"{delta:+,}" if delta else ""
