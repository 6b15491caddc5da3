"""What `kspos shot tables` and `kspos shot check` show in demo mode: the demo floor (seeded
when the store has none) with an evening under way, through the real check service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kspos.sales.floor import demo_floor

if TYPE_CHECKING:
    from kspos.context import AppContext

# (table name, guests, [(menu item name, qty, memo)] per round, pre-bill printed)
EVENING = (
    ("1", 4, [[("삼겹살", 3, ""), ("소주", 2, "")], [("된장찌개", 1, "덜 맵게")]], False),
    ("3", 2, [[("목살", 2, ""), ("맥주", 2, "")]], True),
    ("6", 5, [[("삼겹살", 4, ""), ("물냉면", 2, "")], [("소주", 3, "")]], False),
    ("9", 3, [[("양념갈비", 3, "")]], False),
    ("12", 2, [[("김치찌개", 2, "")]], False),
)


def _item(context: AppContext, name: str) -> Any:
    items = [i for c in context.catalog.categories for i in c.items]
    return next((i for i in items if name in i.name), items[0] if items else None)


def _staff(context: AppContext) -> Any:
    register = context.register
    if register.staff is None:
        from kspos.sales.staff import Role

        register.staff = context.staff.first(Role.CASHIER)
    return register.staff


def ensure_floor(context: AppContext) -> Any:
    """The check service, with the demo floor seeded when the store has none yet."""
    service = context.checks
    if not service.floor().tiles:
        service.seed_floor(demo_floor())
    return service


def sample_evening(context: AppContext) -> None:
    """Some tables eating, one billed, one paying (only on a floor with no open check)."""
    service = ensure_floor(context)
    staff = _staff(context)
    if service is None or staff is None or service.floor().open_checks:
        return
    if context.current_day() is None:
        context.sales.days.open(staff, 100_000)
    tiles = {t.place.name: t for t in service.floor().tiles}
    for name, guests, rounds, billed in EVENING:
        tile = tiles.get(name)
        if tile is None:
            continue
        check = service.open_check(tile.place.id, staff, guests)
        for lines in rounds:
            for item_name, qty, memo in lines:
                item = _item(context, item_name)
                if item is None:
                    continue
                defaults = [g.choices[0].id for g in item.groups if g.required and g.choices]
                line = context.register.line_for(item, defaults, qty)
                if memo:
                    from dataclasses import replace

                    line = replace(line, note=memo)
                check.order.add(line)
            check = service.send_round(check, staff)
        if billed:
            service.print_prebill(check, staff)


def sample_check(screen: Any) -> None:
    """Table 1's check with two rounds sent and a third being taken."""
    context = screen.context
    sample_evening(context)
    service = ensure_floor(context)
    tile = next((t for t in service.floor().tiles if t.order_id is not None), None)
    if tile is None:
        return
    screen.open_table(tile.place.id)
    check = screen.check
    item = _item(context, "공기밥")
    if check is not None and item is not None:
        check.order.add(context.register.line_for(item, [], 2))
        screen.round_memo = "빨리"
        screen.refresh(select=len(check.order.lines) - 1)
