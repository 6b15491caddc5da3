"""마감 with a restaurant's tables still open: the Z is refused with the tables named, and the
owner who closes may carry them over (이월) to the next 영업일 with one more tap."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from kspos.sales.floor import demo_floor
from kspos.sales.orders import OrderLine
from tests.ui.helpers import enter_pin, on_next_dialog, open_as_owner, tap


def _open_table(context: Any) -> int:
    checks = context.checks
    if not checks.floor().tiles:
        checks.seed_floor(demo_floor())
    cashier = next(s for s in context.staff.all() if s.role.value == "cashier")
    context.sales.days.open(cashier, 0)
    table = checks.floor().tiles[0].place.id
    check = checks.open_check(table, cashier, 2)
    check.order.add(OrderLine(1, "삼겹살", 16_000, 2, category_name="고기류"))
    return checks.send_round(check, cashier).order.id  # type: ignore[no-any-return]


def test_z_with_open_tables_carries_them_over_when_the_owner_says_so(  # type: ignore[no-untyped-def]
        window, context, qtbot) -> None:
    order_id = _open_table(context)
    screen = open_as_owner(window, context, "closing")
    screen.reload()
    qtbot.waitUntil(lambda: screen.day is not None, timeout=10_000)
    asked: list[str] = []

    def back_out(dialog: Any) -> None:
        asked.append(dialog.findChild(QLabel, "confirm-text").text())
        dialog.reject()

    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(back_out, expect="ConfirmDialog")
    tap(screen, "closing-z")
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "계산하지 않은 테이블이 있습니다: 1" in asked[0] and "이월" in asked[0]
    assert "계산하지 않은 테이블" in screen.message.text()
    assert context.sales.days.current() is not None  # 돌아가기: the day stays open

    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    on_next_dialog(lambda dialog: tap(dialog, "confirm-ok"), expect="ConfirmDialog")
    tap(screen, "closing-z")
    qtbot.waitUntil(lambda: "마감되었습니다" in screen.message.text(), timeout=10_000)
    assert context.sales.days.current() is None
    carried = context.db.read("SELECT carry_over, state FROM sale_order WHERE id = ?",
                              (order_id,))
    assert carried == [(1, "open")]
    owner = next(s for s in context.staff.all() if s.role.value == "owner")
    context.sales.days.open(owner, 0)  # the next 개점 takes the check onto its day
    moved = context.db.read("SELECT o.carry_over, d.closed_at IS NULL FROM sale_order o JOIN "
                            "business_day d ON d.id = o.business_day_id WHERE o.id = ?",
                            (order_id,))
    assert moved == [(0, 1)]
