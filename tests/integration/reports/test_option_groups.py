"""옵션 그룹 관리 without Qt: validation, saving choices in order, editing, deleting, audit."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from kspos.menu.catalog import load_catalog
from kspos.menu.options import ChoiceForm, GroupForm, OptionGroupError, parse_delta
from kspos.sales.orders import ChosenOption, OrderLine
from kspos.sales.staff import AuthError
from kspos.store.models import AuditEntry


def _shots() -> GroupForm:
    return GroupForm("샷 조절", [ChoiceForm("기본"), ChoiceForm("샷 빼기", "-500"),
                                ChoiceForm("", ""),  # a row left empty is not a choice
                                ChoiceForm("투샷", "+1,000원")],
                     "Shots", required=True)


@pytest.mark.parametrize("text, delta", [
    ("", 0), ("0", 0), ("+500", 500), ("500원", 500), ("-300", -300), ("−300", -300),
    ("1,000", 1000), (" + 1,000 원 ", 1000), (700, 700)])
def test_price_changes_read_as_the_owner_types_them(text, delta) -> None:  # type: ignore[no-untyped-def]
    assert parse_delta(text) == delta


@pytest.mark.parametrize("text", ["abc", "+", "4.5", "500달러", "100000001", True])
def test_bad_price_changes_are_refused_with_a_reason(text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OptionGroupError, match="추가 금액"):
        parse_delta(text)


def test_a_new_group_reaches_the_cashier_with_its_choices_in_order(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    group_id = menu.save_option_group(_shots(), owner)
    americano = menu.categories()[0].items[0]
    form = americano.form()
    form.group_ids = [*form.group_ids, group_id]
    menu.save_item(form, owner)
    item = load_catalog(db).by_id[americano.id]
    shots = next(g for g in item.groups if g.id == group_id)
    assert (shots.name, shots.name_en, shots.required, shots.multi) == ("샷 조절", "Shots",
                                                                        True, False)
    assert [(c.name, c.price_delta) for c in shots.choices] == [
        ("기본", 0), ("샷 빼기", -500), ("투샷", 1000)]
    # the cashier's line is priced with the chosen delta (4,500 − 500)
    minus = shots.choices[1]
    chosen = ChosenOption(shots.name, minus.name, minus.name_en, minus.price_delta)
    assert OrderLine(americano.id, "아메리카노", 4_500, 1, (chosen,)).unit_price == 4_000


def test_editing_keeps_kept_choices_and_is_audited(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    group_id = menu.save_option_group(_shots(), owner)
    detail = next(g for g in menu.option_group_details() if g.id == group_id)
    form = detail.form()
    basic, minus, double = form.choices
    minus.name, minus.price_delta = "연하게", "0"
    form.choices = [double, minus, ChoiceForm("쓰리샷", "1500")]  # 기본 removed, order changed
    form.multi = True
    menu.save_option_group(form, owner)
    again = next(g for g in menu.option_group_details() if g.id == group_id)
    assert [(c.name, c.price_delta) for c in again.choices] == [
        ("투샷", 1000), ("연하게", 0), ("쓰리샷", 1500)]
    assert again.choices[0].id == double.id and again.choices[1].id == minus.id
    assert basic.id not in {c.id for c in again.choices}
    assert again.multi is True
    with db.session() as s:
        saves = [json.loads(a.detail) for a in s.exec(
            select(AuditEntry).where(AuditEntry.action == "option_group_save"))]
    assert saves[-1]["choices"] == [["투샷", 1000], ["연하게", 0], ["쓰리샷", 1500]]
    assert len(saves) == 2


def test_every_problem_is_listed_before_anything_is_saved(admin) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    bad = GroupForm("사이즈", [ChoiceForm("R"), ChoiceForm("R", "100"), ChoiceForm("", "500"),
                             ChoiceForm("L", "오백")])
    problems = [str(p) for p in menu.option_group_problems(bad)]
    assert any("이미 있습니다" in p for p in problems)  # the demo menu has 사이즈
    assert any("두 번" in p for p in problems)
    assert any("이름을 입력하세요" in p for p in problems)  # the 500원 row without a name
    assert any("추가 금액" in p and p.startswith("L") for p in problems)
    blank = menu.option_group_problems(GroupForm(" ", [ChoiceForm("", "")]))
    assert [p.code for p in blank] == ["option.group_name_missing", "option.no_choices"]
    assert [p.text("ko") for p in blank] == ["옵션 그룹 이름을 입력하세요",
                                             "선택지를 하나 이상 입력하세요"]
    many = GroupForm("토핑", [ChoiceForm(f"토핑 {n}") for n in range(13)])
    assert any("12개까지" in str(p) for p in menu.option_group_problems(many))
    before = len(menu.option_groups())
    with pytest.raises(OptionGroupError):
        menu.save_option_group(bad, owner)
    assert len(menu.option_groups()) == before


def test_only_the_owner_changes_groups(admin) -> None:  # type: ignore[no-untyped-def]
    menu, _, cashier = admin
    with pytest.raises(AuthError):
        menu.save_option_group(_shots(), cashier)
    with pytest.raises(AuthError):
        menu.delete_option_group(menu.option_groups()[0].id, cashier)


def test_deleting_a_group_takes_it_off_every_item(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    size = next(g for g in menu.option_group_details() if g.name == "사이즈")
    assert size.item_count >= 5  # the demo cafe's drinks offer it
    menu.delete_option_group(size.id, owner)
    snapshot = load_catalog(db)
    assert all(g.name != "사이즈" for item in snapshot.by_id.values() for g in item.groups)
    assert "사이즈" not in [g.name for g in menu.option_groups()]
    with db.session() as s:
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.action == "option_group_delete")).one()
    assert json.loads(entry.detail)["items"] == size.item_count
    with pytest.raises(OptionGroupError, match="찾을 수 없습니다"):
        menu.delete_option_group(size.id, owner)


@pytest.mark.parametrize("required, multi, deltas, lowest", [
    (True, False, [0, 500], 0), (True, False, [500, 1000], 500), (False, False, [-300, 500], -300),
    (False, False, [500], 0), (False, True, [-300, -200, 500], -500), (True, True, [500, 700], 500),
    (True, True, [-100, 500], -100), (False, True, [], 0)])
def test_the_most_a_group_can_take_off(required, multi, deltas, lowest) -> None:  # type: ignore[no-untyped-def]
    from kspos.menu.options import lowest_change

    assert lowest_change(required, multi, deltas) == lowest


def test_no_option_can_take_an_item_below_zero(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    cheap = min((i for c in menu.categories() for i in c.items), key=lambda i: i.price)
    group_id = menu.save_option_group(GroupForm("할인 옵션", [ChoiceForm("기본"),
                                                           ChoiceForm("텀블러", "-300")]), owner)
    form = cheap.form()
    form.group_ids = [*form.group_ids, group_id]
    menu.save_item(form, owner)  # fine: -300 on a cheap item still leaves money
    # editing the group so one pick would make that item negative is refused, naming it
    detail = next(g for g in menu.option_group_details() if g.id == group_id).form()
    detail.choices[1].price_delta = f"-{cheap.price + 1}"
    problems = [str(p) for p in menu.option_group_problems(detail)]
    assert any(cheap.name in p and "0원 아래" in p for p in problems), problems
    with pytest.raises(OptionGroupError):
        menu.save_option_group(detail, owner)
    # and so is giving an item a group that could do it
    big_cut = menu.save_option_group(GroupForm("큰 할인", [ChoiceForm("전액", -cheap.price)],
                                               required=True), owner)
    form.group_ids = [*form.group_ids, big_cut]
    assert any("0원 아래" in str(p) for p in menu.problems(form))
    assert load_catalog(db).by_id[cheap.id].price + sum(
        min(c.price_delta for c in g.choices) for g in load_catalog(db).by_id[cheap.id].groups
        if g.required) >= 0


def test_unicode_digits_are_not_a_price_change() -> None:
    for text in ("²", "５００", "1" * 13):
        with pytest.raises(OptionGroupError, match="추가 금액"):
            parse_delta(text)
