"""The restaurant's floor as the screens see it: zones, tables at their places, and what each
table shows (state, guests, amount, minutes since the first order).

Plain frozen values, no database and no Qt: ``kspos.sales.checks`` builds a :class:`FloorView`
from the store in one read; the floor plan (ui/screens/tables.py) paints it; the floor editor
changes places through the check service.

Places are in grid cells of a :data:`GRID_COLS` × :data:`GRID_ROWS` floor per zone, so a plan
drawn on a 1024×768 counter looks the same on a 1920×1080 one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from kspos.messages import Words

# A floor to seed: zones as (name, name_en, tables), a table as (name, x, y, w, h, seats).
FloorTable = tuple[str, int, int, int, int, int]
FloorZone = tuple[str, str, list[FloorTable]]

MAX_TABLES = 120  # per store
GRID_COLS = 24
GRID_ROWS = 16


class TableState(enum.StrEnum):
    EMPTY = "empty"  # 비어 있음: no open check
    ORDERING = "ordering"  # 주문 중: an open check
    BILLED = "billed"  # 계산서 출력됨: a pre-bill printed since the last round
    PAYING = "paying"  # 결제 중: a split made or some of the bill paid


STATE_WORDS = {
    TableState.EMPTY: Words("비어 있음", "Empty"),
    TableState.ORDERING: Words("주문 중", "Ordering"),
    TableState.BILLED: Words("계산서 출력됨", "Bill printed"),
    TableState.PAYING: Words("결제 중", "Paying"),
}


@dataclass(frozen=True, slots=True)
class Zone:
    """A part of the floor shown as a tab (홀, 룸, 테라스)."""

    id: int
    name: str
    name_en: str = ""
    position: int = 0

    def label(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class TablePlace:
    """A table where it stands: its zone, name, grid cell (x, y) and size (w, h) in cells."""

    id: int
    zone_id: int
    name: str
    x: int
    y: int
    w: int = 3
    h: int = 2
    seats: int = 4


@dataclass(frozen=True, slots=True)
class TableTile:
    """What one table's tile shows. ``order_id`` is its open check (None when empty)."""

    place: TablePlace
    state: TableState = TableState.EMPTY
    order_id: int | None = None
    guests: int = 0
    amount: int = 0  # the check's total
    paid: int = 0  # tenders kept on it so far
    opened_at: datetime | None = None  # the first round sent
    carried: bool = False  # 이월: carried over from an earlier business day

    def minutes(self, now: datetime) -> int:
        """Minutes since the first order (0 for an empty table)."""
        if self.opened_at is None:
            return 0
        return max(0, int((now - self.opened_at).total_seconds() // 60))


@dataclass(frozen=True, slots=True)
class FloorView:
    """The whole floor at one moment: zones in tab order, every table's tile."""

    zones: tuple[Zone, ...]
    tiles: tuple[TableTile, ...]

    def in_zone(self, zone_id: int) -> tuple[TableTile, ...]:
        return tuple(t for t in self.tiles if t.place.zone_id == zone_id)

    def tile(self, table_id: int) -> TableTile | None:
        return next((t for t in self.tiles if t.place.id == table_id), None)

    @property
    def open_checks(self) -> int:
        return sum(1 for t in self.tiles if t.order_id is not None)


def demo_floor() -> list[FloorZone]:
    """The demo restaurant's floor from ``assets/demo_floor.toml`` (홀 20, 룸 6, 테라스 8)."""
    import tomllib  # only when a demo floor is seeded
    from importlib import resources

    text = resources.files("assets").joinpath("demo_floor.toml").read_text(encoding="utf-8")
    return [(zone["name"], zone.get("name_en", ""),
             [(t["name"], t["x"], t["y"], t["w"], t["h"], t.get("seats", 4))
              for t in zone["tables"]]) for zone in tomllib.loads(text)["zone"]]
