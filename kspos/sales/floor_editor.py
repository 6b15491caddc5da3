"""The floor as the screens read it (one statement) and the owner's floor editor: zones and
tables added, renamed, dragged, resized and deleted (action ``floor_edit``), each audited.

Mixed into :class:`~kspos.sales.checks.CheckService`. Rules: table names are unique in the
store, at most :data:`~kspos.sales.floor.MAX_TABLES` tables, every table inside the
:data:`~kspos.sales.floor.GRID_COLS` × :data:`~kspos.sales.floor.GRID_ROWS` grid; a zone with
tables and a table with an open check cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.sales.audit import audit
from kspos.sales.floor import (
    GRID_COLS,
    GRID_ROWS,
    MAX_TABLES,
    FloorView,
    TablePlace,
    TableState,
    TableTile,
    Zone,
)
from kspos.sales.staff import StaffMember, require
from kspos.store import checks as store
from kspos.store.sql import moment

if TYPE_CHECKING:
    from kspos.store.db import Database

NAME_LONGEST = 20
MAX_SEATS = 99
# (name, x, y, w, h, seats) of a table, for seed_floor
TableSeed = tuple[str, int, int, int, int, int]


def _name(text: str) -> str:
    from kspos.sales.checks import CheckError

    text = " ".join(text.split())
    if not text or len(text) > NAME_LONGEST:
        raise CheckError("floor.name_length", most=NAME_LONGEST)
    return text


def _place(x: int, y: int, w: int, h: int, seats: int) -> dict[str, int]:
    from kspos.sales.checks import CheckError

    values = (x, y, w, h, seats)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values) or \
            not (w >= 1 and h >= 1 and x >= 0 and y >= 0 and x + w <= GRID_COLS
                 and y + h <= GRID_ROWS):
        raise CheckError("floor.outside", cols=GRID_COLS, rows=GRID_ROWS)
    if not 1 <= seats <= MAX_SEATS:
        raise CheckError("floor.seats_range", most=MAX_SEATS)
    return dict(x=x, y=y, w=w, h=h, seats=seats)


def _state(billed: object, parts: int, paid: int) -> TableState:
    if parts or paid:
        return TableState.PAYING
    return TableState.BILLED if billed else TableState.ORDERING


class FloorEditor:
    """The floor's read and its editor (mixed into CheckService)."""

    db: Database
    clock: Callable[[], datetime]
    _seeding = False

    def _editor(self, staff: StaffMember | None) -> int | None:
        """Who edits the floor (their id for the audit): the owner; nobody while seeding."""
        if staff is None and self._seeding:
            return None
        return require(staff, "floor_edit").id

    def floor(self) -> FloorView:
        """Every zone and every table's tile, from one read (no ORM)."""
        zone_rows, rows = store.floor(self.db)
        tiles = []
        for (tid, zid, name, x, y, w, h, seats, oid, guests, total, created, carried, billed,
             paid, parts, *_zone) in rows:
            place = TablePlace(tid, zid, name, x, y, w, h, seats)
            if oid is None:
                tiles.append(TableTile(place))
                continue
            tiles.append(TableTile(place, _state(billed, parts, paid), oid, guests, total, paid,
                                   moment(created), bool(carried)))
        zones = tuple(Zone(i, n, e, p) for i, n, e, p in zone_rows)
        return FloorView(zones, tuple(tiles))

    # --- zones ----------------------------------------------------------------------------

    def add_zone(self, name: str, staff: StaffMember | None, name_en: str = "") -> int:
        """A new zone (tab) after the others; its id."""
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        name, name_en = _name(name), " ".join(name_en.split())
        with self.db.session() as s:
            if store.zone_named(s, name):
                raise CheckError("floor.zone_taken", name=name)
            zone_id = store.add_zone(s, name, name_en)
            audit(s, "floor_edit", member, None, what="add_zone", name=name, id=zone_id)
        return zone_id

    def rename_zone(self, zone_id: int, name: str, staff: StaffMember | None,
                    name_en: str = "") -> None:
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        name, name_en = _name(name), " ".join(name_en.split())
        with self.db.session() as s:
            if store.zone(s, zone_id) is None:
                raise CheckError("floor.no_such_zone")
            if store.zone_named(s, name, zone_id):
                raise CheckError("floor.zone_taken", name=name)
            store.rename_zone(s, zone_id, name, name_en)
            audit(s, "floor_edit", member, None, what="rename_zone", id=zone_id, name=name)

    def delete_zone(self, zone_id: int, staff: StaffMember | None) -> None:
        """Refused while the zone has tables (move or delete them first)."""
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        with self.db.session() as s:
            found = store.zone(s, zone_id)
            if found is None:
                raise CheckError("floor.no_such_zone")
            if store.tables_in(s, zone_id):
                raise CheckError("floor.zone_has_tables", name=found[1])
            store.delete_zone(s, zone_id)
            audit(s, "floor_edit", member, None, what="delete_zone", id=zone_id,
                  name=found[1])

    # --- tables ---------------------------------------------------------------------------

    def add_table(self, zone_id: int, name: str, staff: StaffMember | None, *, x: int = 0,
                  y: int = 0, w: int = 3, h: int = 2, seats: int = 4) -> int:
        """A new table in ``zone_id`` at grid cell (x, y), w × h cells; its id."""
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        name, place = _name(name), _place(x, y, w, h, seats)
        with self.db.session() as s:
            if store.zone(s, zone_id) is None:
                raise CheckError("floor.no_such_zone")
            if store.table_named(s, name):
                raise CheckError("floor.table_taken", name=name)
            if store.table_count(s) >= MAX_TABLES:
                raise CheckError("floor.too_many", most=MAX_TABLES)
            table_id = store.add_table(s, dict(place, zone_id=zone_id, name=name))
            audit(s, "floor_edit", member, None, what="add_table", id=table_id, name=name,
                  **place)
        return table_id

    def update_table(self, table_id: int, staff: StaffMember | None, *,
                     name: str | None = None, zone_id: int | None = None,
                     x: int | None = None, y: int | None = None, w: int | None = None,
                     h: int | None = None, seats: int | None = None) -> None:
        """Rename, drag (x, y, zone), resize (w, h) or re-seat a table: what is given
        changes. A table's open check follows it (its name on the check changes too)."""
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        with self.db.session() as s:
            row = store.table(s, table_id)
            if row is None:
                raise CheckError("check.no_such_table")
            values: dict[str, object] = {**_place(
                row.x if x is None else x, row.y if y is None else y,
                row.w if w is None else w, row.h if h is None else h,
                row.seats if seats is None else seats)}
            if name is not None:
                values["name"] = new_name = _name(name)
                if store.table_named(s, new_name, table_id):
                    raise CheckError("floor.table_taken", name=new_name)
            if zone_id is not None:
                if store.zone(s, zone_id) is None:
                    raise CheckError("floor.no_such_zone")
                values["zone_id"] = zone_id
            store.update_table(s, table_id, values)
            if name is not None or zone_id is not None:  # its open check follows it
                store.retable_check(s, table_id)
            audit(s, "floor_edit", member, None, what="update_table", id=table_id,
                  **values)

    def delete_table(self, table_id: int, staff: StaffMember | None) -> None:
        """Refused while the table has an open check; history keeps its name."""
        from kspos.sales.checks import CheckError

        member = self._editor(staff)
        with self.db.session() as s:
            row = store.table(s, table_id)
            if row is None:
                raise CheckError("check.no_such_table")
            if store.open_on(s, table_id) is not None:
                raise CheckError("floor.table_in_use", name=row.name)
            store.delete_table(s, table_id)
            audit(s, "floor_edit", member, None, what="delete_table", id=table_id,
                  name=row.name)

    def seed_floor(self, zones: Sequence[tuple[str, str, Sequence[TableSeed]]],
                   staff: StaffMember | None = None) -> None:
        """Demo data: zones (name, name_en, tables (name, x, y, w, h, seats)), by ``staff``
        or, with none, by the program itself (audited without a member)."""
        self._seeding = staff is None
        try:
            for name, name_en, tables in zones:
                zone_id = self.add_zone(name, staff, name_en)
                for table, x, y, w, h, seats in tables:
                    self.add_table(zone_id, table, staff, x=x, y=y, w=w, h=h, seats=seats)
        finally:
            self._seeding = False
