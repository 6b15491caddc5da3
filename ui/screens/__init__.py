"""Screen factory: each screen module is imported only when first shown."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kspos.context import AppContext

@runtime_checkable
class RunsInBackground(Protocol):
    """A screen with polls, saves or a scanner pump: stopped before the store closes and
    before the screen is dropped."""

    def stop_background(self) -> None: ...


@runtime_checkable
class Retranslates(Protocol):
    """A screen that rewrites its own texts on LanguageChange (it is kept, not rebuilt)."""

    retranslates: ClassVar[bool]


SCREEN_MODULES: dict[str, str] = {
    "cashier": "ui.screens.cashier",
    "payment": "ui.screens.payment",
    "history": "ui.screens.history",
    "sales": "ui.screens.sales",
    "menu": "ui.screens.menu_editor",
    "closing": "ui.screens.closing",
    "device-test": "ui.screens.device_test",
    "staff": "ui.screens.staff",
    "tables": "ui.screens.tables",  # restaurant mode: the floor plan (home)
    "check": "ui.screens.check",  # restaurant mode: a table's check
    "customer-display": "ui.screens.customer_display",  # the window facing the customer
    "order-call": "ui.screens.order_call",  # the pickup board (주문번호 호출)
}


def create_screen(name: str, context: AppContext, window: Any) -> QWidget:
    module = importlib.import_module(SCREEN_MODULES[name])
    widget: QWidget = module.create(context, window)
    return widget


def prepare_for_shot(name: str, widget: QWidget, window: Any) -> None:
    """Give a screenshot something to show (a sample order, an open dialog)."""
    module = importlib.import_module(SCREEN_MODULES[name])
    hook = getattr(module, "prepare_for_shot", None)
    if hook is not None:
        hook(widget, window)
