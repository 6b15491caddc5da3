"""The owner's floor editor on a real temp SQLite file: zones and tables added, renamed,
dragged, resized and deleted under the rules, each audited; and the floor read for 120
tables."""

from __future__ import annotations

import time

import pytest

from kspos.sales.checks import CheckError
from kspos.sales.floor import GRID_COLS, MAX_TABLES
from kspos.sales.staff import AuthError
from tests.unit.core.checks_rig import Shop, cash, seated
from tests.unit.core.checks_rig import shop as shop  # the pytest fixture


def edits(shop: Shop) -> list[str]:
    import json

    return [json.loads(d)["what"] for (d,) in shop.db.read(
        "SELECT detail FROM audit_log WHERE action = 'floor_edit' ORDER BY id")]


def test_only_an_owner_edits_the_floor(shop: Shop) -> None:
    with pytest.raises(AuthError):
        shop.checks.add_zone("테라스", shop.cashier)
    with pytest.raises(AuthError):
        shop.checks.update_table(shop.tables["T1"], shop.cashier, x=10)


def test_add_drag_resize_rename_and_delete(shop: Shop) -> None:
    before = len(edits(shop))
    terrace = shop.checks.add_zone("테라스", shop.owner, "Terrace")
    t9 = shop.checks.add_table(terrace, "T9", shop.owner, x=2, y=3, w=2, h=2, seats=2)
    shop.checks.update_table(t9, shop.owner, x=10, y=8, w=4, h=3, seats=6, name="테라스 1")
    tile = shop.checks.floor().tile(t9)
    assert tile is not None
    assert (tile.place.name, tile.place.x, tile.place.y, tile.place.w, tile.place.h,
            tile.place.seats, tile.place.zone_id) == ("테라스 1", 10, 8, 4, 3, 6, terrace)
    shop.checks.rename_zone(terrace, "야외", shop.owner, "Outside")
    assert [z.label("en") for z in shop.checks.floor().zones] == ["Hall", "Room", "Outside"]
    with pytest.raises(CheckError) as has_tables:
        shop.checks.delete_zone(terrace, shop.owner)
    assert has_tables.value.code == "floor.zone_has_tables"
    shop.checks.delete_table(t9, shop.owner)
    shop.checks.delete_zone(terrace, shop.owner)
    assert shop.checks.floor().tile(t9) is None
    assert edits(shop)[before:] == ["add_zone", "add_table", "update_table", "rename_zone",
                                    "delete_table", "delete_zone"]


def test_names_are_unique_and_places_stay_in_the_grid(shop: Shop) -> None:
    hall = shop.checks.floor().zones[0].id
    with pytest.raises(CheckError) as taken:
        shop.checks.add_table(hall, "룸 1", shop.owner)  # unique in the store, any zone
    assert taken.value.code == "floor.table_taken"
    with pytest.raises(CheckError) as renamed:
        shop.checks.update_table(shop.tables["T1"], shop.owner, name="T2")
    assert renamed.value.code == "floor.table_taken"
    for bad in (dict(x=GRID_COLS - 2, w=3), dict(y=-1), dict(w=0)):
        with pytest.raises(CheckError) as outside:
            shop.checks.update_table(shop.tables["T1"], shop.owner, **bad)
        assert outside.value.code == "floor.outside"
    with pytest.raises(CheckError):
        shop.checks.add_zone("홀", shop.owner)


def test_a_table_with_an_open_check_is_not_deleted_and_a_rename_follows_the_check(
        shop: Shop) -> None:
    check = seated(shop, "T1")
    with pytest.raises(CheckError) as in_use:
        shop.checks.delete_table(shop.tables["T1"], shop.owner)
    assert in_use.value.code == "floor.table_in_use"
    shop.checks.update_table(shop.tables["T1"], shop.owner, name="창가 1")
    fresh = shop.checks.load_check(check.order.id)  # type: ignore[arg-type]
    assert fresh.order.table_no == "창가 1"
    shop.checks.pay(fresh, cash(30_000), shop.cashier)
    shop.checks.delete_table(shop.tables["T1"], shop.owner)  # history keeps its name
    assert shop.db.read("SELECT table_no FROM sale_order WHERE id = ?",
                        (check.order.id,)) == [("창가 1",)]


def test_at_most_max_tables_and_the_floor_reads_fast(shop: Shop) -> None:
    zone = shop.checks.add_zone("대형", shop.owner)
    have = len(shop.tables)
    for n in range(MAX_TABLES - have):
        shop.checks.add_table(zone, f"B{n}", shop.owner, x=(n % 8) * 3, y=(n // 8) % 8 * 2,
                              w=3, h=2)
    with pytest.raises(CheckError) as full:
        shop.checks.add_table(zone, "one more", shop.owner)
    assert full.value.code == "floor.too_many"
    floor = shop.checks.floor()
    assert len(floor.tiles) == MAX_TABLES
    shop.tables = {t.place.name: t.place.id for t in floor.tiles}
    for tile in floor.tiles[:40]:
        seated(shop, tile.place.name)
    started = time.perf_counter()
    for _ in range(20):
        floor = shop.checks.floor()
    each_ms = (time.perf_counter() - started) * 1000 / 20
    assert floor.open_checks == 40
    assert each_ms < 25, f"the floor took {each_ms:.1f} ms"  # a few ms here; slack for CI
