"""Menus the office publishes, on the terminal: kept as pending, applied between orders.

The pusher's loop pulls a newer version (:mod:`kspos.sync.menus`) and :func:`receive` keeps it
as ``pending`` (a document that fails :func:`~kspos.menu.document.parse_document` is kept as
``refused`` with the reason, so it is not pulled again and again). A version applies only when
it is due -- ``now``: at the next moment the cashier's order is empty; ``open``: at the next 개점
-- and only the newest pending one: an older version never overwrites a newer.

:func:`apply_due` replaces the categories, items, prices and option groups in one transaction:
rows are matched by UUID (then by name, for a store's first published menu), an item the store
marked 품절 stays 품절, items and categories left out are deactivated (orders name them), and
the version's state and a ``menu_apply`` audit entry (a ``menu_change`` fact for the office)
commit with the rows. Orders already on the counter keep their prices: lines copy them.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.menu.document import (
    DocCategory,
    DocGroup,
    MenuDocument,
    MenuDocumentError,
    parse_document,
)
from kspos.sales.audit import audit
from kspos.store import menu as menu_store
from kspos.store import menu_sync as table

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import Category, OptionGroup
    from kspos.store.unit import Unit

log = logging.getLogger("kspos.menu")

APPLY_NOW, APPLY_OPEN = "now", "open"
APPLY_WHEN = (APPLY_NOW, APPLY_OPEN)


def newest_known(db: Database) -> int:
    """The newest version received (the ``have`` the office is asked with), or 0."""
    with db.session() as s:
        return table.newest_known(s)


def receive(db: Database, version: int, apply: str, document: Any, published_at: str = "",
            published_by: str = "", at: datetime | None = None) -> str:
    """Keep a version pulled from the office; returns what became of it: ``pending``,
    ``refused`` (the document or ``apply`` is bad: logged, kept with its reason) or ``old``
    (not newer than one already received: ignored)."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"a menu version is a positive whole number, got {version!r}")
    reason = None
    try:
        if apply not in APPLY_WHEN:
            raise MenuDocumentError([f"apply: must be one of {', '.join(APPLY_WHEN)}"])
        parse_document(document)
    except MenuDocumentError as exc:
        reason = str(exc)
        log.warning("menu version %s from the office refused: %s", version, reason)
    with db.session() as s:
        if version <= table.newest_known(s):
            return "old"
        state = "refused" if reason else "pending"
        table.add_version(s, version, str(apply)[:8], json.dumps(document, ensure_ascii=False),
                          str(published_at)[:32], str(published_by)[:64], state, reason,
                          at or datetime.now())
    return state


def due(db: Database, opening: bool = False) -> int | None:
    """The version :func:`apply_due` would apply now, or None (a plain read: the cashier's
    poll calls it every few seconds)."""
    rows = table.due_rows(db)
    if not rows:
        return None
    version, apply = rows[0]
    return int(version) if apply == APPLY_NOW or opening else None


def apply_due(db: Database, opening: bool = False, at: datetime | None = None) -> int | None:
    """Apply the newest pending version if it is due (``opening``: the day is being opened);
    returns the version applied, or None. The caller makes sure no order is being rung up."""
    at = at or datetime.now()
    with db.session() as s:
        rows = table.pending(s)
        if not rows:
            return None
        newest = rows[0]
        if newest.apply != APPLY_NOW and not opening:
            return None
        version = int(newest.version)
        if version <= table.newest_applied(s):  # cannot happen through receive(); be sure
            table.set_state(s, version, "superseded")
            return None
        try:
            document = parse_document(json.loads(newest.document))
        except (MenuDocumentError, ValueError) as exc:
            table.set_state(s, version, "refused", reason=str(exc)[:500])
            return None
        counts = replace_menu(s, document)
        table.set_state(s, version, "applied", at)
        table.supersede_below(s, version)
        audit(s, "menu_apply", None, menu_version=version, published_by=newest.published_by,
              **counts)
    log.info("menu version %s applied (%s)", version, counts)
    return version


def replace_menu(unit: Unit, document: MenuDocument) -> dict[str, int]:
    """Make the menu ``document``'s (see the module docstring); returns how many items were
    added, kept and removed. Items go by plain statements (20,000 of them in ~0.2 s)."""
    group_ids = _groups(unit, document.option_groups)
    cats = _categories(unit, document.categories)  # before: their ids key the names
    rows = table.item_records(unit)
    by_uuid = {r.uuid: r for r in rows}
    by_name = {(r.category_id, r.name): r for r in rows if r.active}
    named = {i.uuid for c in document.categories for i in c.items}
    used: set[int] = set()
    updates: list[tuple[Any, ...]] = []
    new: list[dict[str, Any]] = []
    kept = 0
    for category_id, doc_cat in cats:
        for pos, item in enumerate(doc_cat.items):
            row = by_uuid.get(item.uuid)
            if row is None:  # a store's first published menu: its own items by name
                found = by_name.get((category_id, item.name))
                # a row another item of the document names by UUID is that item's
                row = found if found is not None and found.id not in used \
                    and found.uuid not in named else None
            values = {"uuid": item.uuid, "category_id": category_id, "name": item.name,
                      "name_en": item.name_en, "price": item.price, "tax_free": item.tax_free,
                      "barcode": item.barcode, "position": pos, "sold_out": item.sold_out}
            if row is None:
                new.append(values)
                continue
            used.add(row.id)
            if row.active:
                kept += 1
                values["sold_out"] = bool(row.sold_out)  # the store's own 품절 stays
            updates.append((*values.values(), row.id))
    gone = [r.id for r in rows if r.active and r.id not in used]
    table.deactivate_items(unit, gone)
    table.update_items(unit, updates)
    item_ids = {str(v[0]): int(v[-1]) for v in updates} | table.insert_items(unit, new)
    table.clear_links(unit)
    table.add_links(unit, [(item_ids[i.uuid], group_ids[g], position)
                           for _cat, doc_cat in cats for i in doc_cat.items
                           for position, g in enumerate(i.option_groups)])
    return {"added": len(new) + sum(1 for r in rows if r.id in used and not r.active),
            "kept": kept, "removed": len(gone)}


def _groups(unit: Unit, groups: tuple[DocGroup, ...]) -> dict[str, int]:
    """Option groups as the document has them; returns document UUID → row id."""
    from kspos.store.models import OptionChoice, OptionGroup

    rows = table.all_groups(unit)
    by_uuid = {row.uuid: row for row in rows}
    by_name = {row.name: row for row in rows}
    used: set[int] = set()
    ids: dict[str, int] = {}
    for pos, doc_group in enumerate(groups):
        row: OptionGroup | None = by_uuid.get(doc_group.uuid) or by_name.get(doc_group.name)
        if row is None or row.id in used:
            row = OptionGroup(name=doc_group.name)
        row.uuid, row.name, row.name_en = doc_group.uuid, doc_group.name, doc_group.name_en
        row.required, row.multi, row.position = doc_group.required, doc_group.multi, pos
        menu_store.save(unit, row)
        assert row.id is not None
        used.add(row.id)
        ids[doc_group.uuid] = row.id
        table.clear_choices(unit, row.id)
        for cpos, choice in enumerate(doc_group.choices):
            menu_store.add(unit, OptionChoice(group_id=row.id, name=choice.name,
                                              name_en=choice.name_en,
                                              price_delta=choice.price_delta, position=cpos))
    table.clear_links(unit)  # before a group goes: its links name it
    for row in rows:
        if row.id not in used:
            menu_store.remove_group(unit, row)
    return ids


def _categories(unit: Unit, categories: tuple[DocCategory, ...]
                ) -> list[tuple[int, DocCategory]]:
    """Categories as the document has them (others deactivated), with their row ids."""
    from kspos.store.models import Category

    rows = table.all_categories(unit)
    by_uuid = {row.uuid: row for row in rows}
    by_name = {row.name: row for row in rows if row.active}
    used: set[int] = set()
    out = []
    for pos, doc_cat in enumerate(categories):
        row: Category | None = by_uuid.get(doc_cat.uuid) or by_name.get(doc_cat.name)
        if row is None or row.id in used:
            row = Category(name=doc_cat.name)
        row.uuid, row.name, row.name_en = doc_cat.uuid, doc_cat.name, doc_cat.name_en
        row.color, row.position, row.active = doc_cat.color, pos, True
        menu_store.save(unit, row)
        assert row.id is not None
        used.add(row.id)
        out.append((row.id, doc_cat))
    for row in rows:
        if row.id not in used and row.active:
            row.active = False
            menu_store.add(unit, row)
    return out


def unreported(db: Database) -> list[int]:
    """Versions applied here that the office has not been told of yet."""
    with db.session() as s:
        return table.unreported(s)


def mark_reported(db: Database, version: int, at: datetime | None = None) -> None:
    with db.session() as s:
        table.mark_reported(s, version, at or datetime.now())


def history(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """The latest versions received, newest first (장치 점검, diagnostics)."""
    return [{"version": v, "apply": a, "state": st, "published_by": by,
             "received_at": str(rec)[:19], "applied_at": str(ap)[:19] if ap else None,
             "reason": reason}
            for v, a, st, by, rec, ap, reason in table.versions(db, limit)]
