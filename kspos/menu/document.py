"""A published menu as one document: what the office sends and a terminal applies.

The document is JSON (docs/office-api.md, "Menus"): option groups with their choices, then
categories with their items. Every category, item and option group has a UUID, its identity
across versions: a terminal matches what it has by UUID, so an item's local 품절 survives a new
price or a new name. :func:`parse_document` checks a document strictly and lists every problem
with where it is; :func:`from_toml` turns the TOML of ``assets/demo_menu.toml`` into a document
(identities from names, or from an ``id`` the author gives, so publishing the same file twice
names the same items).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kspos.money import MAX_PRICE_KRW

FORMAT = 1
MAX_NAME = 40
MAX_CATEGORIES = 200
MAX_ITEMS = 20_000
MAX_GROUPS = 200
MAX_CHOICES = 12  # the cashier's options sheet shows them 4 to a row: three rows at most
MAX_BARCODE = 64
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_BARCODE = re.compile(r"[0-9A-Za-z\-]+")
_NAMESPACE = "6f1d7c1e-3b52-4d0e-9a55-4b5350534d4e"  # KSPOS menus: uuid5 identities from names
_SHOWN = 8  # problems named in the one-line message


class MenuDocumentError(ValueError):
    """A document refused: ``problems`` lists each with where it is (``categories[0].items[2]
    .price: ...``); ``str()`` is one line with the first few."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - _SHOWN} more)" if len(problems) > _SHOWN else ""
        super().__init__("; ".join(problems[:_SHOWN]) + more)


@dataclass(frozen=True, slots=True)
class DocChoice:
    name: str
    name_en: str
    price_delta: int


@dataclass(frozen=True, slots=True)
class DocGroup:
    uuid: str
    name: str
    name_en: str
    required: bool
    multi: bool
    choices: tuple[DocChoice, ...]


@dataclass(frozen=True, slots=True)
class DocItem:
    uuid: str
    name: str
    name_en: str
    price: int
    tax_free: bool
    barcode: str | None
    sold_out: bool  # for an item new to the store; a known item keeps the store's own 품절
    option_groups: tuple[str, ...]  # group UUIDs, in the item's order


@dataclass(frozen=True, slots=True)
class DocCategory:
    uuid: str
    name: str
    name_en: str
    color: str
    items: tuple[DocItem, ...]


@dataclass(frozen=True, slots=True)
class MenuDocument:
    """A checked document (see :func:`parse_document`)."""

    option_groups: tuple[DocGroup, ...]
    categories: tuple[DocCategory, ...]

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)

    def to_json(self) -> dict[str, Any]:
        """The document as JSON data (what :func:`parse_document` reads back)."""
        return {"format": FORMAT,
                "option_groups": [{"uuid": g.uuid, "name": g.name, "name_en": g.name_en,
                                   "required": g.required, "multi": g.multi,
                                   "choices": [{"name": c.name, "name_en": c.name_en,
                                                "price_delta": c.price_delta}
                                               for c in g.choices]}
                                  for g in self.option_groups],
                "categories": [{"uuid": c.uuid, "name": c.name, "name_en": c.name_en,
                                "color": c.color,
                                "items": [{"uuid": i.uuid, "name": i.name, "name_en": i.name_en,
                                           "price": i.price, "tax_free": i.tax_free,
                                           "barcode": i.barcode, "sold_out": i.sold_out,
                                           "option_groups": list(i.option_groups)}
                                          for i in c.items]}
                               for c in self.categories]}


class _Reader:
    """Collects problems while reading fields, so one pass reports them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.missing: set[str] = set()  # said once: "missing", not also "must be ..."

    def bad(self, where: str, what: str) -> None:
        if where not in self.missing:
            self.problems.append(f"{where}: {what}")

    def obj(self, value: Any, where: str, required: set[str], optional: set[str]
            ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.bad(where or "menu", "must be an object")
            return None
        for key in sorted(required - value.keys()):
            self.bad(f"{where}.{key}" if where else key, "missing")
            self.missing.add(f"{where}.{key}" if where else key)
        for key in sorted(value.keys() - required - optional, key=str):
            self.bad(f"{where}.{key}" if where else str(key), "unknown field")
        return value

    def name(self, value: Any, where: str, blank_ok: bool = False) -> str:
        if not isinstance(value, str) or (not value.strip() and not blank_ok):
            self.bad(where, "must be a name (text)")
            return ""
        if len(value.strip()) > MAX_NAME:
            self.bad(where, f"at most {MAX_NAME} characters")
        return value.strip()

    def won(self, value: Any, where: str, low: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) \
                or not low <= value <= MAX_PRICE_KRW:
            self.bad(where, f"must be whole won from {low} to {MAX_PRICE_KRW}")
            return 0
        return value

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            self.bad(where, "must be true or false")
            return False
        return value

    def uuid(self, value: Any, where: str, seen: set[str]) -> str:
        if not isinstance(value, str) or not _UUID.fullmatch(value):
            self.bad(where, "must be a lower-case UUID")
            return ""
        if value in seen:
            self.bad(where, "the same UUID twice")
        seen.add(value)
        return value

    def listing(self, value: Any, where: str, low: int, high: int) -> list[Any]:
        if not isinstance(value, list):
            self.bad(where, "must be a list")
            return []
        if not low <= len(value) <= high:
            self.bad(where, f"must hold {low} to {high}")
        return value[:high]


def _group(r: _Reader, raw: Any, where: str, seen: set[str]) -> DocGroup | None:
    g = r.obj(raw, where, {"uuid", "name", "choices"}, {"name_en", "required", "multi"})
    if g is None:
        return None
    choices = []
    for n, c in enumerate(r.listing(g.get("choices"), f"{where}.choices", 1, MAX_CHOICES)):
        at = f"{where}.choices[{n}]"
        c = r.obj(c, at, {"name"}, {"name_en", "price_delta"})
        if c is not None:
            choices.append(DocChoice(r.name(c.get("name"), f"{at}.name"),
                                     r.name(c.get("name_en", ""), f"{at}.name_en", True),
                                     r.won(c.get("price_delta", 0), f"{at}.price_delta",
                                           -MAX_PRICE_KRW)))
    if len({c.name for c in choices}) != len(choices):
        r.bad(f"{where}.choices", "two choices with one name")
    return DocGroup(r.uuid(g.get("uuid"), f"{where}.uuid", seen),
                    r.name(g.get("name"), f"{where}.name"),
                    r.name(g.get("name_en", ""), f"{where}.name_en", True),
                    r.flag(g.get("required", False), f"{where}.required"),
                    r.flag(g.get("multi", False), f"{where}.multi"), tuple(choices))


def _item(r: _Reader, raw: Any, where: str, seen: set[str], groups: set[str]
          ) -> DocItem | None:
    i = r.obj(raw, where, {"uuid", "name", "price"},
              {"name_en", "tax_free", "barcode", "sold_out", "option_groups"})
    if i is None:
        return None
    barcode = i.get("barcode")
    if barcode is not None and (not isinstance(barcode, str) or len(barcode) > MAX_BARCODE
                                or not _BARCODE.fullmatch(barcode)):
        r.bad(f"{where}.barcode", f"must be up to {MAX_BARCODE} letters, digits or '-'")
        barcode = None
    links = r.listing(i.get("option_groups", []), f"{where}.option_groups", 0, MAX_GROUPS)
    for n, link in enumerate(links):
        if link not in groups:
            r.bad(f"{where}.option_groups[{n}]", "names no option group of this menu")
    if len(set(map(str, links))) != len(links):
        r.bad(f"{where}.option_groups", "the same group twice")
    return DocItem(r.uuid(i.get("uuid"), f"{where}.uuid", seen),
                   r.name(i.get("name"), f"{where}.name"),
                   r.name(i.get("name_en", ""), f"{where}.name_en", True),
                   r.won(i.get("price"), f"{where}.price", 0),
                   r.flag(i.get("tax_free", False), f"{where}.tax_free"), barcode or None,
                   r.flag(i.get("sold_out", False), f"{where}.sold_out"),
                   tuple(str(x) for x in links if isinstance(x, str)))


def _category(r: _Reader, raw: Any, where: str, seen: set[str], item_uuids: set[str],
              groups: set[str]) -> DocCategory | None:
    c = r.obj(raw, where, {"uuid", "name", "items"}, {"name_en", "color"})
    if c is None:
        return None
    color = c.get("color", "#2563EB")
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        r.bad(f"{where}.color", "must be #RRGGBB")
        color = "#2563EB"
    items = [_item(r, raw_item, f"{where}.items[{n}]", item_uuids, groups)
             for n, raw_item in enumerate(r.listing(c.get("items"), f"{where}.items", 0,
                                                    MAX_ITEMS))]
    kept = tuple(i for i in items if i is not None)
    if len({i.name for i in kept}) != len(kept):
        r.bad(f"{where}.items", "two items with one name")
    return DocCategory(r.uuid(c.get("uuid"), f"{where}.uuid", seen),
                       r.name(c.get("name"), f"{where}.name"),
                       r.name(c.get("name_en", ""), f"{where}.name_en", True), color, kept)


def parse_document(data: Any) -> MenuDocument:
    """Check a document (JSON data) and return it; MenuDocumentError with every problem."""
    r = _Reader()
    doc = r.obj(data, "", {"format", "categories"}, {"option_groups"})
    if doc is None:
        raise MenuDocumentError(r.problems)
    if doc.get("format") != FORMAT:
        r.bad("format", f"must be {FORMAT} (the format this version reads)")
    group_uuids: set[str] = set()
    groups = [_group(r, g, f"option_groups[{n}]", group_uuids)
              for n, g in enumerate(r.listing(doc.get("option_groups", []), "option_groups",
                                              0, MAX_GROUPS))]
    kept_groups = tuple(g for g in groups if g is not None)
    if len({g.name for g in kept_groups}) != len(kept_groups):
        r.bad("option_groups", "two groups with one name")
    category_uuids: set[str] = set()
    item_uuids: set[str] = set()
    cats = [_category(r, c, f"categories[{n}]", category_uuids, item_uuids, group_uuids)
            for n, c in enumerate(r.listing(doc.get("categories"), "categories", 1,
                                            MAX_CATEGORIES))]
    kept = tuple(c for c in cats if c is not None)
    if len({c.name for c in kept}) != len(kept):
        r.bad("categories", "two categories with one name")
    if sum(len(c.items) for c in kept) > MAX_ITEMS:
        r.bad("categories", f"at most {MAX_ITEMS} items in all")
    barcodes = [i.barcode for c in kept for i in c.items if i.barcode]
    if len(set(barcodes)) != len(barcodes):
        r.bad("categories", "two items with one barcode")
    if r.problems:
        raise MenuDocumentError(r.problems)
    return MenuDocument(kept_groups, kept)


def item_identity(category: str, name: str) -> str:
    """The UUID of item ``name`` in ``category`` when its author gave none: the same on every
    terminal and in every document made from the same names (a seeded demo menu, a TOML menu
    published by the office), so they are one item at the office and for 품절."""
    return _identity(None, "item", category, name)


def _identity(given: Any, *names: str) -> str:
    """A UUID from the author's ``id`` (kept as it is when it is a UUID), else from names."""
    import uuid

    if isinstance(given, str) and _UUID.fullmatch(given):
        return given
    key = str(given) if given is not None else "/".join(names)
    return str(uuid.uuid5(uuid.UUID(_NAMESPACE), key))


def from_toml(text: str) -> dict[str, Any]:
    """The TOML menu format (``assets/demo_menu.toml``: ``[[option_group]]`` with ``key`` and
    ``choices = [[name, name_en, delta], ...]``, ``[[category]]`` with ``items`` naming groups
    by key) as document data; MenuDocumentError when it is not that format. Check the result
    with :func:`parse_document`."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MenuDocumentError([f"not TOML: {exc}"]) from None
    return from_tables(data)


def from_tables(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`from_toml` on the TOML already read (the shape ``demo_menu()`` returns)."""
    unknown = sorted(data.keys() - {"option_group", "category"})
    if unknown:
        raise MenuDocumentError([f"{k}: unknown table (option_group, category)" for k in unknown])
    keys: dict[str, str] = {}
    groups = []
    for n, g in enumerate(_tables(data.get("option_group", []), "option_group")):
        choices = g.pop("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, list) and len(c) == 3
                                                    for c in choices):
            raise MenuDocumentError([f"option_group[{n}].choices: a list of "
                                     "[name, name_en, price_delta]"])
        key = str(g.pop("key", g.get("name")))
        keys[key] = _identity(g.pop("id", None), "group", key)
        groups.append({"uuid": keys[key], **g, "choices": [
            {"name": c[0], "name_en": c[1], "price_delta": c[2]} for c in choices]})
    categories = []
    for c in _tables(data.get("category", []), "category"):
        name = str(c.get("name", ""))
        items = []
        for i in _tables(c.pop("items", []), f"category {name!r} items"):
            options = i.pop("options", [])
            links = [keys.get(str(k), f"unknown group key {k!r}") for k in options] \
                if isinstance(options, list) else options
            items.append({"uuid": _identity(i.pop("id", None), "item", name,
                                            str(i.get("name", ""))),
                          **i, "option_groups": links})
        categories.append({"uuid": _identity(c.pop("id", None), "category", name), **c,
                           "items": items})
    return {"format": FORMAT, "option_groups": groups, "categories": categories}


def _tables(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MenuDocumentError([f"{where}: must be a list of tables"])
    return [dict(v) for v in value]
