"""The cashier screen's 메뉴 ▾ and the counter's session: the owner screens behind a PIN, table
number, reprints, 연습 모드, the language, the cashier's own PIN, log in and out, and opening
the 영업일 with its float; and the pickup 호출 list. Mixed into CashierScreen."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMenu

from ui.dialogs.misc import AmountDialog, PinDialog, ask_for_pin
from ui.i18n import current_language, install_language, t
from ui.widgets.common import label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget as _Base

    from kspos.context import AppContext
    from kspos.sales.register import Register
else:
    _Base = object

log = logging.getLogger(__name__)


class CounterMenu(_Base):
    """Needs ``context``, ``register``, ``window_``, ``buttons``, ``say``, ``refresh`` and
    ``guarded`` from the screen it is mixed into."""

    context: AppContext
    register: Register
    window_: Any
    buttons: dict[str, Any]

    if TYPE_CHECKING:
        def say(self, text: str, ok: bool = False) -> None: ...
        def refresh(self, select: int | None = None) -> None: ...
        def guarded(self, action: Any, *args: Any) -> Any: ...

    def _do_calls(self) -> None:
        """The 호출 list: 준비 중 → 완료 by one tap; a board window on this PC shows it at
        once (and the customer display's half, when the board is there)."""
        from ui.dialogs.order_call_list import CallListDialog

        if self.context.pickup is None:
            return
        dialog = CallListDialog(self.context, self)
        boards = [w for w in getattr(self.window_, "customer_windows", [])
                  if hasattr(w, "show_board")]
        boards += [w.board for w in getattr(self.window_, "customer_windows", [])
                   if getattr(w, "board", None) is not None]
        for board in boards:
            dialog.changed.connect(board.show_board)
        dialog.exec()
        dialog.deleteLater()

    def _more_menu(self) -> None:
        menu = QMenu(self)
        if "tables" in self.window_.screens:  # a restaurant's takeout: back to the floor
            menu.addAction(t("테이블로"), lambda: self.window_.show_screen("tables"))
        for text, target in (("판매집계", "sales"), ("마감", "closing"), ("메뉴 관리", "menu"),
                             ("직원 관리", "staff"), ("장치 점검", "device-test")):
            menu.addAction(t(text), lambda s=target: self._open_owner_screen(s))
        if self.register.staff is not None:
            menu.addAction(t("내 PIN 변경"), self._change_own_pin)
        menu.addSeparator()
        menu.addAction(t("테이블 번호"), self._set_table)
        menu.addAction(t("프린터 다시 인쇄"), self._retry_printing)
        training = menu.addAction(t("연습 모드"))
        training.setCheckable(True)
        training.setChecked(self.register.training)
        training.triggered.connect(lambda on: self._set_training(on))
        menu.addAction("English" if current_language() == "ko" else "한국어",
                       self._toggle_language)
        menu.addAction(t("로그아웃"), self._logout)
        menu.exec(self.buttons["more"].mapToGlobal(self.buttons["more"].rect().topLeft()))

    def _open_owner_screen(self, screen: str) -> None:
        needs = {"sales": "reports", "closing": "close_day", "menu": "menu_edit",
                 "staff": "staff_admin", "device-test": "device_test"}[screen]
        owner = self.register.staff
        if owner is None or not owner.may(needs):
            owner = ask_for_pin(self, self.context.staff, needs, self.say)
            if owner is None:
                return
        widget = self.window_.screen_widget(screen)
        if hasattr(widget, "owner"):
            widget.owner = owner  # who unlocked the screen: it need not ask again
        self.window_.show_screen(screen)

    def _set_table(self) -> None:
        dialog = AmountDialog(self, t("테이블 번호"))
        dialog.value_label.setText("")
        dialog.keypad.changed.disconnect()
        dialog.keypad.changed.connect(dialog.value_label.setText)
        if dialog.exec() == AmountDialog.DialogCode.Accepted:
            number = dialog.keypad.text.lstrip("0")
            self.guarded(self.register.set_table, number[:4] or None)
            self.refresh()

    def _retry_printing(self) -> None:
        from ui.printing import retry_printing

        retry_printing(self, self.context, self.say)

    def _set_training(self, on: bool) -> None:
        self.guarded(self.register.set_training, on)
        self.refresh()

    def _toggle_language(self) -> None:
        """Switch every screen live, and keep the choice for the next start."""
        from PySide6.QtWidgets import QApplication

        from kspos.config.writer import remember_language

        app = QApplication.instance()
        if app is None:
            return
        lang = "en" if current_language() == "ko" else "ko"
        install_language(app, lang)
        self.context.lang = lang
        try:
            remember_language(self.context.settings, lang)
        except OSError as exc:
            log.warning("language not kept for the next start: %s", exc)
            self.say(f"{t('설정 파일을 저장하지 못했습니다')}: {exc.strerror or exc}")

    def _change_own_pin(self) -> None:
        from ui.screens.staff import change_own_pin

        change_own_pin(self, self.context, self.say)

    def _logout(self) -> None:
        self.register.logout()
        self.refresh()

    def login(self) -> bool:
        """The PIN pad until a PIN logs someone in (True) or the cashier gives up."""
        dialog = PinDialog(self, t("로그인") + " — " + t("PIN을 입력하세요"),
                           check=self.register.login, wait_s=self.context.staff.locked_for())
        accepted = dialog.exec() == PinDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.refresh()
        return accepted

    def open_day(self) -> bool:
        """Ask the float for the 영업일 that will really open (the day after a closed one
        when today's was already closed) and open it."""
        from kspos.reports.periods import day_label

        days = self.context.sales.days
        next_day = self.guarded(days.next_day)
        if next_day is None:
            return False
        dialog = AmountDialog(self, f"{t('영업 시작')} {day_label(next_day)} — {t('시재금')}",
                              100_000)
        if next_day != days.clock().date().isoformat():
            note = label(t("오늘 영업일은 마감되었습니다: 다음 영업일로 시작합니다"), "muted",
                         name="open-day-note")
            note.setWordWrap(True)
            dialog.body.insertWidget(0, note)
        if dialog.exec() != AmountDialog.DialogCode.Accepted:
            return False
        day = self.guarded(days.open, self.register.staff, dialog.value())
        self.refresh()
        # another register may have opened the day a moment before: sell on it
        return day is not None or self.context.current_day() is not None
