"""A sample order for screenshots (`kspos shot`) and the benchmarks: lunch rush at a cafe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kspos.sales.staff import Role

if TYPE_CHECKING:
    from kspos.context import AppContext


def demo_sample_order(context: AppContext) -> None:
    register = context.register
    if register.staff is None:
        register.staff = context.staff.first(Role.CASHIER)
    if context.current_day() is None:
        context.sales.days.open(register.staff, 100_000)
    if not register.order.is_empty:
        return
    items = list(context.catalog.by_id.values())
    picks = [i for i in items if not i.sold_out][:4]
    for n, item in enumerate(picks):
        choices = []
        for group in item.groups:
            if group.required and group.choices:
                choices.append(group.choices[min(n % 2 + 1, len(group.choices) - 1)].id)
            elif group.multi and group.choices and n == 0:
                choices.append(group.choices[0].id)
        register.add_item(item.id, choices, qty=2 if n == 0 else 1)
    dessert = next((i for i in items if not i.groups and not i.sold_out and i.price < 3_000),
                   None)
    if dessert is not None:
        index = register.add_item(dessert.id)
        register.toggle_complimentary(index)
