"""메뉴 관리: validating, saving and reordering the menu, without Qt.

Every change needs ``menu_edit`` (an owner). Price changes and 품절 toggles are audited with
the old and new values. Items are never deleted from the table (sales history copies what it
sold, but a soft delete keeps ids stable): 삭제 sets ``active`` off. After a save the caller
reloads the catalog snapshot (``AppContext.reload_catalog``) so the cashier grid updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kspos.devices.scanning import gtin_ok
from kspos.menu.options import (
    GroupDetail,
    GroupForm,
    delete_group,
    group_details,
    group_lows,
    group_problems,
    save_group,
)
from kspos.money import MAX_PRICE_KRW
from kspos.sales.audit import audit
from kspos.sales.staff import StaffMember, require
from kspos.store import menu as menu_store
from kspos.store.db import Database
from kspos.store.models import Category, Item

MAX_NAME = 40
COLOR_DIGITS = set("0123456789abcdefABCDEF")


class MenuError(ValueError):
    """A refused menu change; ``str()`` lists what to fix (Korean first)."""


@dataclass
class ItemForm:
    """What the item form edits. ``price`` is the text typed (validated here)."""

    category_id: int
    name: str
    price: str | int
    name_en: str = ""
    tax_free: bool = False
    barcode: str = ""
    sold_out: bool = False
    group_ids: list[int] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class AdminItem:
    id: int
    category_id: int
    name: str
    name_en: str
    price: int
    tax_free: bool
    barcode: str
    sold_out: bool
    group_ids: tuple[int, ...]

    def form(self) -> ItemForm:
        return ItemForm(self.category_id, self.name, self.price, self.name_en, self.tax_free,
                        self.barcode, self.sold_out, list(self.group_ids), self.id)


@dataclass(frozen=True)
class AdminCategory:
    id: int
    name: str
    name_en: str
    color: str
    items: tuple[AdminItem, ...]


@dataclass(frozen=True)
class AdminGroup:
    id: int
    name: str
    name_en: str
    required: bool


def parse_price(value: str | int) -> int:
    """``"4,500"``, ``"4500원"`` or 4500 → 4500; MenuError with the reason otherwise."""
    if isinstance(value, bool):
        raise MenuError("가격은 숫자로 입력하세요 (price must be a number)")
    if isinstance(value, int):
        price = value
    else:
        text = value.strip().removesuffix("원").replace(",", "").strip()
        if not text:
            raise MenuError("가격을 입력하세요 (enter a price)")
        if text.startswith("-") and text[1:].isdigit():
            raise MenuError("가격은 0원 이상이어야 합니다 (price cannot be negative)")
        if not text.isdigit():
            raise MenuError(f"가격은 원 단위 숫자로 입력하세요: {value!r} (whole won only)")
        price = int(text)
    if price < 0:
        raise MenuError("가격은 0원 이상이어야 합니다 (price cannot be negative)")
    if price > MAX_PRICE_KRW:
        raise MenuError(f"가격은 {MAX_PRICE_KRW:,}원 이하여야 합니다 (at most {MAX_PRICE_KRW:,})")
    return price


class MenuAdmin:
    """The menu tables, for the 메뉴 관리 screen."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reading ----------------------------------------------------------------------------

    def categories(self) -> list[AdminCategory]:
        """Active categories with their active items (sold-out ones too), in menu order."""
        with self.db.session() as s:
            links = menu_store.item_groups(s)
            items: dict[int, list[AdminItem]] = {}
            for it in menu_store.active_items(s):
                assert it.id is not None
                items.setdefault(it.category_id, []).append(AdminItem(
                    it.id, it.category_id, it.name, it.name_en, it.price, it.tax_free,
                    it.barcode or "", it.sold_out, tuple(links.get(it.id, ()))))
            return [AdminCategory(c.id, c.name, c.name_en, c.color, tuple(items.get(c.id, [])))
                    for c in menu_store.active_categories(s) if c.id is not None]

    def option_groups(self) -> list[AdminGroup]:
        with self.db.session() as s:
            return [AdminGroup(g.id, g.name, g.name_en, g.required)
                    for g in menu_store.groups(s) if g.id is not None]

    def option_group_details(self) -> list[GroupDetail]:
        """Every option group with its choices (the 옵션 그룹 관리 dialog)."""
        return group_details(self.db)

    def option_group_problems(self, form: GroupForm) -> list[str]:
        return group_problems(self.db, form)

    def save_option_group(self, form: GroupForm, staff: StaffMember | None) -> int:
        return save_group(self.db, form, staff)

    def delete_option_group(self, group_id: int, staff: StaffMember | None) -> None:
        delete_group(self.db, group_id, staff)

    # --- validation -------------------------------------------------------------------------

    def problems(self, form: ItemForm) -> list[str]:
        """Everything wrong with ``form``, as messages for the owner (empty = fine)."""
        found: list[str] = []
        name = form.name.strip()
        if not name:
            found.append("이름을 입력하세요 (enter a name)")
        elif len(name) > MAX_NAME:
            found.append(f"이름은 {MAX_NAME}자까지입니다 (name too long)")
        if len(form.name_en.strip()) > MAX_NAME * 2:
            found.append("영문명이 너무 깁니다 (English name too long)")
        try:
            parse_price(form.price)
        except MenuError as exc:
            found.append(str(exc))
        barcode = form.barcode.strip()
        if barcode and not gtin_ok(barcode):
            found.append(f"바코드 {barcode}: EAN-13/EAN-8/UPC-A 체크 숫자가 맞지 않습니다 "
                         "(not a valid EAN/UPC barcode)")
        with self.db.session() as s:
            if menu_store.category(s, form.category_id) is None:
                found.append("분류를 고르세요 (choose a category)")
            if barcode and gtin_ok(barcode):
                other = menu_store.active_item_with_barcode(s, barcode, form.id)
                if other is not None:
                    found.append(f"바코드 {barcode}는 이미 '{other.name}'에 쓰였습니다 "
                                 "(barcode already used)")
            if name:
                twin = menu_store.active_item_named(s, name, form.category_id, form.id)
                if twin is not None:
                    found.append(f"같은 분류에 '{name}' 메뉴가 이미 있습니다 (duplicate name)")
            lows = group_lows(s)
            if any(g not in lows for g in form.group_ids):
                found.append("없는 옵션 그룹입니다 (unknown option group)")
            elif not found:  # every choice the cashier can make keeps the line at 0원 or more
                lowest = parse_price(form.price) + sum(lows[g] for g in set(form.group_ids))
                if lowest < 0:
                    found.append(f"옵션을 고르면 가격이 {lowest:,}원이 됩니다: 0원 아래로 "
                                 "내려가지 않게 하세요 (options would make the price negative)")
        return found

    # --- writing ----------------------------------------------------------------------------

    def save_item(self, form: ItemForm, staff: StaffMember | None) -> int:
        """Insert or update an item; audits price and 품절 changes. Returns the item id."""
        require(staff, "menu_edit")
        assert staff is not None
        found = self.problems(form)
        if found:
            raise MenuError("\n".join(found))
        price = parse_price(form.price)
        with self.db.session() as s:
            if form.id is None:
                row = Item(category_id=form.category_id, name="", price=price,
                           position=menu_store.next_item_position(s, form.category_id))
                old_price, old_sold_out = None, False
            else:
                found_row = menu_store.item(s, form.id)
                if found_row is None or not found_row.active:
                    raise MenuError("메뉴를 찾을 수 없습니다 (item not found)")
                row = found_row
                old_price, old_sold_out = row.price, row.sold_out
            row.category_id, row.name, row.name_en = (form.category_id, form.name.strip(),
                                                      form.name_en.strip())
            row.price, row.tax_free, row.sold_out = price, form.tax_free, form.sold_out
            row.barcode = form.barcode.strip() or None
            menu_store.save(s, row)
            assert row.id is not None
            menu_store.set_item_groups(s, row.id, form.group_ids)
            if old_price is None:
                audit(s, "menu_item_add", staff.id, item_id=row.id, name=row.name, price=price)
            elif old_price != price:
                audit(s, "price_change", staff.id, item_id=row.id, name=row.name,
                      old=old_price, new=price)
            if old_sold_out != form.sold_out:
                audit(s, "sold_out", staff.id, item_id=row.id, name=row.name, on=form.sold_out)
            return row.id

    def set_sold_out(self, item_id: int, sold_out: bool, staff: StaffMember | None) -> None:
        """The quick 품절 toggle (audited)."""
        require(staff, "menu_edit")
        assert staff is not None
        with self.db.session() as s:
            row = menu_store.item(s, item_id)
            if row is None or not row.active:
                raise MenuError("메뉴를 찾을 수 없습니다 (item not found)")
            if row.sold_out != sold_out:
                row.sold_out = sold_out
                menu_store.add(s, row)
                audit(s, "sold_out", staff.id, item_id=item_id, name=row.name, on=sold_out)

    def delete_item(self, item_id: int, staff: StaffMember | None) -> None:
        require(staff, "menu_edit")
        assert staff is not None
        with self.db.session() as s:
            row = menu_store.item(s, item_id)
            if row is None:
                raise MenuError("메뉴를 찾을 수 없습니다 (item not found)")
            row.active = False
            menu_store.add(s, row)
            audit(s, "menu_item_delete", staff.id, item_id=item_id, name=row.name)

    def reorder_items(self, category_id: int, ordered_ids: list[int],
                      staff: StaffMember | None) -> None:
        """Set the order of a category's items (the drag result): every active item once."""
        require(staff, "menu_edit")
        with self.db.session() as s:
            rows = {r.id: r for r in menu_store.active_items(s, category_id) if r.id is not None}
            if sorted(ordered_ids) != sorted(rows):
                raise MenuError("메뉴 목록이 바뀌었습니다: 다시 불러오세요 (menu changed; reload)")
            for position, item_id in enumerate(ordered_ids):
                rows[item_id].position = position
                menu_store.add(s, rows[item_id])

    def move_item(self, item_id: int, delta: int, staff: StaffMember | None) -> None:
        """↑/↓: move an item ``delta`` places within its category."""
        category = next((c for c in self.categories() for i in c.items if i.id == item_id), None)
        if category is None:
            raise MenuError("메뉴를 찾을 수 없습니다 (item not found)")
        ids = [i.id for i in category.items]
        at = ids.index(item_id)
        to = max(0, min(len(ids) - 1, at + delta))
        ids.insert(to, ids.pop(at))
        self.reorder_items(category.id, ids, staff)

    def reorder_categories(self, ordered_ids: list[int], staff: StaffMember | None) -> None:
        require(staff, "menu_edit")
        with self.db.session() as s:
            rows = {r.id: r for r in menu_store.active_categories(s) if r.id is not None}
            if sorted(ordered_ids) != sorted(rows):
                raise MenuError("분류 목록이 바뀌었습니다: 다시 불러오세요 (categories changed)")
            for position, category_id in enumerate(ordered_ids):
                rows[category_id].position = position
                menu_store.add(s, rows[category_id])

    def save_category(self, name: str, staff: StaffMember | None, name_en: str = "",
                      color: str = "#2563EB", category_id: int | None = None) -> int:
        require(staff, "menu_edit")
        assert staff is not None
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise MenuError("분류 이름을 1-40자로 입력하세요 (category name 1-40 characters)")
        if not (len(color) == 7 and color[0] == "#" and set(color[1:]) <= COLOR_DIGITS):
            raise MenuError(f"색상은 #RRGGBB 형식입니다 (colour like #2563EB, got {color!r})")
        with self.db.session() as s:
            row = (Category(name=name) if category_id is None
                   else menu_store.category(s, category_id))
            if row is None:
                raise MenuError("분류를 찾을 수 없습니다 (category not found)")
            if category_id is None:
                row.position = menu_store.next_category_position(s)
            row.name, row.name_en, row.color = name, name_en.strip(), color
            menu_store.save(s, row)
            assert row.id is not None
            audit(s, "menu_category_save", staff.id, category_id=row.id, name=name)
            return row.id
