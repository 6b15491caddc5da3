"""직원 관리 by taps: the owner adds, renames, sets roles, changes PINs and deactivates; a cashier
changes their own PIN; the wrong PINs are listed; the demo-PIN warning sits in the status line."""

from __future__ import annotations

from typing import Any

import pytest

from kspos.sales.staff import AuthError, Role
from tests.ui.helpers import enter_pin, on_next_dialog, tap


def _row_of(screen: Any, name: str) -> int:
    for row in range(screen.table.rowCount()):
        if screen.table.item(row, 0).text() == name:
            return row
    raise AssertionError(f"{name} not listed")


def _open_as_owner(window: Any, context: Any) -> Any:
    context.register.login("0000")
    cashier = window.screen_widget("cashier")
    cashier._open_owner_screen("staff")
    screen = window.screen_widget("staff")
    assert window.stack.currentWidget() is screen
    return screen


def test_the_owner_manages_staff_by_taps(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _open_as_owner(window, context)
    assert screen.table.rowCount() == 3

    tap(screen, "staff-new")
    screen.name_edit.setText("이수진")
    tap(screen, "staff-role-cashier")
    on_next_dialog(enter_pin("4821"), expect="PinDialog")
    on_next_dialog(enter_pin("4821"), expect="PinDialog")  # the same PIN again
    tap(screen, "staff-save")
    qtbot.waitUntil(lambda: "저장했습니다" in screen.message.text(), timeout=10_000)
    assert screen.table.rowCount() == 4
    assert context.staff.login("4821").name == "이수진"

    screen.table.selectRow(_row_of(screen, "이수진"))
    screen.name_edit.setText("이수진B")
    tap(screen, "staff-role-owner")
    tap(screen, "staff-save")
    qtbot.waitUntil(lambda: "저장했습니다" in screen.message.text(), timeout=10_000)
    assert context.staff.login("4821").role is Role.OWNER
    assert context.staff.login("4821").name == "이수진B"

    screen.table.selectRow(_row_of(screen, "김민지"))
    assert screen.message.text() == ""  # picking a member clears the last message
    on_next_dialog(enter_pin("2468"), expect="PinDialog")
    on_next_dialog(enter_pin("2468"), expect="PinDialog")
    tap(screen, "staff-pin")
    qtbot.waitUntil(lambda: "저장했습니다" in screen.message.text(), timeout=10_000)
    assert context.staff.login("2468").name == "김민지"
    assert "김민지" not in context.staff.demo_pins_left()

    screen.table.selectRow(_row_of(screen, "이수진B"))
    tap(screen, "staff-deactivate")
    assert context.staff.holder_of("4821") is not None  # one tap only asks to tap again
    tap(screen, "staff-deactivate")
    qtbot.waitUntil(lambda: context.staff.holder_of("4821") is None, timeout=10_000)
    row = _row_of(screen, "이수진B")
    assert screen.table.item(row, 2).text() == "비활성"
    actions = [a for (a,) in context.db.read(
        "SELECT action FROM audit_log WHERE action LIKE 'staff_%' ORDER BY id")]
    assert actions == ["staff_add", "staff_rename", "staff_role", "staff_pin",
                       "staff_deactivate"]


def test_two_different_pins_change_nothing(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _open_as_owner(window, context)
    screen.table.selectRow(_row_of(screen, "김민지"))
    on_next_dialog(enter_pin("2468"), expect="PinDialog")
    on_next_dialog(enter_pin("2469"), expect="PinDialog")
    tap(screen, "staff-pin")
    assert "다릅니다" in screen.message.text()
    assert context.staff.login("1111").name == "김민지"


def test_the_last_owner_stays_and_the_screen_says_why(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _open_as_owner(window, context)
    screen.table.selectRow(_row_of(screen, "홍길동"))
    tap(screen, "staff-deactivate")
    tap(screen, "staff-deactivate")
    qtbot.waitUntil(lambda: "마지막 점주" in screen.message.text(), timeout=10_000)
    assert context.staff.login("0000").role is Role.OWNER


def test_a_cashier_gets_no_staff_screen_but_changes_their_own_pin(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.screens.staff import change_own_pin

    context.register.login("1111")
    cashier = window.screen_widget("cashier")
    on_next_dialog(lambda dialog: tap(dialog, "dialog-cancel"), expect="PinDialog")
    cashier._open_owner_screen("staff")  # asks for an owner PIN; given up
    assert window.stack.currentWidget() is cashier
    with pytest.raises(AuthError):  # and the core refuses the cashier anyway
        from kspos.sales.staff_admin import StaffAdmin

        StaffAdmin(context.staff).add("몰래", Role.OWNER, "5555", context.register.staff)

    said: list[str] = []
    on_next_dialog(enter_pin("1111"), expect="PinDialog")  # who they are, again
    on_next_dialog(enter_pin("3579"), expect="PinDialog")
    on_next_dialog(enter_pin("3579"), expect="PinDialog")
    change_own_pin(cashier, context, said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert context.staff.login("3579").name == "김민지"


def test_the_owner_sees_the_wrong_pins(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with pytest.raises(AuthError):
            context.staff.login("4444")
    screen = _open_as_owner(window, context)
    assert screen.failures.rowCount() == 2
    assert screen.failures.item(0, 1).text() == context.settings.van.tid


def test_the_demo_pin_warning_is_in_the_status_line_and_moves_nothing(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.sales.staff_admin import SHELL, StaffAdmin

    cashier = window.screen_widget("cashier")
    cashier.refresh()
    qtbot.wait(50)
    assert cashier.demo_warning.isVisible() and "데모 PIN" in cashier.demo_warning.text()
    menu_at = cashier.menu.geometry()
    admin = StaffAdmin(context.staff)
    for member, pin in zip(context.staff.all(), ("2468", "8642", "1357"), strict=True):
        admin.set_pin(member.id, pin, SHELL)
    window.show_screen("staff")
    window.show_screen("cashier")  # back from 직원 관리
    qtbot.wait(50)
    assert not cashier.demo_warning.isVisible()
    assert cashier.menu.geometry() == menu_at
