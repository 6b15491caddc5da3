"""The menu: categories, items and option groups, read once into an immutable snapshot.

Taps look items up in the snapshot (dict access), never in SQLite; the snapshot is rebuilt
when the menu editor saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kspos.money import MAX_PRICE_KRW
from kspos.store import menu as menu_store
from kspos.store.db import Database


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str
    name_en: str
    price_delta: int


@dataclass(frozen=True, slots=True)
class Group:
    """An option group such as 사이즈 (required, single) or 추가 (optional, multi)."""

    id: int
    name: str
    name_en: str
    required: bool
    multi: bool
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class MenuItem:
    id: int
    category_id: int
    name: str
    name_en: str
    price: int
    tax_free: bool
    barcode: str | None
    sold_out: bool
    groups: tuple[Group, ...] = ()

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class MenuCategory:
    id: int
    name: str
    name_en: str
    color: str
    items: tuple[MenuItem, ...]

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class Catalog:
    """An immutable view of the active menu, indexed for O(1) taps and scans."""

    categories: tuple[MenuCategory, ...]
    by_id: dict[int, MenuItem] = field(default_factory=dict)
    by_barcode: dict[str, MenuItem] = field(default_factory=dict)


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
    groups = {gid: Group(gid, name, name_en, bool(required), bool(multi),
                         tuple(choices.get(gid, [])))
              for gid, name, name_en, required, multi in menu_store.group_rows(db)}
    links: dict[int, list[tuple[int, Group]]] = {}
    for item_id, gid, position in menu_store.link_rows(db):
        links.setdefault(item_id, []).append((position, groups[gid]))
    items: dict[int, list[MenuItem]] = {}
    for iid, cat, name, name_en, price, tax_free, barcode, sold_out in menu_store.item_rows(db):
        ordered = sorted(links.get(iid, []), key=lambda p: (not p[1].required, p[0]))
        items.setdefault(cat, []).append(MenuItem(
            iid, cat, name, name_en, price, bool(tax_free), barcode, bool(sold_out),
            tuple(g for _, g in ordered)))
    cats = tuple(MenuCategory(cid, name, name_en, color, tuple(items.get(cid, [])))
                 for cid, name, name_en, color in menu_store.category_rows(db))
    return Catalog.build(cats)


def catalog_is_empty(db: Database) -> bool:
    return not menu_store.has_items(db)


DEMO_MENUS = {"cafe": "demo_menu.toml", "retail": "demo_menu.toml",
              "restaurant": "demo_restaurant_menu.toml"}


def demo_menu(kind: str = "cafe") -> dict[str, Any]:
    """The demo menu of a business ``kind``: the cafe's (``assets/demo_menu.toml``, also the
    shop's) or the restaurant's (``assets/demo_restaurant_menu.toml``)."""
    import tomllib  # only when the demo menu is seeded: not on every start
    from importlib import resources

    name = DEMO_MENUS.get(kind, DEMO_MENUS["cafe"])
    text = resources.files("assets").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def seed_menu(db: Database, menu: dict[str, Any]) -> int:
    """Insert a menu (demo_menu() format) into an empty catalog; returns items added."""
    from kspos.menu.document import item_identity
    from kspos.store.models import Category, Item, ItemOptionGroup, OptionChoice, OptionGroup

    # an item's UUID comes from its names, as in a published TOML menu: terminals seeded with
    # one menu share their items, so the office counts one 아메리카노, not one per counter
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
                item = Item(uuid=item_identity(c["name"], i["name"]), category_id=cat.id,
                            name=i["name"], name_en=i.get("name_en", ""),
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
