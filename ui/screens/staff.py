"""직원 관리 (the owner): the staff list, a form to add, rename, set the role, change a PIN or
deactivate, and the wrong PINs seen on every terminal. Also 내 PIN 변경 for anyone logged in.

The rules live in kspos/sales/staff_admin.py (the core checks who may, the last owner stays, no two
staff share a PIN); this screen asks and shows. PIN checks hash every member's PIN (~40 ms
each), so they run on the database worker, never on the screen's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.staff import ROLE_WORDS, AuthError, Role, StaffMember
from kspos.sales.staff_admin import StaffAdmin, StaffEntry
from kspos.store.db import StoreError
from ui.dialogs.misc import PinDialog
from ui.i18n import t
from ui.ops import run_op
from ui.widgets.common import button, label, message_label

if TYPE_CHECKING:
    from kspos.context import AppContext

COLUMNS = ("이름", "역할", "상태", "PIN")
FAILURE_COLUMNS = ("시간", "단말기", "연속 오류", "잠금")
NEW = -1  # the form holds a member not yet added


def ask_new_pin(parent: QWidget, say: Callable[[str], None]) -> str | None:
    """A new PIN typed twice on the pad; None when given up or the two differ (said)."""
    first = PinDialog(parent, t("새 PIN"))
    if first.exec() != PinDialog.DialogCode.Accepted:
        return None
    again = PinDialog(parent, t("새 PIN 한 번 더"))
    accepted = again.exec() == PinDialog.DialogCode.Accepted
    pins = (first.pin, again.pin)
    first.deleteLater()
    again.deleteLater()
    if not accepted:
        return None
    if pins[0] != pins[1]:
        say(t("두 PIN이 다릅니다") + " (the two PINs differ)")
        return None
    return pins[0]


def change_own_pin(parent: QWidget, context: AppContext, say: Callable[[str], None]) -> None:
    """내 PIN 변경: the logged-in member types their PIN again (wrong PINs count towards the
    lock), then the new one twice."""
    me = context.register.staff
    if me is None:
        say(t("로그인") + " (log in first)")
        return
    check = PinDialog(parent, t("현재 PIN"), check=context.staff.login,
                      wait_s=context.staff.locked_for())
    accepted = check.exec() == PinDialog.DialogCode.Accepted
    who = check.member
    check.deleteLater()
    if not accepted or who is None:
        return
    if who.id != me.id:
        say(t("로그인한 직원의 PIN이 아닙니다") + " (not the PIN of who is logged in)")
        return
    pin = ask_new_pin(parent, say)
    if pin is None:
        return
    admin = StaffAdmin(context.staff)
    run_op(parent, lambda: admin.set_pin(me.id, pin, me),
           on_success=lambda _r: say(t("저장했습니다")),
           on_error=lambda e: say(str(e)), label=t("저장 중..."))


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([t(h) for h in headers])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(52)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class StaffScreen(QWidget):
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.admin = StaffAdmin(context.staff)
        self.owner: StaffMember | None = None  # who unlocked the screen (the cashier screen sets it)
        self.members: list[StaffEntry] = []
        self.selected = NEW
        self._armed_deactivate: int | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(button("◀ " + t("캐셔 화면"), "", self.back, name="staff-back"))
        top.addWidget(label(t("직원 관리"), "title"))
        top.addStretch(1)
        self.demo_note = label("", "status-warning", name="staff-demo-note")
        top.addWidget(self.demo_note)
        root.addLayout(top)
        body = QHBoxLayout()
        body.setSpacing(12)
        left = QVBoxLayout()
        self.table = _table("StaffTable", COLUMNS)
        self.table.itemSelectionChanged.connect(self._picked)
        left.addWidget(self.table, 3)
        left.addWidget(label(t("PIN 오류 기록"), "title"))
        self.failures = _table("PinFailures", FAILURE_COLUMNS)
        self.failures.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.failures.verticalHeader().setDefaultSectionSize(32)
        left.addWidget(self.failures, 2)
        body.addLayout(left, 3)
        body.addWidget(self._form(), 2)
        root.addLayout(body, 1)

    def _form(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        col = QVBoxLayout(panel)
        col.setContentsMargins(16, 16, 16, 16)
        col.setSpacing(10)
        self.form_title = label(t("새 직원"), "title", name="staff-form-title")
        col.addWidget(self.form_title)
        col.addWidget(label(t("이름"), "caption"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("staff-name")
        self.name_edit.setMinimumHeight(48)
        self.name_edit.setMaxLength(40)
        col.addWidget(self.name_edit)
        col.addWidget(label(t("역할"), "caption"))
        roles = QHBoxLayout()
        self.role_group = QButtonGroup(self)
        for n, each in enumerate(Role):
            b = button(t(ROLE_WORDS[each]), "choice", name=f"staff-role-{each.value}")
            b.setCheckable(True)
            b.setMinimumHeight(56)
            self.role_group.addButton(b, n)
            roles.addWidget(b)
        self.role_group.button(0).setChecked(True)
        col.addLayout(roles)
        self.message = message_label("error", name="staff-message")
        col.addWidget(self.message)
        col.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.buttons: dict[str, Any] = {}
        for n, (text, key, look, act) in enumerate((
                ("새 직원", "new", "", self.new_member), ("저장", "save", "primary", self.save),
                ("PIN 변경", "pin", "", self.change_pin),
                ("비활성화", "deactivate", "danger", self.deactivate))):
            b = button(t(text), look, act, name=f"staff-{key}")
            b.setMinimumHeight(56)
            self.buttons[key] = b
            grid.addWidget(b, n // 2, n % 2)
        col.addLayout(grid)
        return panel

    # --- data -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def viewer(self) -> StaffMember | None:
        """Who manages: the member who unlocked the screen, else who is logged in (the core
        refuses anyone but the owner)."""
        return self.owner or self.context.register.staff

    def reload(self) -> None:
        self.members = self.admin.members()
        keep = self.selected
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.members))
        for row, m in enumerate(self.members):
            cells = (m.name, t(ROLE_WORDS[m.role]), t("사용 중") if m.active else t("비활성"),
                     "⚠ " + t("데모 PIN") if m.pin_demo and m.active else "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not m.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, c, item)
        self.table.blockSignals(False)
        rows = [n for n, m in enumerate(self.members) if m.id == keep]
        if rows:
            self.table.selectRow(rows[0])
        else:
            self.new_member()
        self._show_failures()
        demo = self.context.staff.demo_pins_left()
        self.demo_note.setText(f"⚠ {t('데모 PIN')}: {', '.join(demo)}" if demo else "")
        self.demo_note.setVisible(bool(demo))

    def _show_failures(self) -> None:
        seen = self.admin.failed_logins(50)
        self.failures.setRowCount(len(seen))
        for row, f in enumerate(seen):
            locked = f"{f.locked_s}초" if f.locked_s else ""
            for c, text in enumerate((f"{f.at:%m-%d %H:%M:%S}", f.terminal, str(f.failures),
                                      locked)):
                self.failures.setItem(row, c, QTableWidgetItem(text))

    def _picked(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if not rows:
            return
        member = self.members[min(rows)]
        self.selected = member.id
        self._armed_deactivate = None
        self.form_title.setText(member.name)
        self.name_edit.setText(member.name)
        self.role_group.button(list(Role).index(member.role)).setChecked(True)
        for key in ("save", "pin", "deactivate"):
            self.buttons[key].setEnabled(member.active)
        self.message.setText("")

    def _role(self) -> Role:
        return list(Role)[max(0, self.role_group.checkedId())]

    # --- actions --------------------------------------------------------------------------------

    def back(self) -> None:
        self.window_.show_screen("cashier")

    def new_member(self) -> None:
        self.table.clearSelection()
        self.selected = NEW
        self._armed_deactivate = None
        self.form_title.setText(t("새 직원"))
        self.name_edit.setText("")
        self.role_group.button(0).setChecked(True)
        self.buttons["save"].setEnabled(True)
        self.buttons["pin"].setEnabled(False)
        self.buttons["deactivate"].setEnabled(False)
        self.message.setText("")

    def save(self) -> None:
        """A new member (with a PIN typed twice), or the selected one's name and role."""
        name, role, by = self.name_edit.text(), self._role(), self.viewer()
        if by is None:
            self.message.setText(AuthError("staff.login_required"))
            return
        if self.selected == NEW:
            pin = ask_new_pin(self, self.message.setText)
            if pin is not None:
                self._run(lambda: self.admin.add(name, role, pin, by))
            return
        member = next(m for m in self.members if m.id == self.selected)

        def job() -> None:
            if " ".join(name.split()) != member.name:
                self.admin.rename(member.id, name, by)
            if role is not member.role:
                self.admin.set_role(member.id, role, by)

        self._run(job)

    def change_pin(self) -> None:
        by, staff_id = self.viewer(), self.selected
        if by is None or staff_id == NEW:
            return
        pin = ask_new_pin(self, self.message.setText)
        if pin is not None:
            self._run(lambda: self.admin.set_pin(staff_id, pin, by))

    def deactivate(self) -> None:
        """Two taps: the first asks to tap again."""
        by, staff_id = self.viewer(), self.selected
        if by is None or staff_id == NEW:
            return
        if self._armed_deactivate != staff_id:
            self._armed_deactivate = staff_id
            self.message.setText(t("한 번 더 누르세요"))
            return
        self._armed_deactivate = None
        self._run(lambda: self.admin.deactivate(staff_id, by))

    def _run(self, job: Callable[[], object]) -> None:
        self.message.setText("")  # the last result is not this one's
        def done(result: object) -> None:
            if isinstance(result, StaffMember):
                self.selected = result.id
            self.reload()
            self.message.setText(t("저장했습니다"))

        run_op(self, job, on_success=done, on_error=self._failed, label=t("저장 중..."))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, (AuthError, StoreError)):
            self.message.setText(error)
        else:
            self.message.setText(f"오류 (error): {error}")


def create(context: AppContext, window: Any) -> StaffScreen:
    return StaffScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """As the owner sees it after their PIN, the first member picked."""
    assert isinstance(widget, StaffScreen)
    widget.owner = widget.context.staff.first(Role.OWNER)
    if widget.context.staff.all():
        widget.selected = widget.context.staff.all()[0].id
