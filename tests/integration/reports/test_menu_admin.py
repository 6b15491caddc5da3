"""메뉴 관리 without Qt: validation messages, audited saves, reordering, the cashier's snapshot."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from kspos.menu.admin import ItemForm, MenuError, parse_price
from kspos.menu.catalog import load_catalog
from kspos.sales.staff import AuthError
from kspos.store.models import AuditEntry


def _audits(db, action):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [json.loads(a.detail) for a in s.exec(select(AuditEntry)
                                                     .where(AuditEntry.action == action))]


@pytest.mark.parametrize("text, words", [
    ("", "가격을 입력하세요"), ("abc", "원 단위 숫자"), ("-500", "0원 이상"),
    ("100000001", "100,000,000원 이하"), ("4.5", "원 단위 숫자"),
])
def test_bad_prices_are_refused_with_a_reason(text, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MenuError, match=words):
        parse_price(text)


def test_price_forms_accepted() -> None:
    assert [parse_price(p) for p in ("4,500", "4500원", " 0 ", 12_000)] == [4500, 4500, 0, 12000]


def test_price_change_and_sold_out_are_audited_and_reach_the_catalog(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    americano = menu.categories()[0].items[0]
    form = americano.form()
    form.price, form.sold_out = "4,800", True
    menu.save_item(form, owner)
    item = load_catalog(db).by_id[americano.id]
    assert (item.price, item.sold_out) == (4_800, True)
    assert _audits(db, "price_change") == [{"item_id": americano.id, "name": "아메리카노",
                                            "old": 4_500, "new": 4_800}]
    assert _audits(db, "sold_out")[0]["on"] is True
    menu.set_sold_out(americano.id, False, owner)
    assert load_catalog(db).by_id[americano.id].sold_out is False
    assert len(_audits(db, "sold_out")) == 2


def test_validation_lists_every_problem(admin) -> None:  # type: ignore[no-untyped-def]
    menu, owner, _ = admin
    coffee = menu.categories()[0]
    form = ItemForm(coffee.id, "  ", "오천원", barcode="8801234567890")
    problems = [str(p) for p in menu.problems(form)]
    assert any("이름" in p for p in problems) and any("가격" in p for p in problems)
    assert any("체크 숫자" in p for p in problems)
    taken = ItemForm(coffee.id, "새 원두", "15000", barcode="8801234567893")  # 원두 200g's
    assert any("이미" in str(p) for p in menu.problems(taken))
    twin = ItemForm(coffee.id, "아메리카노", "4000")
    assert any("이미 있습니다" in str(p) for p in menu.problems(twin))
    with pytest.raises(MenuError):
        menu.save_item(form, owner)


def test_new_item_reorder_and_delete(admin, db) -> None:  # type: ignore[no-untyped-def]
    menu, owner, cashier = admin
    coffee = menu.categories()[0]
    with pytest.raises(AuthError):
        menu.save_item(ItemForm(coffee.id, "플랫화이트", "5500"), cashier)
    new_id = menu.save_item(ItemForm(coffee.id, "플랫화이트", "5,500", "Flat white",
                                     barcode="4006381333931",
                                     group_ids=[menu.option_groups()[0].id]), owner)
    items = [i.id for i in menu.categories()[0].items]
    assert items[-1] == new_id
    menu.move_item(new_id, -100, owner)
    assert menu.categories()[0].items[0].id == new_id
    snapshot = load_catalog(db)
    assert snapshot.categories[0].items[0].name == "플랫화이트"
    assert snapshot.by_barcode["4006381333931"].id == new_id
    assert [g.name for g in snapshot.by_id[new_id].groups] == [menu.option_groups()[0].name]
    ids = [c.id for c in menu.categories()]
    menu.reorder_categories(list(reversed(ids)), owner)
    assert [c.id for c in menu.categories()] == list(reversed(ids))
    menu.delete_item(new_id, owner)
    assert new_id not in load_catalog(db).by_id
    with pytest.raises(MenuError):
        menu.reorder_items(coffee.id, [new_id], owner)
