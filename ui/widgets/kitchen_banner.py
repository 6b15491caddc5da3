"""주방 출력 실패: a banner on the floor and check screens while a kitchen printer is failing,
with 재출력 (send the slips again) and 다른 프린터로 (send them to another kitchen printer).

The kitchen helper's desk (``context.kitchen``: ``failing()``, ``pending(name)``,
``redirect(job_id, printer)``, its ``workers``) is read here only; without it (no
``[[kitchen]]`` printer, or before that work is merged) the banner stays hidden.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QMenu, QWidget

from ui.i18n import t
from ui.widgets.common import button, label

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)


def kitchen_of(context: AppContext) -> Any:
    """The kitchen desk (kspos/receipts/kitchen_queue.py ``KitchenDesk``), None when the store
    has no ``[[kitchen]]`` printer (or before the kitchen helper's work is merged)."""
    return getattr(context, "kitchen", None)


def failing_printers(context: AppContext) -> list[Any]:
    """The kitchen printers with slips that did not print (``KitchenStatus``: name, failing,
    last_error), or [] when all print."""
    kitchen = kitchen_of(context)
    if kitchen is None:
        return []
    try:
        return list(kitchen.failing())
    except Exception:  # noqa: BLE001 - a status read must never break the floor
        log.exception("reading the kitchen printers' status")
        return []


def printer_names(context: AppContext) -> list[str]:
    kitchen = kitchen_of(context)
    return [k.name for k in getattr(kitchen, "kitchens", ())]


class KitchenBanner(QWidget):
    """Hidden while every kitchen printer prints; ``poll()`` reads the status again.

    재출력 tries the failing printers' waiting slips again now (their workers also retry on
    their own, with backoff); 다른 프린터로 moves those slips to another kitchen printer."""

    def __init__(self, context: AppContext, say: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kitchen-banner")
        self.context, self.say = context, say
        self.failing: list[Any] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.text = label("", "banner-danger", name="kitchen-banner-text")
        row.addWidget(self.text, 1)
        self.reprint = button(t("재출력"), "", self.retry_all, name="kitchen-reprint")
        self.redirect = button(t("다른 프린터로"), "", self.choose_printer,
                               name="kitchen-redirect")
        for b in (self.reprint, self.redirect):
            b.setMinimumHeight(56)
            row.addWidget(b)
        self.hide()

    def poll(self) -> None:
        self.failing = failing_printers(self.context)
        if not self.failing:
            self.hide()
            return
        names = ", ".join(s.name for s in self.failing)
        waiting = sum(s.failing for s in self.failing)
        self.text.setText(f"{t('주방 출력 실패')}: {names} · "
                          + t("{n}장 대기").replace("{n}", str(waiting)))
        self.redirect.setVisible(len(printer_names(self.context)) > 1)
        self.show()

    def retry_all(self) -> None:
        kitchen = kitchen_of(self.context)
        for status in self.failing:
            worker = kitchen.workers.get(status.name) if kitchen is not None else None
            if worker is not None:
                worker.wake()
        self.poll()

    def choose_printer(self) -> None:
        failing = {s.name for s in self.failing}
        menu = QMenu(self)
        for name in printer_names(self.context):
            if name not in failing:
                menu.addAction(name, lambda n=name: self.redirect_all(n))
        if menu.isEmpty():
            self.say(t("다른 주방 프린터가 없습니다"))
            return
        menu.exec(self.redirect.mapToGlobal(self.redirect.rect().bottomLeft()))

    def redirect_all(self, printer: str) -> None:
        """Every waiting slip of the failing printers to ``printer``."""
        kitchen = kitchen_of(self.context)
        if kitchen is None:
            return
        for status in self.failing:
            for job in kitchen.pending(status.name):
                try:
                    kitchen.redirect(job.id, printer)
                except Exception as exc:  # noqa: BLE001 - said on the screen, the slip stays
                    self.say(f"{t('주방 출력 실패')}: {exc}")
                    self.poll()
                    return
        self.say(f"{t('다른 프린터로')}: {printer}", ok=True)
        self.poll()
