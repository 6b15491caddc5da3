"""주방 출력 실패: a banner on the floor and check screens while a kitchen printer is failing,
with 재출력 (send the slips again) and 다른 프린터로 (send them to another kitchen printer).

HOOK: the kitchen helper's status API (``context.kitchen``, branch r18-kitchen) is read
through :func:`failing_jobs`, :func:`reprint` and :func:`redirect` only, so wiring it is done
here once it is on main. Until then (no ``context.kitchen``) the banner stays hidden.
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
    return getattr(context, "kitchen", None)


def failing_jobs(context: AppContext) -> list[Any]:
    """The kitchen slips not printed because their printer is failing (job objects with
    ``id`` and ``printer``), or [] when there is no kitchen status yet."""
    kitchen = kitchen_of(context)
    failing = getattr(kitchen, "failing", None)
    if failing is None:
        return []
    try:
        return list(failing() if callable(failing) else failing)
    except Exception:  # noqa: BLE001 - a status read must never break the floor
        log.exception("reading the kitchen printers' status")
        return []


def printer_names(context: AppContext) -> list[str]:
    kitchen = kitchen_of(context)
    names = getattr(kitchen, "printers", None)
    if names is None:
        return []
    return [getattr(p, "name", str(p)) for p in (names() if callable(names) else names)]


class KitchenBanner(QWidget):
    """Hidden while every kitchen printer prints; ``poll()`` reads the status again."""

    def __init__(self, context: AppContext, say: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kitchen-banner")
        self.context, self.say = context, say
        self.jobs: list[Any] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.text = label("", "banner-danger", name="kitchen-banner-text")
        row.addWidget(self.text, 1)
        self.reprint = button(t("재출력"), "", self.reprint_all, name="kitchen-reprint")
        self.redirect = button(t("다른 프린터로"), "", self.choose_printer,
                               name="kitchen-redirect")
        row.addWidget(self.reprint)
        row.addWidget(self.redirect)
        self.hide()

    def poll(self) -> None:
        self.jobs = failing_jobs(self.context)
        if not self.jobs:
            self.hide()
            return
        printers = sorted({str(getattr(job, "printer", "")) for job in self.jobs})
        self.text.setText(f"{t('주방 출력 실패')}: {', '.join(printers)} · "
                          + t("{n}장 대기").replace("{n}", str(len(self.jobs))))
        self.show()

    def reprint_all(self) -> None:
        kitchen = kitchen_of(self.context)
        for job in self.jobs:
            try:
                kitchen.reprint(job.id)
            except Exception as exc:  # noqa: BLE001 - said on the screen, the slip is kept
                self.say(exc)
                break
        self.poll()

    def choose_printer(self) -> None:
        failing = {str(getattr(job, "printer", "")) for job in self.jobs}
        menu = QMenu(self)
        for name in printer_names(self.context):
            if name not in failing:
                menu.addAction(name, lambda n=name: self.redirect_all(n))
        if menu.isEmpty():
            self.say(t("다른 주방 프린터가 없습니다"))
            return
        menu.exec(self.redirect.mapToGlobal(self.redirect.rect().bottomLeft()))

    def redirect_all(self, printer: str) -> None:
        kitchen = kitchen_of(self.context)
        for job in self.jobs:
            try:
                kitchen.redirect(job.id, printer)
            except Exception as exc:  # noqa: BLE001 - said on the screen, the slip is kept
                self.say(exc)
                break
        self.poll()
