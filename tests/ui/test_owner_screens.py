"""The owner's screens driven by taps: 판매집계 over demo history, 마감 with a count and a Z
close, and 메뉴 관리 changing a price the cashier then sells at."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QModelIndex, QTimer
from PySide6.QtWidgets import QPushButton, QToolButton
from sqlmodel import select

from kspos.sales.demo_data import generate
from kspos.store.models import AuditEntry, BusinessDay
from tests.ui.helpers import enter_pin, on_next_dialog, open_as_owner, tap


@pytest.fixture(autouse=True)
def _stop_timers(window):  # type: ignore[no-untyped-def]
    """The cashier screen polls its devices on a timer; stop it before the store closes, so
    it cannot fire into the next test."""
    yield
    for timer in window.findChildren(QTimer):
        timer.stop()


def _cell(table, row, column) -> str:  # type: ignore[no-untyped-def]
    return table.item(row, column).text()


def _net_from_core(context, day: str) -> int:  # type: ignore[no-untyped-def]
    """순매출 of one business day straight from the sales tables (not the report code)."""
    (sold,), = context.db.read(
        "SELECT coalesce(sum(o.total), 0) FROM sale_order o JOIN business_day d "
        "ON d.id = o.business_day_id WHERE d.day = ? AND o.paid_at IS NOT NULL "
        "AND o.training = 0", (day,))
    (refunded,), = context.db.read(
        "SELECT coalesce(sum(r.amount), 0) FROM refund r JOIN business_day d ON d.day = ? "
        "WHERE r.training = 0 AND r.created_at BETWEEN d.opened_at AND d.closed_at", (day,))
    return int(sold) - int(refunded)


def _sales_of_yesterday(window, qtbot):  # type: ignore[no-untyped-def]
    """판매집계 opened and 어제 tapped, once its summary is shown: (screen, yesterday)."""
    screen = open_as_owner(window, window.context, "sales")
    yesterday = date.today() - timedelta(days=1)
    tap(screen, "range-yesterday")
    qtbot.waitUntil(lambda: screen.summary is not None
                    and screen.summary.date_from == yesterday, timeout=10_000)
    return screen, yesterday


def test_sales_screen_ranges_match_the_core(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    generate(context.db, 3, 15, seed=2)
    screen, yesterday = _sales_of_yesterday(window, qtbot)
    net = _net_from_core(context, yesterday.isoformat())
    assert net > 0
    overview = screen.overview_table
    labels = [_cell(overview, r, 0) for r in range(overview.rowCount())]
    assert labels == ["총매출", "할인", "서비스", "환불", "순매출", "현금", "신용카드", "간편결제"]
    assert _cell(overview, 4, 2) == f"{net:,}"
    cash, card, easy = (int(_cell(overview, r, 2).replace(",", "")) for r in (5, 6, 7))
    assert cash + card + easy == net
    for table in (screen.category_table, screen.item_table):
        last = table.rowCount() - 1
        assert _cell(table, last, 0) == "합계" and _cell(table, last, 4) == f"{net:,}"
        assert sum(int(_cell(table, r, 4).replace(",", "")) for r in range(last)) == net
    assert screen.item_pie.labels() and screen.bar.chart_.title() == "시간대별"

    first = yesterday - timedelta(days=2)

    def pick(dialog):  # type: ignore[no-untyped-def]
        dialog.calendars[0].setSelectedDate(QDate(first.year, first.month, first.day))
        dialog.calendars[1].setSelectedDate(QDate(yesterday.year, yesterday.month,
                                                  yesterday.day))
        tap(dialog, "range-ok")

    on_next_dialog(pick, expect="RangeDialog")
    tap(screen, "range-custom")
    qtbot.waitUntil(lambda: screen.summary.date_from == first, timeout=10_000)
    total = sum(_net_from_core(context, (first + timedelta(days=n)).isoformat())
                for n in range(3))
    assert _cell(screen.overview_table, 4, 2) == f"{total:,}"
    assert screen.bar.chart_.title() == "일별" and len(screen.bar.values()) == 3

    tap(screen, "export-csv")
    qtbot.waitUntil(lambda: "저장했습니다" in screen.message.text(), timeout=10_000)
    saved = context.settings.data_dir / "exports"
    assert any(p.suffix == ".csv" for p in saved.iterdir())


def test_sales_charts_stack_on_a_narrow_screen_so_legends_stay_whole(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    generate(context.db, 2, 40, seed=3)
    screen, _ = _sales_of_yesterday(window, qtbot)
    assert len(screen.summary.rows("item")) > 9  # enough items for 기타
    for width, stacked, slices in ((1024, True, 6), (1400, False, 9)):
        window.resize(width, 768)
        qtbot.waitUntil(lambda w=width: screen.width() <= w, timeout=5_000)
        assert screen.stacked_pies is stacked
        names = screen.item_pie.labels()
        assert len(names) == slices and names[-1].startswith("기타")

        def above() -> bool:  # the category pie sits above the item pie only when stacked
            return screen.category_pie.geometry().bottom() <= screen.item_pie.geometry().top()

        qtbot.waitUntil(lambda s=stacked: above() is s, timeout=5_000)


def test_closing_counts_cash_and_closes_with_an_owner_pin(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    register = context.register
    register.staff = next(s for s in context.staff.all() if s.role.value == "cashier")
    context.sales.days.open(register.staff, 0)
    item = next(i for i in context.catalog.by_id.values() if i.name == "크루아상")
    register.add_item(item.id)
    register.pay_cash(10_000)  # 4,000 kept
    context.printing.print_pending()  # the sale slip, as the cashier screen prints it
    screen = open_as_owner(window, context, "closing")
    qtbot.waitUntil(lambda: screen.expected == 4_000, timeout=10_000)
    tap(screen, "count-1000")
    tap(screen.keypad, "key-5")
    assert screen.values["counted"].text() == "5,000원"
    assert screen.values["over_short"].text() == "+1,000원 (과잉)"
    assert screen.values["over_short"].property("role") == "amount-bad"
    tap(screen.keypad, "key-back")
    tap(screen.keypad, "key-4")
    assert screen.values["over_short"].text() == "0원 (일치)"
    assert screen.values["over_short"].property("role") == "amount-ok"

    on_next_dialog(enter_pin("1111"), expect="PinDialog")  # a cashier may not close
    tap(screen, "closing-z")
    assert "권한" in screen.message.text() and context.sales.days.current() is not None
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(screen, "closing-z")
    qtbot.waitUntil(lambda: "마감되었습니다" in screen.message.text(), timeout=10_000)
    with context.db.session() as s:
        day = s.exec(select(BusinessDay)).one()
        assert (day.expected_cash, day.counted_cash, day.over_short) == (4_000, 4_000, 0)
    assert context.db.read("SELECT count(*) FROM report_day")[0][0] == 1
    printer = context.devices.printer
    # the sale slip, its pickup slip (주문번호) and the Z: printed, the jobs marked done
    qtbot.waitUntil(lambda: printer.printout().cuts == 3 and not context.printing.queue.pending(),
                    timeout=10_000)
    assert printer.printout().images
    assert not screen.z_button.isEnabled()


def test_menu_editor_price_change_reaches_the_cashier(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    cashier = window.screen_widget("cashier")
    screen = window.show_screen("menu")
    americano = next(i for i in context.catalog.by_id.values() if i.name == "아메리카노")
    screen.item_grid.setCurrentRow(0)
    assert screen.name_edit.text() == "아메리카노"

    screen.price_edit.setText("사천원")
    tap(screen, "item-save")  # refused before any PIN is asked
    assert "가격" in screen.form_error.text()
    assert context.catalog.by_id[americano.id].price == 4_500

    screen.price_edit.setText("4,800")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(screen, "item-save")
    qtbot.waitUntil(lambda: context.catalog.by_id[americano.id].price == 4_800, timeout=10_000)
    def shown() -> list[str]:  # the grid's old buttons are deleted on the next loop turn
        return [b.text() for b in cashier.findChildren(QToolButton, f"item-{americano.id}")]

    qtbot.waitUntil(lambda: shown() == ["아메리카노\n4,800원"], timeout=5_000)
    with context.db.session() as s:
        change = s.exec(select(AuditEntry).where(AuditEntry.action == "price_change")).one()
        assert '"new": 4800' in change.detail

    # A drag that drops 아메리카노 third (what InternalMove does to the model), then ▶.
    def coffee() -> list[str]:
        return [i.name for i in context.catalog.categories[0].items]

    first_three = coffee()[:3]
    screen.item_grid.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    qtbot.waitUntil(lambda: coffee()[:3] == [*first_three[1:], "아메리카노"], timeout=5_000)
    screen.item_grid.setCurrentRow(2)
    tap(screen, "item-down")
    qtbot.waitUntil(lambda: coffee()[3] == "아메리카노", timeout=5_000)


def test_menu_editor_adds_and_renames_a_category_for_the_cashier(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_screen("menu")
    before = [c.name for c in context.catalog.categories]

    def nameless(dialog):  # type: ignore[no-untyped-def]
        tap(dialog, "category-ok")  # refused in the dialog: nothing saved, no PIN asked
        assert dialog.error.isVisible() and dialog.isVisible()
        tap(dialog, "dialog-cancel")

    on_next_dialog(nameless, expect="CategoryDialog")
    tap(screen, "category-new")
    assert [c.name for c in context.catalog.categories] == before

    def fill(dialog):  # type: ignore[no-untyped-def]
        dialog.name_edit.setText("디저트")
        dialog.name_en_edit.setText("Dessert")
        tap(dialog, "category-color-DB2777")
        tap(dialog, "category-ok")

    on_next_dialog(fill, expect="CategoryDialog")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(screen, "category-new")
    qtbot.waitUntil(lambda: [c.name for c in context.catalog.categories] == [*before, "디저트"],
                    timeout=10_000)
    added = context.catalog.categories[-1]
    assert (added.name_en, added.color) == ("Dessert", "#DB2777")
    assert screen.category_list.currentItem().text().startswith("디저트")
    assert screen.form_title.text() == "메뉴 추가"  # ready for the category's first item

    def rename(dialog):  # type: ignore[no-untyped-def]
        assert dialog.name_edit.text() == "디저트"  # the dialog opens on what is saved
        dialog.name_edit.setText("케이크")
        tap(dialog, "category-ok")

    on_next_dialog(rename, expect="CategoryDialog")  # the owner's PIN is remembered
    tap(screen, "category-edit")
    qtbot.waitUntil(lambda: context.catalog.categories[-1].name == "케이크", timeout=10_000)
    assert len(context.catalog.categories) == len(before) + 1
    with context.db.session() as s:
        saves = s.exec(select(AuditEntry).where(AuditEntry.action == "menu_category_save")).all()
    assert len(saves) == 2


def test_option_group_made_in_the_menu_editor_prices_the_cashiers_line(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = window.show_screen("menu")
    americano = next(i for i in context.catalog.by_id.values() if i.name == "아메리카노")

    def unnamed(dialog):  # type: ignore[no-untyped-def]
        assert dialog.group_list.currentRow() == 0  # opens on 새 옵션 그룹
        dialog.choice_rows[0][1].setText("샷 빼기")
        tap(dialog, "option-group-ok")  # refused in the dialog: no name
        assert "이름" in dialog.error.text() and dialog.isVisible()
        tap(dialog, "dialog-cancel")

    on_next_dialog(unnamed, expect="OptionGroupDialog")
    tap(screen, "option-groups-edit")

    def fill(dialog):  # type: ignore[no-untyped-def]
        dialog.name_edit.setText("샷 조절")
        dialog.name_en_edit.setText("Shots")
        tap(dialog, "option-group-optional")
        dialog.choice_rows[0][1].setText("샷 빼기")
        dialog.choice_rows[0][2].setText("-500")
        dialog.choice_rows[1][1].setText("투샷")
        dialog.choice_rows[1][2].setText("+1,000")
        tap(dialog, "option-choice-add")
        assert len(dialog.choice_rows) == 3  # the third row stays empty: not a choice
        tap(dialog, "option-group-ok")

    on_next_dialog(fill, expect="OptionGroupDialog")
    on_next_dialog(enter_pin("0000"), expect="PinDialog")
    tap(screen, "option-groups-edit")

    def made() -> list[tuple[str, int]]:
        group = next((g for g in screen.admin.option_group_details() if g.name == "샷 조절"),
                     None)
        return [(c.name, int(c.price_delta)) for c in group.choices] if group else []

    qtbot.waitUntil(lambda: made() == [("샷 빼기", -500), ("투샷", 1_000)], timeout=10_000)
    group_id = next(g.id for g in screen.admin.option_groups() if g.name == "샷 조절")
    qtbot.waitUntil(lambda: group_id in screen.group_buttons, timeout=5_000)

    screen.item_grid.setCurrentRow(0)  # 아메리카노 offers it from now on
    tap(screen, f"item-group-{group_id}")
    tap(screen, "item-save")  # the owner's PIN is remembered
    qtbot.waitUntil(lambda: any(g.id == group_id for g in
                                context.catalog.by_id[americano.id].groups), timeout=10_000)

    cashier = window.show_screen("cashier")

    def pick(dialog):  # type: ignore[no-untyped-def]
        minus = next(c for g in context.catalog.by_id[americano.id].groups
                     if g.id == group_id for c in g.choices if c.name == "샷 빼기")
        tap(dialog, f"choice-{minus.id}")
        assert "−500원" in dialog.findChild(QPushButton, f"choice-{minus.id}").text()
        tap(dialog, "dialog-ok")

    on_next_dialog(enter_pin("1111"), expect="PinDialog")  # the cashier logs in, opens the day
    on_next_dialog(lambda d: tap(d, "amount-ok"), expect="AmountDialog")
    on_next_dialog(pick, expect="OptionsDialog")
    tap(cashier, f"item-{americano.id}")
    qtbot.waitUntil(lambda: len(context.register.order.lines) == 1, timeout=5_000)
    assert context.register.order.lines[0].unit_price == 4_500 - 500  # HOT, R defaults

    def remove(dialog):  # type: ignore[no-untyped-def]
        row = [g.id for g in dialog.groups.values()].index(group_id) + 1
        dialog.group_list.setCurrentRow(row)
        assert dialog.name_edit.text() == "샷 조절"
        tap(dialog, "option-group-delete")
        assert dialog.isVisible() and "한 번 더" in dialog.error.text()
        tap(dialog, "option-group-delete")

    screen = window.show_screen("menu")
    on_next_dialog(remove, expect="OptionGroupDialog")
    tap(screen, "option-groups-edit")
    qtbot.waitUntil(lambda: all(g.id != group_id for g in
                                context.catalog.by_id[americano.id].groups), timeout=10_000)
    assert group_id not in screen.group_buttons


def test_an_item_with_many_option_groups_still_fits_the_counter_screen(window, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.menu.admin import MenuAdmin
    from kspos.menu.options import ChoiceForm, GroupForm
    from kspos.sales.staff import Role, StaffDirectory
    from ui.dialogs.options import OptionsDialog

    admin, owner = MenuAdmin(context.db), StaffDirectory(context.db).first(Role.OWNER)
    extra = [admin.save_option_group(GroupForm(name, [ChoiceForm("기본"), ChoiceForm("많이", 500)]),
                                     owner)
             for name in ("시럽", "우유 변경", "얼음", "포장", "샷 조절", "토핑")]
    americano = next(i for i in context.catalog.by_id.values() if i.name == "아메리카노")
    form = next(i for c in admin.categories() for i in c.items if i.id == americano.id).form()
    form.group_ids = [*form.group_ids, *extra]
    admin.save_item(form, owner)
    context.reload_catalog()
    item = context.catalog.by_id[americano.id]
    assert len(item.groups) == 9
    dialog = OptionsDialog(item, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height()
    ok = dialog.findChild(QPushButton, "dialog-ok")
    bottom = ok.mapTo(dialog, ok.rect().bottomLeft()).y()
    assert ok.isVisible() and bottom <= dialog.height()  # 확인 on the screen, not below it
    dialog.reject()


def test_choice_rows_removed_and_added_never_overlap(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.menu.options import ChoiceForm, GroupDetail
    from ui.dialogs.option_group import OptionGroupDialog

    group = GroupDetail(7, "사이즈", "Size", True, False,
                        (ChoiceForm("R", 0, "Regular", 1), ChoiceForm("L", 500, "Large", 2),
                         ChoiceForm("XL", 1000, "Extra large", 3)))
    dialog = OptionGroupDialog(None, [group], lambda _form: [], chosen=7)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    middle = dialog.choice_rows[1][0]
    middle.findChild(QPushButton).click()  # − on L
    tap(dialog, "option-choice-add")
    dialog.choice_rows[-1][1].setText("벤티")
    qtbot.waitUntil(lambda: len({row.geometry().top() for row, *_ in dialog.choice_rows}) == 3,
                    timeout=5_000)
    dialog.choice_rows[0][1].setText("레귤러")  # renamed: its English name no longer fits
    form = dialog.form()
    assert [(c.name, c.name_en, c.id) for c in form.choices] == [
        ("레귤러", "", 1), ("XL", "Extra large", 3), ("벤티", "", None)]


def test_an_optional_single_choice_can_be_taken_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kspos.menu.catalog import Choice, Group, MenuItem
    from ui.dialogs.options import OptionsDialog

    shots = Group(5, "샷 조절", "Shots", False, False,
                  (Choice(51, "샷 빼기", "", -500), Choice(52, "투샷", "", 1000)))
    item = MenuItem(1, 1, "아메리카노", "Americano", 4500, False, None, False, (shots,))
    dialog = OptionsDialog(item)
    qtbot.addWidget(dialog)
    tap(dialog, "choice-51")
    tap(dialog, "choice-52")
    assert dialog.choices() == [52]  # still one at most
    tap(dialog, "choice-52")  # a mis-tap taken back
    assert dialog.choices() == []
