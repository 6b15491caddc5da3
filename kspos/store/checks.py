"""The restaurant's tables: ``floor_zone``, ``dining_table``, and what a check on a table adds
to its order (``check_round``, ``check_split``, the check columns of ``sale_order``).

Plain statements on the unit's own connection (:mod:`kspos.store.sql`), like
:mod:`kspos.store.orders`: a round is sent in the middle of a busy evening and the floor is
read after every change. Changes of a check are conditional on its revision
(``sale_order.check_rev``): a register holding a stale copy finds nothing changed and says so.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store.sql import execute, insert_row

# What writing a second open check onto one table raises (the unique partial index on
# sale_order.table_id): the check service turns it into "that table has a check".
TableTaken = sqlite3.IntegrityError

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

# The floor in one statement: every active table with its open check, if any, and what that
# check's tenders hold (the partial index ix_sale_order_open_table serves the join).
_FLOOR = (
    "SELECT t.id, t.zone_id, t.name, t.x, t.y, t.w, t.h, t.seats, o.id, o.guests, o.total, "
    "o.created_at, o.carry_over, o.bill_printed_at, "
    "(SELECT coalesce(sum(p.amount - p.refunded), 0) FROM payment p WHERE p.order_id = o.id), "
    "(SELECT count(*) FROM check_split c WHERE c.order_id = o.id), z.name, z.name_en, "
    "z.position FROM dining_table t JOIN floor_zone z ON z.id = t.zone_id "
    "LEFT JOIN sale_order o ON o.table_id = t.id AND o.state = 'open' "
    "WHERE t.active = 1 AND z.active = 1 ORDER BY z.position, z.id, t.position, t.id")


# --- the floor -----------------------------------------------------------------------------


def floor(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(zones: id, name, name_en, position; tables with their open checks: see _FLOOR)."""
    zones = db.read("SELECT id, name, name_en, position FROM floor_zone WHERE active = 1 "
                    "ORDER BY position, id")
    return zones, db.read(_FLOOR)


def add_zone(unit: Unit, name: str, name_en: str) -> int:
    from kspos.store.models import FloorZone

    position = execute(unit, "SELECT coalesce(max(position), -1) + 1 FROM floor_zone "
                             "WHERE active = 1").fetchone()[0]
    return insert_row(unit, FloorZone, dict(name=name, name_en=name_en, position=position))


def zone(unit: Unit, zone_id: int) -> tuple[int, str, str] | None:
    """An active zone: (id, name, name_en)."""
    found = execute(unit, "SELECT id, name, name_en FROM floor_zone WHERE id = ? AND "
                          "active = 1", (zone_id,)).fetchone()
    return None if found is None else (int(found[0]), str(found[1]), str(found[2]))


def zone_named(unit: Unit, name: str, but: int | None = None) -> bool:
    return bool(execute(unit, "SELECT 1 FROM floor_zone WHERE active = 1 AND name = ? AND "
                              "id IS NOT ?", (name, but)).fetchone())


def rename_zone(unit: Unit, zone_id: int, name: str, name_en: str) -> None:
    execute(unit, "UPDATE floor_zone SET name = ?, name_en = ? WHERE id = ?",
            (name, name_en, zone_id))


def tables_in(unit: Unit, zone_id: int) -> int:
    return int(execute(unit, "SELECT count(*) FROM dining_table WHERE zone_id = ? AND "
                             "active = 1", (zone_id,)).fetchone()[0])


def delete_zone(unit: Unit, zone_id: int) -> None:
    execute(unit, "UPDATE floor_zone SET active = 0 WHERE id = ?", (zone_id,))


def table_count(unit: Unit) -> int:
    return int(execute(unit, "SELECT count(*) FROM dining_table WHERE active = 1").fetchone()[0])


def table_named(unit: Unit, name: str, but: int | None = None) -> bool:
    return bool(execute(unit, "SELECT 1 FROM dining_table WHERE active = 1 AND name = ? AND "
                              "id IS NOT ?", (name, but)).fetchone())


def add_table(unit: Unit, values: dict[str, object]) -> int:
    from kspos.store.models import DiningTable

    position = execute(unit, "SELECT coalesce(max(position), -1) + 1 FROM dining_table "
                             "WHERE active = 1").fetchone()[0]
    return insert_row(unit, DiningTable, dict(values, position=position))


def table(unit: Unit, table_id: int) -> Any:
    """An active table as a record (id, zone_id, name, x, y, w, h, seats, zone, zone_en)."""
    from kspos.store.sql import records

    found = records(unit, "SELECT t.id, t.zone_id, t.name, t.x, t.y, t.w, t.h, t.seats, "
                          "z.name AS zone, z.name_en AS zone_en FROM dining_table t JOIN "
                          "floor_zone z ON z.id = t.zone_id WHERE t.id = ? AND t.active = 1",
                    (table_id,))
    return found[0] if found else None


def update_table(unit: Unit, table_id: int, values: dict[str, object]) -> None:
    execute(unit, "UPDATE dining_table SET " + ", ".join(f"{k} = ?" for k in values)
            + " WHERE id = ?", (*values.values(), table_id))


def retable_check(unit: Unit, table_id: int) -> None:
    """The table's open check takes the table's (new) name and zone name."""
    execute(unit, "UPDATE sale_order SET check_rev = check_rev + 1, table_no = (SELECT name "
                  "FROM dining_table WHERE id = ?), zone = (SELECT z.name FROM dining_table t "
                  "JOIN floor_zone z ON z.id = t.zone_id WHERE t.id = ?) WHERE table_id = ? AND "
                  "state = 'open'", (table_id, table_id, table_id))


def delete_table(unit: Unit, table_id: int) -> None:
    execute(unit, "UPDATE dining_table SET active = 0 WHERE id = ?", (table_id,))


# --- checks --------------------------------------------------------------------------------


def open_on(unit: Unit, table_id: int) -> int | None:
    """The open check on the table (its order id), as ``unit`` sees it."""
    found = execute(unit, "SELECT id FROM sale_order WHERE table_id = ? AND state = 'open' "
                          "LIMIT 1", (table_id,)).fetchone()
    return None if found is None else int(found[0])


def open_on_now(db: Database, table_id: int) -> int | None:
    found = db.read("SELECT id FROM sale_order WHERE table_id = ? AND state = 'open' LIMIT 1",
                    (table_id,))
    return int(found[0][0]) if found else None


def check_of(unit: Unit, order_id: int) -> Any:
    """The check columns of an order: a record (table_id, zone, guests, bill_printed_at,
    carry_over, check_rev, created_at, state), or None."""
    from kspos.store.sql import records

    found = records(unit, "SELECT table_id, zone, guests, bill_printed_at, carry_over, "
                          "check_rev, created_at, state FROM sale_order WHERE id = ?",
                    (order_id,))
    return found[0] if found else None


def rounds(unit: Unit, order_id: int) -> list[tuple[Any, ...]]:
    """(round_no, sent_at, server name, memo) of each round sent, oldest first."""
    return execute(unit, "SELECT r.round_no, r.sent_at, coalesce(s.name, ''), r.memo FROM "
                         "check_round r LEFT JOIN staff s ON s.id = r.staff_id WHERE "
                         "r.order_id = ? ORDER BY r.round_no", (order_id,)).fetchall()


def last_round(unit: Unit, order_id: int) -> int:
    return int(execute(unit, "SELECT coalesce(max(round_no), 0) FROM check_round WHERE "
                             "order_id = ?", (order_id,)).fetchone()[0])


def insert_round(unit: Unit, order_id: int, round_no: int, at: datetime,
                 staff_id: int | None, memo: str) -> None:
    execute(unit, "INSERT INTO check_round (order_id, round_no, sent_at, staff_id, memo) "
                  "VALUES (?, ?, ?, ?, ?)", (order_id, round_no, at, staff_id, memo))


def bump(unit: Unit, order_id: int, rev: int, **columns: object) -> bool:
    """Set ``columns`` of the open check and take its next revision, if it is still at
    ``rev`` (False: another register changed, paid or voided it meanwhile)."""
    sets = "".join(f", {k} = ?" for k in columns)
    return bool(execute(unit, f"UPDATE sale_order SET check_rev = check_rev + 1{sets} WHERE "
                              "id = ? AND state = 'open' AND check_rev = ?",
                        (*columns.values(), order_id, rev)).rowcount)


def move(unit: Unit, order_id: int, rev: int, to_table: int, name: str, zone_name: str
         ) -> bool:
    """Put the check on ``to_table`` unless that table has an open check (one statement:
    two registers cannot both move onto one table)."""
    return bool(execute(unit, "UPDATE sale_order SET table_id = ?, table_no = ?, zone = ?, "
                              "check_rev = check_rev + 1 WHERE id = ? AND state = 'open' AND "
                              "check_rev = ? AND NOT EXISTS (SELECT 1 FROM sale_order WHERE "
                              "table_id = ? AND state = 'open')",
                        (to_table, name, zone_name, order_id, rev, to_table)).rowcount)


def set_bill_printed(unit: Unit, order_id: int, at: datetime) -> bool:
    return bool(execute(unit, "UPDATE sale_order SET bill_printed_at = ? WHERE id = ? AND "
                              "state = 'open'", (at, order_id)).rowcount)


# --- splits and what their parts hold --------------------------------------------------------


def split_of(unit: Unit, order_id: int) -> tuple[str, str] | None:
    """(kind, parts_json) of the check's split, or None."""
    found = execute(unit, "SELECT kind, parts_json FROM check_split WHERE order_id = ?",
                    (order_id,)).fetchone()
    return None if found is None else (str(found[0]), str(found[1]))


def put_split(unit: Unit, order_id: int, kind: str, parts_json: str, at: datetime,
              staff_id: int | None) -> None:
    execute(unit, "INSERT OR REPLACE INTO check_split (order_id, kind, parts_json, made_at, "
                  "staff_id) VALUES (?, ?, ?, ?, ?)", (order_id, kind, parts_json, at, staff_id))


def drop_split(unit: Unit, order_id: int) -> None:
    execute(unit, "DELETE FROM check_split WHERE order_id = ?", (order_id,))


def part_kept(unit: Unit, order_id: int) -> dict[int, int]:
    """{part: what its tenders took and still hold}; -1 gathers tenders of no part."""
    return {-1 if p is None else int(p): int(k) for p, k in execute(
        unit, "SELECT split_part, sum(amount - refunded) FROM payment WHERE order_id = ? "
              "GROUP BY split_part", (order_id,)).fetchall()}


def part_payments(db: Database, order_id: int, part: int) -> list[int]:
    """The tenders of part ``part`` that still hold money (ids)."""
    return [int(r[0]) for r in db.read("SELECT id FROM payment WHERE order_id = ? AND "
                                       "split_part = ? AND amount > refunded ORDER BY id",
                                       (order_id, part))]


# --- the business day (이월) -------------------------------------------------------------------


def open_tables(unit: Unit, day_id: int, carried: bool | None = None,
                paid: bool = False) -> list[str]:
    """Names of the tables with an open check of day ``day_id`` (only those carried over,
    or only those not, when ``carried`` says; only those holding tenders with ``paid``)."""
    extra = "" if carried is None else f" AND carry_over = {int(carried)}"
    if paid:
        extra += (" AND EXISTS (SELECT 1 FROM payment p WHERE p.order_id = sale_order.id AND "
                  "p.amount > p.refunded)")
    return [str(r[0]) for r in execute(
        unit, "SELECT coalesce(table_no, '') FROM sale_order WHERE business_day_id = ? AND "
              f"state = 'open' AND table_id IS NOT NULL{extra} ORDER BY table_no",
        (day_id,)).fetchall()]


def mark_carry_over(unit: Unit, day_id: int) -> list[int]:
    """Mark the day's open checks to be carried over; their order ids."""
    return [int(r[0]) for r in execute(
        unit, "UPDATE sale_order SET carry_over = 1 WHERE business_day_id = ? AND "
              "state = 'open' AND table_id IS NOT NULL RETURNING id", (day_id,)).fetchall()]


def carry_onto(unit: Unit, day_id: int) -> list[int]:
    """Move every carried check onto day ``day_id`` (the flag cleared); their order ids."""
    return [int(r[0]) for r in execute(
        unit, "UPDATE sale_order SET business_day_id = ?, carry_over = 0 WHERE "
              "carry_over = 1 AND state = 'open' RETURNING id", (day_id,)).fetchall()]


def carried_count(unit: Unit, day_id: int) -> int:
    return int(execute(unit, "SELECT count(*) FROM sale_order WHERE business_day_id = ? AND "
                             "state = 'open' AND carry_over = 1", (day_id,)).fetchone()[0])

