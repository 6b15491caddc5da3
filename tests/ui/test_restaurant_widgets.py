"""The restaurant's widgets on plain values (no store): the floor canvas, the editor's drag
and resize, the split dialog's arithmetic views."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

from kspos.sales.floor import (
    GRID_COLS,
    GRID_ROWS,
    MAX_TABLES,
    FloorView,
    TablePlace,
    TableState,
    TableTile,
    Zone,
    demo_floor,
)
from kspos.sales.split_bill import BillLine

NOW = datetime(2026, 12, 5, 19, 30)


def demo_view() -> FloorView:
    zones, tiles, table_id = [], [], 0
    for zone_id, (name, name_en, tables) in enumerate(demo_floor(), start=1):
        zones.append(Zone(zone_id, name, name_en, zone_id))
        for tname, x, y, w, h, seats in tables:
            table_id += 1
            tiles.append(TableTile(TablePlace(table_id, zone_id, tname, x, y, w, h, seats)))
    return FloorView(tuple(zones), tuple(tiles))


def eating(tile: TableTile, state: TableState = TableState.ORDERING) -> TableTile:
    return replace(tile, state=state, order_id=tile.place.id * 10, guests=4, amount=52_000,
                   opened_at=NOW - timedelta(minutes=35))


class RecordingCanvas:
    """A floor canvas that notes which rectangles it was asked to repaint."""

    @staticmethod
    def make(qtbot):  # type: ignore[no-untyped-def]
        from ui.widgets.floor_plan import FloorCanvas

        class Canvas(FloorCanvas):
            def __init__(self) -> None:
                super().__init__(clock=lambda: NOW)
                self.updated: list[object] = []

            def update(self, *args: object) -> None:  # type: ignore[override]
                self.updated.append(args[0] if args else None)
                super().update(*args)

        canvas = Canvas()
        qtbot.addWidget(canvas)
        canvas.resize(1200, 800)
        canvas.show()
        return canvas


def test_a_tap_on_a_tile_names_its_table_and_empty_floor_space_names_none(qtbot, qapp):
    canvas = RecordingCanvas.make(qtbot)
    view = demo_view()
    canvas.set_view(view)
    hall = view.in_zone(view.zones[0].id)
    assert set(canvas.rects) == {t.place.id for t in hall}  # the first zone's tables only
    target = hall[6]
    with qtbot.waitSignal(canvas.tile_tapped) as tapped:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.rects[7].center())
    assert tapped.args == [target.place.id]
    gap = canvas.rects[1].topRight() + QPoint(3, 5)  # between table 1 and table 2
    assert canvas.table_at(gap.x(), gap.y()) is None


def test_tiles_keep_their_grid_places_at_any_size(qtbot, qapp):
    canvas = RecordingCanvas.make(qtbot)
    canvas.set_view(demo_view())
    for size in ((1024, 600), (1900, 900)):
        canvas.resize(*size)
        qtbot.wait(1)
        one, two = canvas.rects[1], canvas.rects[2]
        assert one.top() == two.top() and one.right() < two.left()  # side by side, apart
        assert one.height() >= 64  # a touch target even on the 1024x768 counter
        assert canvas.rects[20].bottom() <= canvas.height()


def test_a_state_change_repaints_only_that_table(qtbot, qapp):
    canvas = RecordingCanvas.make(qtbot)
    view = demo_view()
    canvas.set_view(view)
    qtbot.wait(1)
    canvas.updated.clear()
    tiles = list(view.tiles)
    tiles[2] = eating(tiles[2])
    canvas.set_view(FloorView(view.zones, tuple(tiles)))
    assert canvas.updated == [canvas.rects[3]]
    canvas.updated.clear()
    tiles[20] = eating(tiles[20])  # a table of another zone: nothing to repaint here
    canvas.set_view(FloorView(view.zones, tuple(tiles)))
    assert canvas.updated == []


def test_the_minute_tick_repaints_the_tables_that_show_minutes(qtbot, qapp):
    canvas = RecordingCanvas.make(qtbot)
    view = demo_view()
    tiles = list(view.tiles)
    tiles[0] = eating(tiles[0])
    canvas.set_view(FloorView(view.zones, tuple(tiles)))
    canvas.updated.clear()
    canvas.tick()
    assert canvas.updated == [canvas.rects[1]]
    assert tiles[0].minutes(NOW) == 35


def test_120_busy_tables_repaint_a_state_change_fast(qtbot, qapp):
    """The bench's number (≤ 16 ms p99) with room to spare on a loaded CI machine."""
    from ui.widgets.floor_plan import FloorCanvas

    zone = Zone(1, "홀", "Hall")
    tiles = tuple(eating(TableTile(TablePlace(i + 1, 1, str(i + 1), (i % 12) * 2, (i // 12),
                                              2, 1)))
                  for i in range(MAX_TABLES))
    canvas = FloorCanvas(clock=lambda: NOW)
    qtbot.addWidget(canvas)
    canvas.resize(1920, 1000)
    canvas.show()
    canvas.set_view(FloorView((zone,), tiles))
    canvas.repaint()
    times = []
    for n in range(60):
        changed = list(tiles)
        changed[n] = replace(changed[n], state=TableState.BILLED, amount=60_000 + n)
        start = time.perf_counter()
        canvas.set_view(FloorView((zone,), tuple(changed)))
        canvas.repaint(canvas.rects[n + 1])
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[int(len(times) * 0.99) - 1] < 0.05


def test_the_editor_drags_and_resizes_on_the_grid_and_stays_on_the_floor(qtbot, qapp):
    from ui.widgets.floor_edit import FloorEditCanvas, snapped

    place = TablePlace(1, 1, "1", 0, 0, 4, 3)
    assert snapped(place, 2.4, 1.6, resize=False) == replace(place, x=2, y=2)
    assert snapped(place, -5, -5, resize=False) == place  # not off the floor
    assert snapped(place, 99, 0, resize=False).x == GRID_COLS - 4
    assert snapped(place, 1.5, -9, resize=True) == replace(place, w=6, h=1)
    assert snapped(replace(place, x=20), 9, 99, resize=True) == replace(place, x=20, w=4,
                                                                         h=GRID_ROWS)
    canvas = FloorEditCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 800)
    canvas.show()
    canvas.set_view(demo_view())
    cell = canvas.cell()
    rect = canvas.rects[1]
    with qtbot.waitSignal(canvas.placed) as placed:
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseMove(canvas, rect.center() + QPoint(int(cell * 0.2), int(cell * 3.8)))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton,
                           pos=rect.center() + QPoint(int(cell * 0.2), int(cell * 3.8)))
    assert placed.args == [1, 0, 4, 4, 3]  # moved down four cells, snapped
    assert canvas.highlight == 1
    corner = canvas.rects[1].bottomRight() - QPoint(4, 4)
    with qtbot.waitSignal(canvas.placed) as resized:
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=corner)
        qtbot.mouseMove(canvas, corner + QPoint(int(cell * 2), 0))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=corner + QPoint(int(cell * 2), 0))
    assert resized.args == [1, 0, 4, 6, 3]


LINES = [BillLine("삼겹살", 2, 32_000), BillLine("소주", 3, 15_000), BillLine("공기밥", 1, 1_000)]


@pytest.fixture
def split_dialog(qtbot, qapp):  # type: ignore[no-untyped-def]
    from ui.app import ensure_app
    from ui.dialogs.split_bill import SplitBillDialog

    ensure_app("ko")
    plans, paid_parts = [], []

    def on_plan(plan):  # type: ignore[no-untyped-def]
        plans.append(plan)
        return True

    dialog = SplitBillDialog(None, LINES, 48_001, on_plan, paid_parts.append)
    qtbot.addWidget(dialog)
    dialog.plans, dialog.paid_parts = plans, paid_parts
    return dialog


def amounts(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    found = []
    for n in range(20):
        lbl = dialog.findChild(QLabel, f"part-amount-{n}")
        if lbl is None:
            break
        found.append(lbl.text())
    return found


def test_equal_parts_add_up_and_the_extra_won_is_the_first_parts(split_dialog, qtbot):
    from tests.ui.helpers import tap

    assert amounts(split_dialog) == ["24,001원", "24,000원"]
    tap(split_dialog, "split-plus")
    assert amounts(split_dialog) == ["16,001원", "16,000원", "16,000원"]
    tap(split_dialog, "part-pay-1")
    assert [p.amount for p in split_dialog.plans[0].parts] == [16_001, 16_000, 16_000]
    assert split_dialog.paid_parts[0].index == 1
    split_dialog.set_paid(frozenset({1}))
    assert amounts(split_dialog) == ["16,001원", "16,000원", "16,000원"]
    assert not split_dialog.tab_group.button(0).isEnabled()  # a paid part keeps the plan
    assert split_dialog.findChild(type(split_dialog.title), "part-paid-1") is not None


def test_by_amount_the_rest_is_a_last_part_and_too_much_is_refused(split_dialog):
    from tests.ui.helpers import tap

    tap(split_dialog, "split-tab-amount")
    for key in ("2", "0", "0", "0", "0"):
        tap(split_dialog, f"key-{key}")
    tap(split_dialog, "split-add-amount")
    assert amounts(split_dialog) == ["20,000원", "28,001원"]
    for key in ("9", "0", "0", "0", "0"):
        tap(split_dialog, f"key-{key}")
    tap(split_dialog, "split-add-amount")
    assert amounts(split_dialog) == []
    assert "48,001" in split_dialog.error.text() or "110,000" in split_dialog.error.text()


def test_by_item_each_tapped_line_goes_to_the_chosen_part(split_dialog):
    from tests.ui.helpers import tap

    tap(split_dialog, "split-tab-items")
    assert amounts(split_dialog) == []  # nothing handed out yet
    split_dialog.tap_line(0)
    split_dialog.tap_line(0)  # both 삼겹살 to part 1
    assert amounts(split_dialog) == []
    assert "비어 있는 몫" in split_dialog.error.text()  # part 2 has nothing yet: said
    tap(split_dialog, "split-part-1")
    for _ in range(3):
        split_dialog.tap_line(1)
    split_dialog.tap_line(2)
    parts = amounts(split_dialog)
    assert len(parts) == 2
    total = sum(int(p.replace(",", "").replace("원", "")) for p in parts)
    assert total == 48_001  # the parts add up to the won
