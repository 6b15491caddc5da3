"""분할 계산: a table's bill split three ways (메뉴별, N분의 1, 금액별), each part's amount and
whether it is paid, and a 결제 button per part.

The arithmetic is kspos.sales.split_bill's: the dialog only collects the choice (lines tapped
into parts, a count, typed amounts) and shows the plan it gives, or its refusal. ``on_plan``
stores a plan (the check service's ``set_split``) and ``on_pay(part)`` opens the tender choice
for one part; ``paid`` are the parts already paid. Once a part is paid the plan is kept: the
tabs are locked and the rest is paid later, part by part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.split_bill import (
    MAX_PARTS,
    BillLine,
    SplitError,
    SplitPart,
    SplitPlan,
    split_amounts,
    split_equal,
    split_items,
)
from ui.dialogs.base import TouchDialog
from ui.i18n import t, won
from ui.widgets.common import Keypad, button, label

TABS = (("메뉴별", "items"), ("N분의 1", "equal"), ("금액별", "amount"))


def part_name(index: int) -> str:
    return t("{n}번").replace("{n}", str(index + 1))


class SplitBillDialog(TouchDialog):
    def __init__(self, parent: QWidget | None, lines: Sequence[BillLine], due: int,
                 on_plan: Callable[[SplitPlan], bool], on_pay: Callable[[SplitPart], None],
                 plan: SplitPlan | None = None, paid: frozenset[int] = frozenset()) -> None:
        super().__init__(parent, t("분할 계산"))
        self.setObjectName("SplitBillDialog")
        self.lines, self.due = list(lines), due
        self.on_plan, self.on_pay = on_plan, on_pay
        self.plan, self.paid = plan, paid
        self.saved = plan is not None  # the plan on the check (not only on this screen)
        self.parts_n = 2
        self.amounts: list[int] = []
        self.assignment: list[list[tuple[int, int]]] = [[], []]
        self.current = 0  # the part a tapped line goes to (메뉴별)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(self._choice_column(), 3)
        columns.addLayout(self._parts_column(), 2)
        self.body.addLayout(columns, 1)
        self.cancel_button.setText(t("닫기"))
        self.setMinimumSize(900, 600)
        self.show_tab(1 if plan is None or plan.kind.value == "equal" else
                      0 if plan.kind.value == "items" else 2, compute=plan is None)
        if plan is not None:
            self.show_parts()

    # --- layout -------------------------------------------------------------------------------

    def _choice_column(self) -> QVBoxLayout:
        col = QVBoxLayout()
        tabs = QHBoxLayout()
        self.tab_group = QButtonGroup(self)
        for n, (text, key) in enumerate(TABS):
            b = button(t(text), "tab", lambda i=n: self.show_tab(i), name=f"split-tab-{key}")
            b.setCheckable(True)
            self.tab_group.addButton(b, n)
            tabs.addWidget(b)
        col.addLayout(tabs)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._items_page())
        self.pages.addWidget(self._equal_page())
        self.pages.addWidget(self._amount_page())
        col.addWidget(self.pages, 1)
        return col

    def _items_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(label(t("메뉴를 눌러 선택한 몫에 넣으세요"), "muted"))
        self.part_row = QHBoxLayout()
        col.addLayout(self.part_row)
        self.part_group = QButtonGroup(self)
        self.line_list = QListWidget()
        self.line_list.setObjectName("split-lines")
        self.line_list.setProperty("touch", True)
        self.line_list.itemClicked.connect(self._line_tapped)
        col.addWidget(self.line_list, 1)
        return page

    def _equal_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(label(t("몇 명이 나누어 낼까요?"), "muted"))
        row = QHBoxLayout()
        self.minus = button("−", "key", lambda: self.set_parts(self.parts_n - 1),
                            name="split-minus")
        self.count = label("2", "big-amount", name="split-count",
                           align=Qt.AlignmentFlag.AlignCenter)
        self.plus = button("+", "key", lambda: self.set_parts(self.parts_n + 1),
                           name="split-plus")
        for w in (self.minus, self.count, self.plus):
            w.setMinimumSize(96, 72)
            row.addWidget(w)
        col.addLayout(row)
        col.addStretch(1)
        return page

    def _amount_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(label(t("한 사람이 낼 금액을 입력하고 몫 추가를 누르세요"), "muted"))
        self.typed = label("0원", "big-amount", name="split-typed",
                           align=Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.typed)
        self.keypad = Keypad(max_digits=9)
        self.keypad.changed.connect(lambda _t: self.typed.setText(won(self.keypad.value())))
        col.addWidget(self.keypad, 1)
        row = QHBoxLayout()
        row.addWidget(button(t("몫 추가"), "primary", self.add_amount, name="split-add-amount"))
        row.addWidget(button(t("다시 입력"), "", self.clear_amounts, name="split-clear"))
        col.addLayout(row)
        return page

    def _parts_column(self) -> QVBoxLayout:
        col = QVBoxLayout()
        col.addWidget(label(t("나눌 금액"), "muted"))
        self.due_label = label(won(self.due), "total", name="split-due",
                               align=Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.due_label)
        self.parts_box = QGridLayout()
        self.parts_box.setSpacing(8)
        host = QWidget()
        host.setLayout(self.parts_box)
        col.addWidget(host)
        col.addStretch(1)
        return col

    # --- choosing -----------------------------------------------------------------------------

    def show_tab(self, index: int, compute: bool = True) -> None:
        self.tab_group.button(index).setChecked(True)
        self.pages.setCurrentIndex(index)
        self.kind = TABS[index][1]
        locked = bool(self.paid)
        for b in self.tab_group.buttons():
            b.setEnabled(not locked)
        if index == 0:
            self._fill_items()
        if compute and not locked:
            self.recompute()

    def set_parts(self, n: int) -> None:
        self.parts_n = max(2, min(MAX_PARTS, n))
        self.count.setText(str(self.parts_n))
        self.minus.setEnabled(self.parts_n > 2)
        self.plus.setEnabled(self.parts_n < MAX_PARTS)
        self.recompute()

    def add_amount(self) -> None:
        if self.keypad.value() > 0:
            self.amounts.append(self.keypad.value())
            self.keypad.set_text("")
            self.recompute()

    def clear_amounts(self) -> None:
        self.amounts.clear()
        self.keypad.set_text("")
        self.recompute()

    def _left(self, index: int) -> int:
        """How much of line ``index`` is not in a part yet."""
        given = sum(q for part in self.assignment for i, q in part if i == index)
        return self.lines[index].qty - given

    def _fill_items(self) -> None:
        while self.part_row.count():
            item = self.part_row.takeAt(0)
            gone = item.widget() if item is not None else None
            if gone is not None:  # off the dialog now, deleted later
                gone.setParent(None)
                gone.deleteLater()
        for b in self.part_group.buttons():
            self.part_group.removeButton(b)
        for n in range(len(self.assignment)):
            b = button(part_name(n), "choice", lambda i=n: self.choose_part(i),
                       name=f"split-part-{n}")
            b.setCheckable(True)
            b.setChecked(n == self.current)
            self.part_group.addButton(b, n)
            self.part_row.addWidget(b)
        more = button("+ " + t("몫"), "", self.add_part, name="split-add-part")
        more.setEnabled(len(self.assignment) < MAX_PARTS)
        self.part_row.addWidget(more)
        self.line_list.clear()
        for index, line in enumerate(self.lines):
            left = self._left(index)
            where = [f"{part_name(p)} {q}" for p, part in enumerate(self.assignment)
                     for i, q in part if i == index]
            if left > 0:
                where.append(f"{t('남음')} {left}")
            text = f"{line.name} × {line.qty}   {won(line.amount)}\n    {' · '.join(where)}"
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, index)
            if left <= 0:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.line_list.addItem(row)

    def choose_part(self, index: int) -> None:
        self.current = index
        self._fill_items()

    def add_part(self) -> None:
        self.assignment.append([])
        self.current = len(self.assignment) - 1
        self._fill_items()
        self.recompute()

    def _line_tapped(self, item: QListWidgetItem) -> None:
        self.tap_line(int(item.data(Qt.ItemDataRole.UserRole)))

    def tap_line(self, index: int) -> None:
        """One more of line ``index`` into the chosen part; a line with none left comes back
        out of every part (a mistake is undone by tapping it again)."""
        if self._left(index) <= 0:
            for part in self.assignment:
                part[:] = [(i, q) for i, q in part if i != index]
        else:
            part = self.assignment[self.current]
            qty = next((q for i, q in part if i == index), 0)
            part[:] = [(i, q) for i, q in part if i != index] + [(index, qty + 1)]
        self._fill_items()
        self.recompute()

    # --- the plan -----------------------------------------------------------------------------

    def recompute(self) -> None:
        """The plan for the current choice, or the core's refusal in words."""
        try:
            if self.kind == "equal":
                plan: SplitPlan | None = split_equal(self.due, self.parts_n)
            elif self.kind == "amount":
                plan = split_amounts(self.due, self.amounts) if self.amounts else None
            elif not any(self.assignment):  # nothing tapped yet: the hint says what to do
                plan = None
            else:
                plan = split_items(self.lines, self.due, self.assignment)
            self.show_error("")
        except SplitError as exc:
            plan = None
            self.show_error(exc)
        self.plan, self.saved = plan, False
        self.show_parts()

    def show_parts(self) -> None:
        while self.parts_box.count():
            item = self.parts_box.takeAt(0)
            gone = item.widget() if item is not None else None
            if gone is not None:  # off the dialog now, deleted later
                gone.setParent(None)
                gone.deleteLater()
        if self.plan is None:
            return
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, part in enumerate(self.plan.parts):
            name = label(part_name(part.index), "stat")
            if part.lines:  # 메뉴별: what this part pays for, to check with the guests
                name.setText(part_name(part.index) + "\n" + ", ".join(
                    f"{self.lines[i].name} ×{q}" for i, q in part.lines if i < len(self.lines)))
                name.setWordWrap(True)
            self.parts_box.addWidget(name, row, 0)
            self.parts_box.addWidget(label(won(part.amount), "stat", name=f"part-amount-{row}",
                                           align=right), row, 1)
            if part.index in self.paid:
                done = label(t("결제 완료"), "success", name=f"part-paid-{row}", align=right)
                self.parts_box.addWidget(done, row, 2)
            else:
                b = button(t("결제"), "pay", lambda p=part: self.pay(p), name=f"part-pay-{row}")
                b.setMinimumWidth(120)
                self.parts_box.addWidget(b, row, 2)

    def pay(self, part: SplitPart) -> None:
        """The plan is stored on the check before its first part is paid."""
        if self.plan is None:
            return
        if not self.saved:
            if not self.on_plan(self.plan):
                return
            self.saved = True
        self.on_pay(part)

    def set_paid(self, paid: frozenset[int], plan: SplitPlan | None = None) -> None:
        """After a part's tender: which parts are paid now (and the stored plan)."""
        self.paid = paid
        if plan is not None:
            self.plan, self.saved = plan, True
        for b in self.tab_group.buttons():
            b.setEnabled(not paid)
        self.show_parts()
        if self.plan is not None and len(paid) >= len(self.plan.parts):
            self.accept()
