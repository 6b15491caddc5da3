"""The menu: categories, items and option groups, read once into an immutable snapshot.

Taps look items up in the snapshot (dict access), never in SQLite; the snapshot is rebuilt
when the menu editor saves.
"""

from __future__ import annotations

from typing import Any

from kspos.money import MAX_PRICE_KRW
from kspos.records import DataclassFields, FrozenRecord
from kspos.store import menu as menu_store
from kspos.store.db import Database

_set = object.__setattr__  # a frozen record's __init__ sets its fields through object

# Frozen records (kspos/records.py), not @dataclass: the cashier screen loads the menu before
# its first paint, and each @dataclass cost 1-2 ms of start-up. Same fields, keywords, equality,
# hashing and immutability; ``dataclasses.replace()`` / ``fields()`` still work on them.


class Choice(FrozenRecord):
    __slots__ = _fields = ("id", "name", "name_en", "price_delta")
    __dataclass_fields__ = DataclassFields()
    id: int
    name: str
    name_en: str
    price_delta: int

    def __init__(self, id: int, name: str, name_en: str, price_delta: int) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "name_en", name_en)
        _set(self, "price_delta", price_delta)


class Group(FrozenRecord):
    """An option group such as 사이즈 (required, single) or 추가 (optional, multi)."""

    __slots__ = _fields = ("id", "name", "name_en", "required", "multi", "choices")
    __dataclass_fields__ = DataclassFields()
    id: int
    name: str
    name_en: str
    required: bool
    multi: bool
    choices: tuple[Choice, ...]

    def __init__(self, id: int, name: str, name_en: str, required: bool, multi: bool,
                 choices: tuple[Choice, ...]) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "name_en", name_en)
        _set(self, "required", required)
        _set(self, "multi", multi)
        _set(self, "choices", choices)


class MenuItem(FrozenRecord):
    __slots__ = _fields = ("id", "category_id", "name", "name_en", "price", "tax_free", "barcode",
                           "sold_out", "groups")
    __dataclass_fields__ = DataclassFields()
    id: int
    category_id: int
    name: str
    name_en: str
    price: int
    tax_free: bool
    barcode: str | None
    sold_out: bool
    groups: tuple[Group, ...]

    def __init__(self, id: int, category_id: int, name: str, name_en: str, price: int,
                 tax_free: bool, barcode: str | None, sold_out: bool,
                 groups: tuple[Group, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "category_id", category_id)
        _set(self, "name", name)
        _set(self, "name_en", name_en)
        _set(self, "price", price)
        _set(self, "tax_free", tax_free)
        _set(self, "barcode", barcode)
        _set(self, "sold_out", sold_out)
        _set(self, "groups", groups)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class MenuCategory(FrozenRecord):
    __slots__ = _fields = ("id", "name", "name_en", "color", "items")
    __dataclass_fields__ = DataclassFields()
    id: int
    name: str
    name_en: str
    color: str
    items: tuple[MenuItem, ...]

    def __init__(self, id: int, name: str, name_en: str, color: str,
                 items: tuple[MenuItem, ...]) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "name_en", name_en)
        _set(self, "color", color)
        _set(self, "items", items)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class Catalog(FrozenRecord):
    """An immutable view of the active menu, indexed for O(1) taps and scans."""

    __slots__ = _fields = ("categories", "by_id", "by_barcode")
    __dataclass_fields__ = DataclassFields()
    categories: tuple[MenuCategory, ...]
    by_id: dict[int, MenuItem]
    by_barcode: dict[str, MenuItem]

    def __init__(self, categories: tuple[MenuCategory, ...],
                 by_id: dict[int, MenuItem] | None = None,
                 by_barcode: dict[str, MenuItem] | None = None) -> None:
        _set(self, "categories", categories)
        _set(self, "by_id", {} if by_id is None else by_id)
        _set(self, "by_barcode", {} if by_barcode is None else by_barcode)

    @classmethod
    def build(cls, categories: tuple[MenuCategory, ...]) -> Catalog:
        by_id = {i.id: i for c in categories for i in c.items}
        by_barcode = {i.barcode: i for i in by_id.values() if i.barcode}
        return cls(categories=categories, by_id=by_id, by_barcode=by_barcode)

    def item(self, item_id: int) -> MenuItem:
        return self.by_id[item_id]

    def category_of(self, item: MenuItem) -> MenuCategory:
        return next(c for c in self.categories if c.id == item.category_id)


def load_catalog(db: Database) -> Catalog:
    """Read the active menu into a snapshot (plain sqlite3: this runs before the first paint)."""
    choices: dict[int, list[Choice]] = {}
    for cid, gid, name, name_en, delta in menu_store.choice_rows(db):
        choices.setdefault(gid, []).append(Choice(cid, name, name_en, delta))
    groups = {gid: Group(gid, name, name_en, required, multi, tuple(choices.get(gid, [])))
              for gid, name, name_en, required, multi in menu_store.group_rows(db)}
    links: dict[int, list[tuple[int, Group]]] = {}
    for item_id, gid, position in menu_store.link_rows(db):
        links.setdefault(item_id, []).append((position, groups[gid]))
    items: dict[int, list[MenuItem]] = {}
    for iid, cat, name, name_en, price, tax_free, barcode, sold_out in menu_store.item_rows(db):
        ordered = sorted(links.get(iid, []), key=lambda p: (not p[1].required, p[0]))
        items.setdefault(cat, []).append(MenuItem(
            iid, cat, name, name_en, price, tax_free, barcode, sold_out,
            tuple(g for _, g in ordered)))
    cats = tuple(MenuCategory(cid, name, name_en, color, tuple(items.get(cid, [])))
                 for cid, name, name_en, color in menu_store.category_rows(db))
    return Catalog.build(cats)


def catalog_is_empty(db: Database) -> bool:
    return not menu_store.has_items(db)


def demo_menu() -> dict[str, Any]:
    """The demo cafe's menu from ``assets/demo_menu.toml``."""
    import tomllib  # only when the demo menu is seeded: not on every start
    from importlib import resources

    text = resources.files("assets").joinpath("demo_menu.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def seed_menu(db: Database, menu: dict[str, Any]) -> int:
    """Insert a menu (demo_menu() format) into an empty catalog; returns items added."""
    from kspos.store.models import Category, Item, ItemOptionGroup, OptionChoice, OptionGroup

    with db.session() as s:
        if menu_store.any_item(s):
            return 0
        group_ids: dict[str, int] = {}
        for gpos, g in enumerate(menu.get("option_group", [])):
            group = OptionGroup(name=g["name"], name_en=g.get("name_en", ""),
                                required=g.get("required", False), multi=g.get("multi", False),
                                position=gpos)
            menu_store.save(s, group)
            assert group.id is not None
            group_ids[g["key"]] = group.id
            for cpos, (name, name_en, delta) in enumerate(g["choices"]):
                menu_store.add(s, OptionChoice(group_id=group.id, name=name, name_en=name_en,
                                               price_delta=delta, position=cpos))
        added = 0
        for cpos, c in enumerate(menu.get("category", [])):
            cat = Category(name=c["name"], name_en=c.get("name_en", ""),
                           color=c.get("color", "#2563EB"), position=cpos)
            menu_store.save(s, cat)
            assert cat.id is not None
            for ipos, i in enumerate(c.get("items", [])):
                if not 0 <= i["price"] <= MAX_PRICE_KRW:
                    raise ValueError(f"{i['name']}: price {i['price']} out of range")
                item = Item(category_id=cat.id, name=i["name"], name_en=i.get("name_en", ""),
                            price=i["price"], tax_free=i.get("tax_free", False),
                            barcode=i.get("barcode"), sold_out=i.get("sold_out", False),
                            position=ipos)
                menu_store.save(s, item)
                assert item.id is not None
                for gpos, key in enumerate(i.get("options", [])):
                    menu_store.add(s, ItemOptionGroup(item_id=item.id,
                                                      group_id=group_ids[key], position=gpos))
                added += 1
    return added
