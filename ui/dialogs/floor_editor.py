"""테이블 편집 (owner PIN, action ``floor_edit``): zones as tabs, the zone's tables on the edit
canvas (drag to move, drag the corner to resize, snapped to the grid), and buttons to add a
table or a zone, rename, and delete.

Every change goes through the check service at once (``add_table``, ``update_table``...); a
refusal (deleting a table with an open check) is the core's message, said under the canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QWidget

from kspos.messages import DomainError
from kspos.sales.floor import GRID_COLS, GRID_ROWS, FloorView
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t
from ui.widgets.common import button, label
from ui.widgets.floor_edit import FloorEditCanvas

if TYPE_CHECKING:
    from kspos.sales.staff import StaffMember


class NameDialog(TouchDialog):
    """A name typed on the keyboard (a table's, a zone's)."""

    def __init__(self, parent: QWidget | None, title: str, name: str = "") -> None:
        super().__init__(parent, title)
        self.edit = QLineEdit(name)
        self.edit.setObjectName("name-edit")
        self.edit.setMaxLength(20)
        self.body.addWidget(self.edit)
        self.add_ok(t("확인"), self._ok)

    def _ok(self) -> None:
        if self.edit.text().strip():
            self.accept()

    @property
    def name(self) -> str:
        return self.edit.text().strip()


def ask_name(parent: QWidget, title: str, name: str = "") -> str | None:
    dialog = NameDialog(parent, title, name)
    accepted = dialog.exec() == NameDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.name if accepted else None


class FloorEditorDialog(TouchDialog):
    def __init__(self, parent: QWidget | None, service: Any, owner: StaffMember) -> None:
        super().__init__(parent, t("테이블 편집"))
        self.setObjectName("FloorEditorDialog")
        self.service, self.owner = service, owner
        self.zone_row = QHBoxLayout()
        self.zone_group = QButtonGroup(self)
        tabs = QHBoxLayout()
        tabs.addLayout(self.zone_row)
        tabs.addWidget(button("+ " + t("구역"), "", self.add_zone, name="editor-add-zone"))
        tabs.addWidget(button(t("구역 이름"), "", self.rename_zone, name="editor-rename-zone"))
        tabs.addStretch(1)
        self.body.addLayout(tabs)
        self.hint = label(t("테이블을 끌어 옮기고, 오른쪽 아래 모서리를 끌어 크기를 바꾸세요"),
                          "muted")
        self.body.addWidget(self.hint)
        self.canvas = FloorEditCanvas()
        self.canvas.placed.connect(self.placed)
        self.canvas.chosen.connect(lambda _i: self._sync())
        self.body.addWidget(self.canvas, 1)
        actions = QHBoxLayout()
        for text, key, role in (("테이블 추가", "add", "primary"), ("이름 변경", "rename", ""),
                                ("삭제", "delete", "danger")):
            b = button(t(text), role, lambda k=key: self.table_action(k), name=f"editor-{key}")
            b.setMinimumHeight(64)
            setattr(self, f"{key}_button", b)
            actions.addWidget(b)
        self.body.addLayout(actions)
        self.cancel_button.setText(t("닫기"))
        self.cancel_button.setMinimumHeight(64)
        self.setMinimumSize(960, 680)
        self.reload()

    # --- the floor ----------------------------------------------------------------------------

    def reload(self) -> None:
        view: FloorView = self.service.floor()
        if tuple(b.property("zone") for b in self.zone_group.buttons()) \
                != tuple(z.id for z in view.zones) or self._names_changed(view):
            for b in self.zone_group.buttons():
                self.zone_group.removeButton(b)
                b.deleteLater()
            for zone in view.zones:
                b = button(zone.label(current_language()), "tab", name=f"editor-zone-{zone.id}")
                b.setCheckable(True)
                b.setProperty("zone", zone.id)
                b.clicked.connect(lambda _=False, z=zone.id: self.show_zone(z))
                self.zone_group.addButton(b, zone.id)
                self.zone_row.addWidget(b)
        self.canvas.set_view(view)
        if self.canvas.zone_id is not None and self.zone_group.button(self.canvas.zone_id):
            self.zone_group.button(self.canvas.zone_id).setChecked(True)
        self._sync()

    def _names_changed(self, view: FloorView) -> bool:
        lang = current_language()
        return any(b.text() != z.label(lang)
                   for b, z in zip(self.zone_group.buttons(), view.zones, strict=False))

    def show_zone(self, zone_id: int) -> None:
        self.canvas.highlight = None
        self.canvas.set_zone(zone_id)
        self._sync()

    def _sync(self) -> None:
        chosen = self.canvas.highlight is not None
        self.rename_button.setEnabled(chosen)  # type: ignore[attr-defined]
        self.delete_button.setEnabled(chosen)  # type: ignore[attr-defined]

    def _do(self, action: Any, *args: Any, **kwargs: Any) -> bool:
        """A change through the service; a refusal is said, and the floor read again."""
        try:
            action(*args, **kwargs)
            self.show_error("")
            return True
        except DomainError as exc:
            self.show_error(exc)
            return False
        finally:
            self.reload()

    # --- changes ------------------------------------------------------------------------------

    def placed(self, table_id: int, x: int, y: int, w: int, h: int) -> None:
        self._do(self.service.update_table, table_id, self.owner, x=x, y=y, w=w, h=h)

    def table_action(self, key: str) -> None:
        table_id = self.canvas.highlight
        if key == "add":
            self.add_table()
        elif table_id is not None and key == "rename":
            tile = self.canvas.tiles[table_id]
            name = ask_name(self, t("이름 변경"), tile.place.name)
            if name:
                self._do(self.service.update_table, table_id, self.owner, name=name)
        elif table_id is not None and key == "delete" \
                and self._do(self.service.delete_table, table_id, self.owner):
            self.canvas.highlight = None
            self._sync()

    def free_place(self) -> tuple[int, int, int, int] | None:
        """The first spot of the zone where a new table overlaps none: 3 × 2 cells, or smaller
        on a full floor (the owner drags it bigger later); None when no cell is free."""
        taken = [t.place for t in self.canvas.tiles.values()]
        for w, h in ((3, 2), (2, 2), (2, 1), (1, 1)):
            for y in range(0, GRID_ROWS - h + 1):
                for x in range(0, GRID_COLS - w + 1):
                    if all(x + w <= p.x or p.x + p.w <= x or y + h <= p.y or p.y + p.h <= y
                           for p in taken):
                        return x, y, w, h
        return None

    def add_table(self) -> None:
        zone_id = self.canvas.zone_id
        if zone_id is None:
            return
        spot = self.free_place()
        if spot is None:
            self.show_error(t("이 구역에 빈 자리가 없습니다"))
            return
        name = ask_name(self, t("테이블 추가"), str(len(self.canvas.view.tiles) + 1))
        if not name:
            return
        x, y, w, h = spot
        self._do(self.service.add_table, zone_id, name, self.owner, x=x, y=y, w=w, h=h)

    def add_zone(self) -> None:
        name = ask_name(self, "+ " + t("구역"))
        if name:
            self._do(self.service.add_zone, name, self.owner)

    def rename_zone(self) -> None:
        zone_id = self.canvas.zone_id
        zone = next((z for z in self.canvas.view.zones if z.id == zone_id), None)
        if zone is None:
            return
        name = ask_name(self, t("구역 이름"), zone.name)
        if name:
            self._do(self.service.rename_zone, zone.id, name, self.owner)
