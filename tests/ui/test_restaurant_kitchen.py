"""주방 출력 실패 on the check and floor screens: a kitchen printer down (its port closed on
loopback) shows the banner after a round, the order is not held up, and 다른 프린터로 sends
the waiting slip to the other kitchen printer, which prints it; then the banner goes."""

from __future__ import annotations

import socket

import pytest

from kspos.sales.floor import demo_floor
from tests.ui.helpers import on_next_dialog, tap

kitchen_queue = pytest.importorskip("kspos.receipts.kitchen_queue")  # the kitchen helper's


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_failing_kitchen_printer_shows_the_banner_until_its_slip_goes_elsewhere(
        window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from drivers.registry import build_printer
    from kspos.config.kitchen import KitchenSettings
    from kspos.sales.checks import CheckService
    from tests.integration.printing.escpos_server import EscposServer

    categories = tuple(c.name for c in context.catalog.categories)
    with EscposServer() as bar:
        desk = kitchen_queue.KitchenDesk(
            (KitchenSettings("주방", f"tcp:127.0.0.1:{closed_port()}", categories=categories),
             KitchenSettings("바", bar.spec, categories=("none",))),
            context.db, build_printer, idle_poll_s=0.05).start()
        try:
            context.kitchen = desk
            context.checks = CheckService(context.db, context.sales, on_kitchen=desk.on_kitchen)
            context.checks.seed_floor(demo_floor())
            context.register.login("1111")
            context.sales.days.open(context.register.staff, 0)
            tables = window.show_screen("tables")
            table = next(t.place.id for t in context.checks.floor().tiles)
            on_next_dialog(lambda d: tap(d, "guests-2"), expect="GuestsDialog")
            tables.open_table(table)
            screen = window.screen_widget("check")
            item = next(i for i in context.catalog.by_id.values()
                        if not i.groups and not i.sold_out)
            screen.tap_item(item.id)
            tap(screen, "check-send")
            assert screen.check.rounds  # the round is saved whatever the printer does
            qtbot.waitUntil(lambda: desk.failing() != [], timeout=20_000)
            screen.kitchen.poll()
            assert screen.kitchen.isVisible()
            assert "주방 출력 실패: 주방" in screen.kitchen.text.text()
            screen.kitchen.redirect_all("바")
            qtbot.waitUntil(lambda: len(bar.received) > 0 and not desk.pending(),
                            timeout=20_000)
            screen.kitchen.poll()
            assert not screen.kitchen.isVisible()
        finally:
            desk.stop()
