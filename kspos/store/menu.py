"""The menu: the ``category``, ``item``, ``option_group``, ``option_choice`` and
``item_option_group`` tables.

Two kinds of access. The cashier's snapshot (:func:`kspos.menu.catalog.load_catalog`) is read
before the first paint on the store's plain connection (``Database.read``): the ``*_rows``
functions, which return SQLite's rows and import no ORM. 메뉴 관리 reads and changes model rows
(:mod:`kspos.store.models`) on the caller's unit of work, a Session from
``Database.session()``, so each change commits with its audit line.
"""

from __future__ import annotations

from kspos.store.orm import session_of

TYPE_CHECKING = False  # start-up: the snapshot's reads come before the first paint
if TYPE_CHECKING:
    from typing import Any

    from sqlmodel import SQLModel

    from kspos.store.db import Database
    from kspos.store.models import Category, Item, OptionChoice, OptionGroup
    from kspos.store.unit import Unit


# --- the cashier's snapshot (plain reads) -------------------------------------------------------
# The rows come back as SQLite gives them (booleans 0/1): 20,000 items are read before the
# first paint, and copying each row into a typed tuple here cost ~5% of that.


def choice_rows(db: Database) -> list[tuple[Any, ...]]:
    """Every option choice (id, group id, name, English name, price delta), in order."""
    return db.read("SELECT id, group_id, name, name_en, price_delta FROM option_choice "
                   "ORDER BY position, id")


def group_rows(db: Database) -> list[tuple[Any, ...]]:
    """Every option group (id, name, English name, required 0/1, multi 0/1)."""
    return db.read("SELECT id, name, name_en, required, multi FROM option_group")


def link_rows(db: Database) -> list[tuple[Any, ...]]:
    """Which items offer which groups (item id, group id, position among the item's)."""
    return db.read("SELECT item_id, group_id, position FROM item_option_group")


def item_rows(db: Database) -> list[tuple[Any, ...]]:
    """The active items (id, category id, name, English name, price, tax free 0/1, barcode
    or None, sold out 0/1), in menu order."""
    return db.read("SELECT id, category_id, name, name_en, price, tax_free, barcode, sold_out "
                   "FROM item WHERE active ORDER BY position, id")


def category_rows(db: Database) -> list[tuple[Any, ...]]:
    """The active categories (id, name, English name, colour), in menu order."""
    return db.read("SELECT id, name, name_en, color FROM category WHERE active "
                   "ORDER BY position, id")


def has_items(db: Database) -> bool:
    """Whether any item was ever added (a deleted one counts: the menu is not new)."""
    return bool(db.read("SELECT 1 FROM item LIMIT 1"))


# --- 메뉴 관리: model rows on the caller's session ------------------------------------------------


def add(unit: Unit, row: SQLModel) -> None:
    """Add or change ``row``: written at the unit's next flush (at the latest, its commit)."""
    session_of(unit).add(row)


def save(unit: Unit, row: SQLModel) -> None:
    """Add or change ``row`` now (a new row has its ``id`` afterwards)."""
    session = session_of(unit)
    session.add(row)
    session.flush()


def any_item(unit: Unit) -> bool:
    """Whether the item table has any row (active or not)."""
    from sqlmodel import select

    from kspos.store.models import Item

    return session_of(unit).exec(select(Item).limit(1)).first() is not None


def category(unit: Unit, category_id: int) -> Category | None:
    from kspos.store.models import Category

    return session_of(unit).get(Category, category_id)


def item(unit: Unit, item_id: int) -> Item | None:
    from kspos.store.models import Item

    return session_of(unit).get(Item, item_id)


def group(unit: Unit, group_id: int) -> OptionGroup | None:
    from kspos.store.models import OptionGroup

    return session_of(unit).get(OptionGroup, group_id)


def active_categories(unit: Unit) -> list[Category]:
    """The active categories, in menu order."""
    from sqlmodel import col, select

    from kspos.store.models import Category

    return list(session_of(unit).exec(select(Category).where(col(Category.active))
                                .order_by(col(Category.position), col(Category.id))))


def active_items(unit: Unit, category_id: int | None = None) -> list[Item]:
    """The active items (of one category, or all), in menu order."""
    from sqlmodel import col, select

    from kspos.store.models import Item

    query = select(Item).where(col(Item.active))
    if category_id is not None:
        query = query.where(Item.category_id == category_id)
    return list(session_of(unit).exec(query.order_by(col(Item.position), col(Item.id))))


def groups(unit: Unit) -> list[OptionGroup]:
    """Every option group, in menu order."""
    from sqlmodel import col, select

    from kspos.store.models import OptionGroup

    return list(session_of(unit).exec(select(OptionGroup).order_by(col(OptionGroup.position),
                                                            col(OptionGroup.id))))


def choices(unit: Unit, group_id: int) -> list[OptionChoice]:
    """A group's choices, in order."""
    from sqlmodel import col, select

    from kspos.store.models import OptionChoice

    return list(session_of(unit).exec(select(OptionChoice).where(OptionChoice.group_id == group_id)
                                .order_by(col(OptionChoice.position), col(OptionChoice.id))))


def item_groups(unit: Unit) -> dict[int, list[int]]:
    """item id → the ids of the option groups it offers, in the item's order."""
    from sqlmodel import col, select

    from kspos.store.models import ItemOptionGroup

    found: dict[int, list[int]] = {}
    for link in session_of(unit).exec(select(ItemOptionGroup)
                                .order_by(col(ItemOptionGroup.position))):
        found.setdefault(link.item_id, []).append(link.group_id)
    return found


def choice_deltas(unit: Unit) -> dict[int, list[int]]:
    """group id → the price deltas of its choices."""
    from sqlmodel import select

    from kspos.store.models import OptionChoice

    found: dict[int, list[int]] = {}
    for choice in session_of(unit).exec(select(OptionChoice)):
        found.setdefault(choice.group_id, []).append(choice.price_delta)
    return found


def active_item_with_barcode(unit: Unit, barcode: str, besides: int | None) -> Item | None:
    """An active item with ``barcode`` other than item ``besides``."""
    from sqlmodel import col, select

    from kspos.store.models import Item

    return session_of(unit).exec(select(Item).where(Item.barcode == barcode, col(Item.active),
                                              Item.id != (besides or -1))).first()


def active_item_named(unit: Unit, name: str, category_id: int,
                      besides: int | None) -> Item | None:
    """An active item called ``name`` in the category, other than item ``besides``."""
    from sqlmodel import col, select

    from kspos.store.models import Item

    return session_of(unit).exec(select(Item).where(Item.name == name, col(Item.active),
                                              Item.category_id == category_id,
                                              Item.id != (besides or -1))).first()


def group_named(unit: Unit, name: str, besides: int | None) -> OptionGroup | None:
    """An option group called ``name`` other than group ``besides``."""
    from sqlmodel import select

    from kspos.store.models import OptionGroup

    return session_of(unit).exec(select(OptionGroup).where(OptionGroup.name == name,
                                                     OptionGroup.id != (besides or -1))).first()


def next_item_position(unit: Unit, category_id: int) -> int:
    """One past the last position of the category's items (active or not)."""
    from sqlmodel import col, select

    from kspos.store.models import Item

    last = session_of(unit).exec(select(Item.position).where(Item.category_id == category_id)
                           .order_by(col(Item.position).desc())).first()
    return (last or 0) + 1


def next_category_position(unit: Unit) -> int:
    from sqlmodel import col, select

    from kspos.store.models import Category

    last = session_of(unit).exec(select(Category.position)
                           .order_by(col(Category.position).desc())).first()
    return (last or 0) + 1


def next_group_position(unit: Unit) -> int:
    from sqlmodel import col, select

    from kspos.store.models import OptionGroup

    last = session_of(unit).exec(select(OptionGroup.position)
                           .order_by(col(OptionGroup.position).desc())).first()
    return (last or 0) + 1


def set_item_groups(unit: Unit, item_id: int, group_ids: list[int]) -> None:
    """The option groups item ``item_id`` offers become ``group_ids``, in that order (an id
    given twice is offered once)."""
    from sqlmodel import select

    from kspos.store.models import ItemOptionGroup

    session = session_of(unit)
    for link in session.exec(select(ItemOptionGroup).where(ItemOptionGroup.item_id == item_id)):
        session.delete(link)
    session.flush()  # the old links go before new ones with the same key come in
    for position, group_id in enumerate(dict.fromkeys(group_ids)):
        session.add(ItemOptionGroup(item_id=item_id, group_id=group_id, position=position))


def active_items_offering(unit: Unit, group_id: int) -> int:
    """How many active items offer group ``group_id``."""
    from sqlmodel import col, select

    from kspos.store.models import Item, ItemOptionGroup

    return len(session_of(unit).exec(select(ItemOptionGroup.item_id)
                               .join(Item, col(Item.id) == ItemOptionGroup.item_id)
                               .where(ItemOptionGroup.group_id == group_id,
                                      col(Item.active))).all())


def replace_choices(unit: Unit, group_id: int,
                    rows: list[tuple[str, str, int, int | None]]) -> None:
    """A group's choices become ``rows`` (name, English name, delta, id), in that order: a
    row whose id is one of the group's keeps that choice, other rows are new choices, and
    the group's choices left out are removed."""
    from sqlmodel import select

    from kspos.store.models import OptionChoice

    session = session_of(unit)
    existing = {c.id: c for c in session.exec(select(OptionChoice)
                                              .where(OptionChoice.group_id == group_id))}
    kept = {choice_id for *_rest, choice_id in rows if choice_id in existing}
    for choice_id, row in existing.items():
        if choice_id not in kept:
            session.delete(row)
    session.flush()
    for position, (name, name_en, delta, choice_id) in enumerate(rows):
        choice = (existing[choice_id] if choice_id in kept
                  else OptionChoice(group_id=group_id, name=name))
        choice.name, choice.name_en, choice.price_delta = name, name_en, delta
        choice.position = position
        session.add(choice)


def remove_group(unit: Unit, option_group: OptionGroup) -> None:
    """Delete a group with its choices and its links to items."""
    from sqlmodel import select

    from kspos.store.models import ItemOptionGroup, OptionChoice

    session = session_of(unit)
    group_id = option_group.id
    for link in session.exec(select(ItemOptionGroup)
                             .where(ItemOptionGroup.group_id == group_id)):
        session.delete(link)
    for choice in session.exec(select(OptionChoice).where(OptionChoice.group_id == group_id)):
        session.delete(choice)
    session.flush()  # the rows that name it go first: foreign keys are on
    session.delete(option_group)
