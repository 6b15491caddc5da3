"""Small dialogs of a table's check: the floor picker (테이블 이동, 합석), the guest count (인원),
and a memo with the kitchen's usual words (메모)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLineEdit, QWidget

from kspos.sales.checks import MAX_GUESTS
from kspos.sales.floor import FloorView, TableTile
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t
from ui.widgets.common import button, label
from ui.widgets.floor_plan import FloorCanvas

MEMO_WORDS = ("덜 맵게", "맵게", "소스 따로", "빨리", "나중에", "얼음 빼고", "포장")


class TablePickDialog(TouchDialog):
    """The floor, small: tap the target table. ``allowed(tile)`` says which may be picked (an
    empty one to move to, an occupied one to merge); the others are greyed."""

    def __init__(self, parent: QWidget | None, title: str, view: FloorView,
                 allowed: Callable[[TableTile], bool]) -> None:
        super().__init__(parent, title)
        self.setObjectName("TablePickDialog")
        self.chosen: int | None = None
        tabs = QHBoxLayout()
        group = QButtonGroup(self)
        self.canvas = FloorCanvas()
        self.canvas.ticker.stop()
        self.canvas.disabled = {t.place.id for t in view.tiles if not allowed(t)}
        lang = current_language()
        for zone in view.zones:
            b = button(zone.label(lang), "tab", name=f"pick-zone-{zone.id}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, z=zone.id: self.canvas.set_zone(z))
            group.addButton(b, zone.id)
            tabs.addWidget(b)
        tabs.addStretch(1)
        self.body.addLayout(tabs)
        self.canvas.set_view(view)
        if self.canvas.zone_id is not None and group.button(self.canvas.zone_id):
            group.button(self.canvas.zone_id).setChecked(True)
        self.canvas.tile_tapped.connect(self.pick)
        self.body.addWidget(self.canvas, 1)
        self.cancel_button.setMinimumHeight(64)
        self.setMinimumSize(860, 620)

    def pick(self, table_id: int) -> None:
        self.chosen = table_id
        self.accept()


class GuestsDialog(TouchDialog):
    """인원: one tap on the count (1-12), or − / + up to 99 for a large party, then 확인."""

    def __init__(self, parent: QWidget | None, current: int = 0) -> None:
        super().__init__(parent, t("인원"))
        self.setObjectName("GuestsDialog")
        self.guests = current
        grid = QGridLayout()
        grid.setSpacing(8)
        for n in range(1, 13):
            b = button(t("{n}명").replace("{n}", str(n)), "choice" if n != current else "primary",
                       lambda k=n: self.choose(k), name=f"guests-{n}")
            b.setMinimumSize(96, 72)
            grid.addWidget(b, (n - 1) // 4, (n - 1) % 4)
        self.body.addLayout(grid)
        # A party larger than the tiles (단체): counted with − / +, confirmed with 확인.
        self.large = max(current, 13)
        row = QHBoxLayout()
        row.setSpacing(8)
        for text, step in (("−10", -10), ("−", -1)):
            row.addWidget(self._stepper(text, step))
        self.large_label = label("", "title", name="guests-large",
                                 align=Qt.AlignmentFlag.AlignCenter)
        self.large_label.setMinimumWidth(140)
        row.addWidget(self.large_label, 1)
        for text, step in (("+", 1), ("+10", 10)):
            row.addWidget(self._stepper(text, step))
        self.body.addLayout(row)
        self.ok = self.add_ok("", lambda: self.choose(self.large), name="guests-ok")
        self._show_large()

    def _stepper(self, text: str, step: int) -> QWidget:
        b = button(text, "", lambda: self.step_large(step),
                   name=f"guests-step{'+' if step > 0 else ''}{step}")
        b.setMinimumSize(80, 72)
        return b

    def step_large(self, step: int) -> None:
        self.large = min(MAX_GUESTS, max(1, self.large + step))
        self._show_large()

    def _show_large(self) -> None:
        count = t("{n}명").replace("{n}", str(self.large))
        self.large_label.setText(count)
        self.ok.setText(f"{count} {t('확인')}")  # says what 확인 sets, next to the tiles

    def choose(self, n: int) -> None:
        self.guests = n
        self.accept()


class MemoDialog(TouchDialog):
    """A memo to the kitchen: the usual words in one tap each, or typed."""

    def __init__(self, parent: QWidget | None, title: str, memo: str = "") -> None:
        super().__init__(parent, title)
        self.setObjectName("MemoDialog")
        self.edit = QLineEdit(memo)
        self.edit.setObjectName("memo-edit")
        self.edit.setMaxLength(60)
        self.body.addWidget(self.edit)
        grid = QGridLayout()
        grid.setSpacing(8)
        for n, word in enumerate(MEMO_WORDS):
            b = button(t(word), "", lambda w=word: self.add_word(w), name=f"memo-word-{n}")
            b.setMinimumHeight(56)
            grid.addWidget(b, n // 4, n % 4)
        self.body.addLayout(grid)
        clear = button(t("지우기"), "", lambda: self.edit.setText(""), name="memo-clear")
        self.buttons.insertWidget(1, clear)
        self.add_ok(t("확인"), self.accept)

    def add_word(self, word: str) -> None:
        text = self.edit.text().strip()
        self.edit.setText(f"{text}, {t(word)}" if text else t(word))

    @property
    def memo(self) -> str:
        return self.edit.text().strip()
