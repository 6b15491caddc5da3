"""The restaurant's screens on a real store (temp SQLite, migrations, the check service): the
floor, a table's check and its rounds, split and pay in parts, move, merge, cancel a sent
line, and the editor's refusal to delete an occupied table."""

from __future__ import annotations

import pytest

from kspos.sales.floor import TableState, demo_floor
from tests.ui.helpers import on_next_dialog, tap

pytest.importorskip("kspos.sales.checks")  # the core helper's check service (r18-core)


@pytest.fixture
def service(context):  # type: ignore[no-untyped-def]
    """The store's check service with the demo floor, a cashier logged in, the day open."""
    from kspos.sales.checks import CheckService

    checks = getattr(context, "checks", None)
    if checks is None:  # until kspos/context.py composes it
        checks = CheckService(context.db, context.sales)
        context.checks = checks
    checks.seed_floor(demo_floor())
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)
    return checks


def table_id(service, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(t.place.id for t in service.floor().tiles if t.place.name == name)


def cheap_items(context, n: int = 2):  # type: ignore[no-untyped-def]
    items = sorted((i for i in context.catalog.by_id.values()
                    if not i.groups and not i.sold_out), key=lambda i: i.price)
    return items[:n]


def seat(service, context, name: str, qty: int = 2):  # type: ignore[no-untyped-def]
    """A table eating: a round of two items sent through the service."""
    staff = context.register.staff
    check = service.open_check(table_id(service, name), staff, 3)
    for item in cheap_items(context):
        check.order.add(context.register.line_for(item, [], qty))
    return service.send_round(check, staff)


def open_check_screen(window, service, name: str, guests: int = 0):  # type: ignore[no-untyped-def]
    tables = window.show_screen("tables")
    if guests:
        on_next_dialog(lambda d: tap(d, f"guests-{guests}"), expect="GuestsDialog")
    tables.open_table(table_id(service, name))
    screen = window.stack.currentWidget()
    assert screen is window.screen_widget("check")
    return screen


def test_the_floor_shows_each_tables_state_guests_and_amount(window, context, service):  # type: ignore[no-untyped-def]
    seat(service, context, "3")
    billed = seat(service, context, "5")
    service.print_prebill(billed, context.register.staff)
    tables = window.show_screen("tables")
    tables.reload()
    tiles = {t.place.name: t for t in tables.canvas.tiles.values()}
    assert len(tiles) == 20  # 홀's tables; 룸 and 테라스 are other tabs
    assert tiles["1"].state is TableState.EMPTY
    assert tiles["3"].state is TableState.ORDERING and tiles["3"].guests == 3
    assert tiles["3"].amount == billed.order.total
    assert tiles["5"].state is TableState.BILLED
    assert tables.open_count.text() == "열린 테이블 2"
    room = tables.zone_buttons.buttons()[1]
    room.click()
    assert {t.place.zone_id for t in tables.canvas.tiles.values()} == {room.property("zone")
                                                                       or tables.canvas.zone_id}
    assert len(tables.canvas.tiles) == 6


def test_a_tap_opens_the_check_and_a_sent_round_is_saved(window, context, service, qtbot):  # type: ignore[no-untyped-def]
    screen = open_check_screen(window, service, "7", guests=4)
    assert "7" in screen.title.text() and screen.guests_label.text() == "4명"
    first, second = cheap_items(context)
    screen.tap_item(first.id)
    screen.tap_item(first.id)
    screen.tap_item(second.id)
    assert "(3)" in screen.buttons["send"].text()  # three not sent yet
    tap(screen, "check-send")
    assert "1차 주문을 주방에 보냈습니다" in screen.message.text()
    assert all(line.round_no == 1 for line in screen.check.order.lines)
    assert not screen.buttons["line-delete"].isEnabled()

    from kspos.sales.checks import CheckService

    again = CheckService(context.db, context.sales)  # another register on the same file
    tile = again.floor().tile(table_id(service, "7"))
    assert tile is not None and tile.order_id is not None and tile.guests == 4
    saved = again.load_check(tile.order_id)
    assert [r.no for r in saved.rounds] == [1]
    assert saved.order.total == screen.check.order.total == first.price * 2 + second.price


def test_a_party_larger_than_the_tiles_is_counted_with_the_steppers(window, context, service):  # type: ignore[no-untyped-def]
    def party_of_23(dialog):  # type: ignore[no-untyped-def]
        assert dialog.large_label.text() == "13명"  # the steppers start after the tiles
        tap(dialog, "guests-step+10")
        tap(dialog, "guests-step+1")
        assert dialog.large_label.text() == "24명"
        tap(dialog, "guests-step-1")
        tap(dialog, "guests-ok")

    on_next_dialog(party_of_23, expect="GuestsDialog")
    screen = open_check_screen(window, service, "8")
    assert screen.guests_label.text() == "23명"

    def to_the_most(dialog):  # type: ignore[no-untyped-def]
        assert dialog.large_label.text() == "23명"  # a large party starts from its count
        for _ in range(12):
            tap(dialog, "guests-step+10")
        assert dialog.large_label.text() == "99명"  # the most a check holds
        tap(dialog, "guests-ok")

    on_next_dialog(to_the_most, expect="GuestsDialog")
    screen.do_guests()
    assert screen.check.order.guests == 99


def test_split_in_two_pay_one_part_by_cash_then_the_rest(window, context, service, qtbot):  # type: ignore[no-untyped-def]
    sent = seat(service, context, "2")
    screen = open_check_screen(window, service, "2")
    total = sent.order.total

    def pay_part(n: int):  # type: ignore[no-untyped-def]
        def in_split(dialog):  # type: ignore[no-untyped-def]
            on_next_dialog(lambda choice: tap(choice, "tender-cash"), expect="TenderChoiceDialog")
            on_next_dialog(lambda cash: (tap(cash, "quick-0"), tap(cash, "cash-pay")),
                           expect="CashDialog")
            tap(dialog, f"part-pay-{n}")
        return in_split

    on_next_dialog(pay_part(0), expect="SplitBillDialog")
    QTimer_close_split(window)
    screen.do_split()
    qtbot.waitUntil(lambda: screen.check is not None and screen.check.kept > 0, timeout=5000)
    first = total - total // 2
    assert screen.check.kept == first
    assert screen.due.text() == f"{total // 2:,}원"
    tile = service.floor().tile(table_id(service, "2"))
    assert tile is not None and tile.state is TableState.PAYING

    on_next_dialog(pay_part(1), expect="SplitBillDialog")  # the rest, later
    screen.do_split()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.screen_widget("tables"),
                    timeout=5000)
    assert service.floor().tile(table_id(service, "2")).order_id is None  # the table is free
    assert sum(p.amount for p in context.sales.payments(sent.order.id)) == total


def QTimer_close_split(window) -> None:  # noqa: N802 - a helper named for what it drives
    """Close the split dialog once its first part is paid (the rest is paid later)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        check = window.screen_widget("check").check
        if dialog is not None and dialog.objectName() == "SplitBillDialog" \
                and check is not None and check.kept > 0:
            dialog.reject()
        elif tries < 500:
            QTimer.singleShot(10, lambda: poll(tries + 1))

    QTimer.singleShot(0, poll)


def test_move_to_another_table_and_merge_two(window, context, service):  # type: ignore[no-untyped-def]
    seat(service, context, "4")
    other = seat(service, context, "8")
    screen = open_check_screen(window, service, "4")
    to = table_id(service, "10")
    on_next_dialog(lambda pick: pick.pick(to), expect="TablePickDialog")
    screen.do_move()
    assert screen.check.place.name == "10" and "10" in screen.title.text()
    floor = service.floor()
    assert floor.tile(table_id(service, "4")).order_id is None
    assert floor.tile(to).order_id == screen.check.order.id

    before = screen.check.order.total
    on_next_dialog(lambda pick: pick.pick(table_id(service, "8")), expect="TablePickDialog")
    screen.do_merge()
    assert screen.check.order.total == before + other.order.total
    assert service.floor().tile(table_id(service, "8")).order_id is None
    assert "합석했습니다" in screen.message.text()


def test_picking_a_busy_table_to_move_to_is_not_possible(window, context, service):  # type: ignore[no-untyped-def]
    seat(service, context, "4")
    seat(service, context, "8")
    screen = open_check_screen(window, service, "4")
    seen = {}

    def look(pick):  # type: ignore[no-untyped-def]
        seen["disabled"] = set(pick.canvas.disabled)
        pick.reject()

    on_next_dialog(look, expect="TablePickDialog")
    screen.do_move()
    assert {table_id(service, "4"), table_id(service, "8")} <= seen["disabled"]
    assert screen.check.place.name == "4"


def test_cancel_a_sent_line_asks_a_reason(window, context, service):  # type: ignore[no-untyped-def]
    sent = seat(service, context, "6", qty=3)
    screen = open_check_screen(window, service, "6")
    line = sent.order.lines[0]
    screen.lines.select_line(0)
    assert screen.buttons["cancel"].isEnabled()

    def one_by_mistake(dialog):  # type: ignore[no-untyped-def]
        assert dialog.qty == 1  # one of the three unless the server says more
        tap(dialog, "cancel-reason-1")  # 주문 실수

    on_next_dialog(one_by_mistake, expect="CancelDialog")
    tap(screen, "check-cancel")
    left = service.load_check(sent.order.id)
    assert left.order.total == sent.order.total - line.unit_price
    assert "주문 실수" in screen.message.text()


def test_the_editor_refuses_to_delete_a_table_with_an_open_check(window, context, service):  # type: ignore[no-untyped-def]
    from ui.dialogs.floor_editor import FloorEditorDialog

    seat(service, context, "9")
    owner = context.staff.login("0000")
    editor = FloorEditorDialog(window, service, owner)
    busy = table_id(service, "9")
    editor.canvas.highlight = busy
    editor.table_action("delete")
    assert "9 테이블에 계산하지 않은 주문이 있습니다" in editor.error.text()
    assert service.floor().tile(busy) is not None
    free = table_id(service, "11")
    editor.canvas.highlight = free
    editor.table_action("delete")
    assert service.floor().tile(free) is None
    editor.placed(busy, 0, 12, 3, 2)
    assert service.floor().tile(busy).place.y == 12


def test_pay_the_whole_bill_by_cash_frees_the_table(window, context, service, qtbot):  # type: ignore[no-untyped-def]
    sent = seat(service, context, "14")
    screen = open_check_screen(window, service, "14")
    assert screen.total.text() == screen.due.text() == f"{sent.order.total:,}원"
    on_next_dialog(lambda choice: tap(choice, "tender-cash"), expect="TenderChoiceDialog")
    on_next_dialog(lambda cash: (tap(cash, "quick-0"), tap(cash, "cash-pay")),
                   expect="CashDialog")
    tap(screen, "check-pay")
    tables = window.screen_widget("tables")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is tables, timeout=5000)
    assert "결제 완료" in tables.message.text()
    assert service.floor().tile(table_id(service, "14")).order_id is None
    assert tables.canvas.tiles[table_id(service, "14")].state is TableState.EMPTY


def test_a_check_changed_on_another_terminal_is_shown_as_it_is_now(window, context, service):  # type: ignore[no-untyped-def]
    from kspos.sales.checks import CheckService

    seat(service, context, "15")
    screen = open_check_screen(window, service, "15")
    other = CheckService(context.db, context.sales)  # the terminal by the door
    theirs = other.load_check(screen.check.order.id)
    other.set_guests(theirs, 6, context.register.staff)
    item = cheap_items(context, 1)[0]
    screen.tap_item(item.id)
    tap(screen, "check-send")  # this screen's copy is stale: refused, then read again
    assert screen.message.text()
    assert screen.check.order.guests == 6 and screen.guests_label.text() == "6명"
    assert len(screen.check.draft_lines) == 1  # the server's new item is still there
    tap(screen, "check-send")
    assert "2차 주문을 주방에 보냈습니다" in screen.message.text()


def test_the_floor_speaks_english_after_a_live_switch(window, context, service, qapp, qtbot):  # type: ignore[no-untyped-def]
    from ui.i18n import install_language

    seat(service, context, "1")
    tables = window.show_screen("tables")
    qtbot.wait(20)  # the earlier tests' windows are deleted (an event loop runs their deletes)
    install_language(qapp, "en")
    try:
        qtbot.wait(20)
        assert tables.buttons["takeout"].text() == "Takeout"
        assert [b.text() for b in tables.zone_buttons.buttons()] == ["Hall", "Rooms", "Terrace"]
        assert tables.open_count.text() == "1 open tables"
    finally:
        install_language(qapp, "ko")
        qtbot.wait(20)  # LanguageChange delivered while the store is still open


def test_the_editor_adds_a_table_where_nothing_stands_and_a_zone(window, context, service):  # type: ignore[no-untyped-def]
    from ui.dialogs.floor_editor import FloorEditorDialog

    owner = context.staff.login("0000")
    editor = FloorEditorDialog(window, service, owner)

    def name(text: str):  # type: ignore[no-untyped-def]
        def handler(dialog):  # type: ignore[no-untyped-def]
            dialog.edit.setText(text)
            tap(dialog, "dialog-ok")
        return handler

    on_next_dialog(name("21"), expect="")
    editor.table_action("add")
    added = next(t for t in service.floor().tiles if t.place.name == "21")
    hall = [t.place for t in service.floor().tiles
            if t.place.zone_id == added.place.zone_id and t.place.id != added.place.id]
    p = added.place
    assert all(p.x + p.w <= q.x or q.x + q.w <= p.x or p.y + p.h <= q.y or q.y + q.h <= p.y
               for q in hall)  # on a free spot, not over another table
    on_next_dialog(name("야외"), expect="")
    tap(editor, "editor-add-zone")
    assert [z.name for z in service.floor().zones][-1] == "야외"
    assert editor.zone_group.buttons()[-1].text() == "야외"
