"""Menus from the office and the office's refusals: the ``menu_version`` table, the menu rows a
published version replaces, and the ``refused_*`` columns of ``outbox``.

Everything runs on the caller's unit of work (a Session from ``Database.session()``), so a
version's rows, its state and its audit line commit together; the status reads
(:func:`due_rows`, :func:`refused_rows`) are plain reads for screens and the doctor.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.store.errors import StoreError
from kspos.store.orm import session_of
from kspos.store.sql import driver, insert_rows, records, stamp

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.models import Category, OptionGroup
    from kspos.store.unit import Unit


# --- versions -----------------------------------------------------------------------------------


def newest_known(unit: Unit) -> int:
    """The newest version this terminal has received (whatever became of it), or 0."""
    found = driver(unit).execute("SELECT MAX(version) FROM menu_version").fetchone()
    return int(found[0] or 0) if found else 0


def newest_applied(unit: Unit) -> int:
    found = driver(unit).execute(
        "SELECT MAX(version) FROM menu_version WHERE state = 'applied'").fetchone()
    return int(found[0] or 0) if found else 0


def add_version(unit: Unit, version: int, apply: str, document: str, published_at: str,
                published_by: str, state: str, reason: str | None, at: datetime) -> None:
    driver(unit).execute(
        "INSERT INTO menu_version (version, apply, document, published_at, published_by, "
        "received_at, state, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (version, apply, document, published_at, published_by, stamp(at), state, reason))


def pending(unit: Unit) -> list[Any]:
    """The pending versions, newest first (version, apply, document, published_by)."""
    return records(unit, "SELECT version, apply, document, published_by FROM menu_version "
                         "WHERE state = 'pending' ORDER BY version DESC")


def set_state(unit: Unit, version: int, state: str, at: datetime | None = None,
              reason: str | None = None) -> None:
    driver(unit).execute("UPDATE menu_version SET state = ?, applied_at = ?, reason = ? "
                         "WHERE version = ?",
                         (state, stamp(at) if at else None, reason, version))


def supersede_below(unit: Unit, version: int) -> int:
    """Older pending versions will never apply (a newer one has): mark them."""
    return driver(unit).execute("UPDATE menu_version SET state = 'superseded' "
                                "WHERE state = 'pending' AND version < ?", (version,)).rowcount


def unreported(unit: Unit) -> list[int]:
    """Applied versions the office has not been told of yet, oldest first."""
    return [int(r[0]) for r in driver(unit).execute(
        "SELECT version FROM menu_version WHERE state = 'applied' AND reported_at IS NULL "
        "ORDER BY version")]


def mark_reported(unit: Unit, version: int, at: datetime) -> None:
    driver(unit).execute("UPDATE menu_version SET reported_at = ? WHERE version = ?",
                         (stamp(at), version))


def due_rows(db: Database) -> list[tuple[Any, ...]]:
    """(version, apply) of the pending versions, newest first: a cheap read for the screens'
    poll (no ORM)."""
    return db.read("SELECT version, apply FROM menu_version WHERE state = 'pending' "
                   "ORDER BY version DESC")


def versions(db: Database, limit: int = 20) -> list[tuple[Any, ...]]:
    """The latest versions received (version, apply, state, published_by, received_at,
    applied_at, reason), newest first."""
    return db.read("SELECT version, apply, state, published_by, received_at, applied_at, "
                   "reason FROM menu_version ORDER BY version DESC LIMIT ?", (limit,))


# --- the menu rows a version replaces ------------------------------------------------------------


def all_categories(unit: Unit) -> list[Category]:
    """Every category, active or not (a version may bring a removed one back)."""
    from sqlmodel import select

    from kspos.store.models import Category

    return list(session_of(unit).exec(select(Category)))


def item_records(unit: Unit) -> list[Any]:
    """Every item, active or not: records of (id, uuid, category_id, name, active,
    sold_out). Plain statements: a version may hold 20,000 items."""
    session_of(unit).flush()
    return records(unit, "SELECT id, uuid, category_id, name, active, sold_out FROM item")


_ITEM_SET = ("uuid", "category_id", "name", "name_en", "price", "tax_free", "barcode",
             "position", "sold_out")


def update_items(unit: Unit, rows: list[tuple[Any, ...]]) -> None:
    """Rewrite items in place and make them active: each row is the values of
    :data:`_ITEM_SET` then the item's id."""
    sets = ", ".join(f"{c} = ?" for c in _ITEM_SET)
    driver(unit).executemany(f"UPDATE item SET {sets}, active = 1 WHERE id = ?", rows)


def insert_items(unit: Unit, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Add items (dicts of :data:`_ITEM_SET`); returns their ids by UUID."""
    from kspos.store.models import Item

    insert_rows(unit, Item, rows)
    found: dict[str, int] = {}
    for start in range(0, len(rows), 500):  # SQLite's host parameters: a chunk at a time
        chunk = [r["uuid"] for r in rows[start:start + 500]]
        marks = ", ".join("?" * len(chunk))
        found.update((str(u), int(i)) for i, u in driver(unit).execute(
            f"SELECT id, uuid FROM item WHERE uuid IN ({marks})", chunk))
    return found


def deactivate_items(unit: Unit, ids: list[int]) -> None:
    driver(unit).executemany("UPDATE item SET active = 0 WHERE id = ?", [(i,) for i in ids])


def add_links(unit: Unit, rows: list[tuple[int, int, int]]) -> None:
    """Link items to option groups: (item id, group id, position) each."""
    driver(unit).executemany("INSERT INTO item_option_group (item_id, group_id, position) "
                             "VALUES (?, ?, ?)", rows)


def all_groups(unit: Unit) -> list[OptionGroup]:
    from sqlmodel import select

    from kspos.store.models import OptionGroup

    return list(session_of(unit).exec(select(OptionGroup)))


def clear_choices(unit: Unit, group_id: int) -> None:
    """Drop a group's choices (orders copied the names and deltas they sold)."""
    session_of(unit).flush()
    driver(unit).execute("DELETE FROM option_choice WHERE group_id = ?", (group_id,))


def clear_links(unit: Unit) -> None:
    """Drop every item-to-group link (the version gives them all again)."""
    session_of(unit).flush()
    driver(unit).execute("DELETE FROM item_option_group")




# --- the office's refusals ----------------------------------------------------------------------


def mark_refused(unit: Unit, refusals: list[tuple[int, str]], at: datetime) -> int:
    """Keep the office's reason on each still-unsent outbox row ``(seq, reason)``."""
    return sum(driver(unit).execute(
        "UPDATE outbox SET refused_reason = ?, refused_at = ? WHERE seq = ? AND sent_at IS NULL",
        (reason[:500], stamp(at), seq)).rowcount for seq, reason in refusals)


def refused_rows(db: Database, limit: int = 20) -> tuple[int, list[tuple[Any, ...]]]:
    """How many unsent facts the office refuses, and the latest ``limit`` of them (seq, kind,
    reason, refused_at), newest first."""
    count = db.read("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL "
                    "AND refused_reason IS NOT NULL")
    rows = db.read("SELECT seq, kind, refused_reason, refused_at FROM outbox "
                   "WHERE sent_at IS NULL AND refused_reason IS NOT NULL "
                   "ORDER BY seq DESC LIMIT ?", (limit,))
    return int(count[0][0]) if count else 0, rows


def refused_in_file(path: Path, limit: int = 5) -> tuple[int, list[tuple[Any, ...]]]:
    """:func:`refused_rows` from a store file opened read-only (``kspos doctor``); a file from
    before migration 0013 has none. StoreError when the file cannot be read."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StoreError(str(exc)) from exc
    try:
        columns = {r[1] for r in connection.execute("PRAGMA table_info(outbox)")}
        if "refused_reason" not in columns:
            return 0, []
        where = "WHERE sent_at IS NULL AND refused_reason IS NOT NULL"
        count = connection.execute(f"SELECT COUNT(*) FROM outbox {where}").fetchone()
        rows = connection.execute(f"SELECT seq, kind, refused_reason, refused_at FROM outbox "
                                  f"{where} ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
    except sqlite3.Error as exc:
        raise StoreError(str(exc)) from exc
    finally:
        connection.close()
    return int(count[0]) if count else 0, rows
