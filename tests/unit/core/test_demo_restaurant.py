"""The demo restaurant's floor and menu: every table fits the grid and none overlap."""

from __future__ import annotations

from kspos.menu.catalog import demo_menu
from kspos.sales.floor import GRID_COLS, GRID_ROWS, MAX_TABLES, demo_floor


def test_the_demo_floor_fits_its_grid_without_overlaps() -> None:
    floor = demo_floor()
    assert [zone[0] for zone in floor] == ["홀", "룸", "테라스"]
    names = [table[0] for _zone, _en, tables in floor for table in tables]
    assert len(names) == len(set(names)) <= MAX_TABLES
    for _zone, _en, tables in floor:
        cells: set[tuple[int, int]] = set()
        for _name, x, y, w, h, seats in tables:
            assert x >= 0 and x + w <= GRID_COLS and y >= 0 and y + h <= GRID_ROWS
            assert seats > 0
            mine = {(cx, cy) for cx in range(x, x + w) for cy in range(y, y + h)}
            assert not mine & cells
            cells |= mine


def test_the_restaurant_menu_is_a_restaurant_s() -> None:
    categories = [c["name"] for c in demo_menu("restaurant")["category"]]
    assert {"고기류", "식사류", "주류", "음료"} <= set(categories)
    assert next(c["name"] for c in demo_menu()["category"]) == "커피"
