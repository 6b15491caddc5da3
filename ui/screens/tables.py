"""The restaurant's home screen (`tables`): the floor plan, zones as tabs, every table as a
tile with its state, guests, amount and minutes; a tap opens the table's check.

The floor is read from the check service (``context.checks``, kspos/sales/checks.py) in one
read (``floor()`` → FloorView) whenever the screen is shown and every few seconds while it is
(another terminal's orders), and painted by one widget (ui/widgets/floor_plan.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QMenu, QVBoxLayout, QWidget

from kspos.messages import DomainError
from kspos.sales.floor import STATE_WORDS, FloorView, TableState
from ui.dialogs.misc import PinDialog, ask_for_pin
from ui.i18n import Shown, current_language, t
from ui.widgets.common import button, label, message_label
from ui.widgets.floor_plan import FloorCanvas
from ui.widgets.kitchen_banner import KitchenBanner

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.sales.staff import StaffMember

log = logging.getLogger(__name__)
POLL_MS = 5000  # another terminal's rounds show within a few seconds
OWNER_SCREENS = (("판매집계", "sales", "reports"), ("마감", "closing", "close_day"),
                 ("메뉴 관리", "menu", "menu_edit"), ("직원 관리", "staff", "staff_admin"),
                 ("장치 점검", "device-test", "device_test"))


def checks_of(context: AppContext) -> Any:
    """The check service (kspos/sales/checks.py), None until the store has one."""
    return getattr(context, "checks", None)


def is_restaurant(context: AppContext) -> bool:
    return getattr(context.settings.store, "kind", "cafe") == "restaurant"


def staff_for(widget: QWidget, context: AppContext) -> StaffMember | None:
    """Who works at the counter: the logged-in staff, else the PIN pad logs someone in."""
    register = context.register
    if register.staff is None:
        dialog = PinDialog(widget, t("로그인") + " — " + t("PIN을 입력하세요"),
                           check=register.login, wait_s=context.staff.locked_for())
        dialog.exec()
        dialog.deleteLater()
    return register.staff


class TablesScreen(QWidget):
    retranslates: ClassVar[bool] = True

    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context, self.window_ = context, window
        self.zone_buttons = QButtonGroup(self)
        self.zone_buttons.setExclusive(True)
        self._zone_ids: tuple[int, ...] = ()
        self._build()
        self.poller = QTimer(self)
        self.poller.setInterval(POLL_MS)
        self.poller.timeout.connect(self.reload)

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        self.kitchen = KitchenBanner(self.context, self.say)
        root.addWidget(self.kitchen)
        head = QHBoxLayout()
        head.setSpacing(8)
        self.title = label(t("테이블 현황"), "title", name="tables-title")
        self.open_count = label("", "stat", name="tables-open-count")
        head.addWidget(self.title)
        head.addWidget(self.open_count)
        head.addStretch(1)
        self.buttons = {}
        for text, key in (("포장 주문", "takeout"), ("영수증 내역", "history"),
                          ("관리", "owner"), ("테이블 편집", "edit")):
            b = button(t(text) + (" ▾" if key == "owner" else ""), "", name=f"tables-{key}")
            b.setMinimumHeight(64)
            b.clicked.connect(lambda _=False, k=key: self.action(k))
            self.buttons[key] = b
            head.addWidget(b)
        root.addLayout(head)
        self.message = message_label("error", name="tables-message")
        self.message.hide()
        root.addWidget(self.message)
        zones = QHBoxLayout()
        zones.setSpacing(8)
        self.zone_row = QHBoxLayout()
        self.zone_row.setSpacing(8)
        zones.addLayout(self.zone_row)
        zones.addStretch(1)
        self.legend: list[tuple[QLabel, QLabel, TableState]] = []
        for state in TableState:
            swatch = label("", f"legend-{state.value}")
            swatch.setFixedSize(20, 20)
            words = label(STATE_WORDS[state].ko, "caption", name=f"legend-{state.value}")
            zones.addWidget(swatch)
            zones.addWidget(words)
            self.legend.append((swatch, words, state))
        root.addLayout(zones)
        self.canvas = FloorCanvas()
        self.canvas.tile_tapped.connect(self.open_table)
        root.addWidget(self.canvas, 1)
        self._retranslate()

    # --- the floor ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the floor again (one read) and repaint what changed."""
        service = checks_of(self.context)
        if service is None:
            return
        try:
            view = service.floor()
        except DomainError as exc:
            self.say(exc)
            return
        self.show_view(view)
        self.kitchen.poll()

    def show_view(self, view: FloorView) -> None:
        zone_ids = tuple(z.id for z in view.zones)
        if zone_ids != self._zone_ids or any(
                b.text() != z.label(current_language())
                for b, z in zip(self.zone_buttons.buttons(), view.zones, strict=False)):
            self._zone_tabs(view)
        self.canvas.set_view(view)
        if self.canvas.zone_id is not None:
            button_ = self.zone_buttons.button(self.canvas.zone_id)
            if button_ is not None:
                button_.setChecked(True)
        self.open_count.setText(t("열린 테이블 {n}").replace("{n}", str(view.open_checks)))

    def _zone_tabs(self, view: FloorView) -> None:
        for b in self.zone_buttons.buttons():
            self.zone_buttons.removeButton(b)
            b.deleteLater()
        lang = current_language()
        for zone in view.zones:
            b = button(zone.label(lang), "tab", name=f"zone-{zone.id}")
            b.setCheckable(True)
            b.setMinimumHeight(64)
            b.clicked.connect(lambda _=False, z=zone.id: self.canvas.set_zone(z))
            self.zone_buttons.addButton(b, zone.id)
            self.zone_row.addWidget(b)
        self._zone_ids = tuple(z.id for z in view.zones)

    def open_table(self, table_id: int) -> None:
        """A tap on a tile: that table's check (a new one on an empty table)."""
        if staff_for(self, self.context) is None:
            return
        screen = self.window_.screen_widget("check")
        if screen.open_table(table_id):
            self.window_.show_screen("check")

    # --- header -------------------------------------------------------------------------------

    def action(self, key: str) -> None:
        if key == "takeout":
            self.window_.show_screen("cashier", exact=True)  # takeout: the counter's screen
        elif key == "history":
            if staff_for(self, self.context) is not None:
                self.window_.show_screen("history")
        elif key == "owner":
            menu = QMenu(self)
            for text, screen, needs in OWNER_SCREENS:
                menu.addAction(t(text), lambda s=screen, n=needs: self.open_owner(s, n))
            b = self.buttons["owner"]
            menu.exec(b.mapToGlobal(b.rect().bottomLeft()))
        elif key == "edit":
            self.edit_floor()

    def owner_for(self, needs: str) -> StaffMember | None:
        owner = self.context.register.staff
        if owner is not None and owner.may(needs):
            return owner
        return ask_for_pin(self, self.context.staff, needs, self.say)

    def open_owner(self, screen: str, needs: str) -> None:
        owner = self.owner_for(needs)
        if owner is None:
            return
        widget = self.window_.screen_widget(screen)
        if hasattr(widget, "owner"):
            widget.owner = owner
        self.window_.show_screen(screen)

    def edit_floor(self) -> None:
        service = checks_of(self.context)
        if service is None:
            return
        owner = self.owner_for("floor_edit")
        if owner is None:
            return
        from ui.dialogs.floor_editor import FloorEditorDialog

        dialog = FloorEditorDialog(self, service, owner)
        dialog.exec()
        dialog.deleteLater()
        self.reload()

    def say(self, text: Shown, ok: bool = False) -> None:
        self.message.say(text, ok)
        self.message.setVisible(bool(text))
        if text:
            QTimer.singleShot(6000, self, lambda: self.say("") if self.message.text()
                              == str(text) else None)

    # --- life -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()
        self.poller.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.poller.stop()

    def stop_background(self) -> None:
        self.poller.stop()
        self.canvas.ticker.stop()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.title.setText(t("테이블 현황"))
        for text, key in (("포장 주문", "takeout"), ("영수증 내역", "history"),
                          ("관리", "owner"), ("테이블 편집", "edit")):
            self.buttons[key].setText(t(text) + (" ▾" if key == "owner" else ""))
        lang = current_language()
        for _swatch, words, state in self.legend:
            words.setText(STATE_WORDS[state].en if lang == "en" else STATE_WORDS[state].ko)
        self._zone_ids = ()  # zone names again in the new language on the next show
        self.canvas.retranslate()
        if self.canvas.view.zones:
            self.show_view(self.canvas.view)


def create(context: AppContext, window: Any) -> TablesScreen:
    return TablesScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """A sample evening in demo mode: the demo floor with some tables eating."""
    from ui.screens.restaurant_samples import sample_evening

    assert isinstance(widget, TablesScreen)
    sample_evening(widget.context)
    widget.reload()
