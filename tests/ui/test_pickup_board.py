"""The 호출 list and the pickup board (주문번호 호출): a tap moves a number from 준비 중 to
완료 on the board, and the 진동벨 is told "call N"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.pager import SimPager
from drivers.sim.printer import SimPrinter
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.store import Database
from tests.ui.helpers import tap


@pytest.fixture
def cafe(data_dir: Path, qapp: Any) -> Iterator[tuple[AppContext, SimPager]]:
    """The demo cafe with a simulated pager and three takeout orders paid (numbers 1-3)."""
    from ui.app import ensure_app

    ensure_app("ko")
    settings = demo_settings(data_dir)
    db = Database(settings.db_path).open()
    printer, pager = SimPrinter(), SimPager()
    context = AppContext.create(settings, db, Devices(printer=printer, drawer=printer,
                                                      pager=pager), start_workers=False)
    register = context.register
    register.staff = context.staff.all()[0]
    context.sales.days.open(register.staff, 0)
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    for n in range(3):
        register.add_item(plain[n].id, qty=n + 1)
        assert register.pay_cash(register.remaining()).approved
    yield context, pager
    context.close()


def test_a_tap_on_the_call_list_moves_the_number_to_ready_on_the_board(
        cafe: Any, qtbot: Any) -> None:
    from ui.dialogs.order_call_list import CallListDialog
    from ui.screens.order_call import OrderBoardWindow

    context, pager = cafe
    board = OrderBoardWindow(context)
    qtbot.addWidget(board)
    board.resize(1024, 768)
    board.show()
    assert board.view.preparing_numbers() == [1, 2, 3]
    assert board.view.ready_numbers() == []
    dialog = CallListDialog(context, None)
    qtbot.addWidget(dialog)
    dialog.changed.connect(board.show_board)  # as the app wires a board on the same PC
    dialog.show()
    assert sorted(dialog.tiles) == [1, 2, 3]
    tap(dialog, "pickup-tile-2")
    qtbot.waitUntil(lambda: board.view.ready_numbers() == [2], timeout=5000)
    assert board.view.preparing_numbers() == [1, 3]
    assert 2 in board.view.highlighted_numbers()  # just called: it stands out
    assert board.chime.played == 1  # and the board chimed (a beep here: no sound device)
    assert pager.calls == [2]
    assert sorted(dialog.tiles) == [1, 3] and list(dialog.undo_buttons) == [2]
    tap(dialog, "pickup-undo-2")  # a mis-tap taken back
    qtbot.waitUntil(lambda: board.view.preparing_numbers() == [1, 2, 3], timeout=5000)
    assert board.view.ready_numbers() == [] and pager.calls == [2]
    dialog.done(0)
    board.stop_background()


def test_the_board_window_picks_up_a_call_made_elsewhere_by_itself(
        cafe: Any, qtbot: Any) -> None:
    """Another PC (the bar's tablet) called 1: the board's own refresh shows it."""
    from ui.screens.order_call import OrderBoardWindow

    context, _ = cafe
    board = OrderBoardWindow(context)
    qtbot.addWidget(board)
    board.show()
    context.pickup.mark_ready(1)
    qtbot.waitUntil(lambda: board.view.ready_numbers() == [1], timeout=5000)
    assert board.chime.played == 1
    board.stop_background()


def test_a_pager_that_is_off_is_said_and_the_number_is_ready_anyway(
        cafe: Any, qtbot: Any) -> None:
    from ui.dialogs.order_call_list import CallListDialog

    context, pager = cafe
    pager.offline = True
    dialog = CallListDialog(context, None)
    qtbot.addWidget(dialog)
    dialog.show()
    tap(dialog, "pickup-tile-1")
    qtbot.waitUntil(lambda: dialog.error.isVisible() and "진동벨" in dialog.error.text(),
                    timeout=5000)
    assert [t.number for t in context.pickup.board().ready] == [1]  # the 완료 stands
    assert pager.calls == []
    dialog.done(0)
