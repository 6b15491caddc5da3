"""`kspos shot payment`: the cashier screen with the cash payment dialog open over it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ui.dialogs.cash import CashDialog
from ui.screens.cashier import CashierScreen
from ui.screens.samples import demo_sample_order

if TYPE_CHECKING:
    from kspos.context import AppContext


def create(context: AppContext, window: Any) -> QWidget:
    screen = window.screen_widget("cashier")
    return screen  # type: ignore[no-any-return]


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    assert isinstance(widget, CashierScreen)
    demo_sample_order(widget.context)
    widget.refresh(select=0)
    dialog = CashDialog(widget.register.remaining(), widget)
    dialog.quick(50_000)
    dialog.show()
