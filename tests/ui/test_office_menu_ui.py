"""The office's menu on the counter: the cashier's grid shows the new price once the version
is applied between orders (and not while an order is being rung up), the message line says
so; 장치 점검 shows the facts the office refuses with the reasons."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

from kspos.menu import updates
from kspos.menu.document import from_toml
from kspos.store import outbox as table
from kspos.sync import outbox

ROOT = Path(__file__).resolve().parents[2]


def _priced(name: str, price: int) -> dict[str, Any]:
    doc = from_toml((ROOT / "assets" / "demo_menu.toml").read_text("utf-8"))
    doc = copy.deepcopy(doc)
    next(i for c in doc["categories"] for i in c["items"] if i["name"] == name)["price"] = price
    return doc


def _americano(context: Any) -> Any:
    return next(i for i in context.catalog.by_id.values() if i.name == "아메리카노")


def test_the_grid_shows_the_new_price_after_the_order_is_done(window: Any, context: Any,
                                                              qtbot: Any) -> None:
    cashier = window.screen_widget("cashier")
    item = _americano(context)
    assert "4,500" in cashier.menu.buttons[item.id].text()
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)
    espresso = next(i for i in context.catalog.by_id.values() if i.name == "캐모마일")
    context.register.add_item(espresso.id)
    updates.receive(context.db, 7, "now", _priced("아메리카노", 4900))
    cashier.apply_office_menu()  # an order on the counter: it waits
    qtbot.wait(300)
    assert "4,500" in cashier.menu.buttons[item.id].text()
    context.register.remove_line(0, True)
    assert context.register.order.is_empty
    cashier.apply_office_menu()
    qtbot.waitUntil(lambda: "4,900" in cashier.menu.buttons[item.id].text(), timeout=5000)
    assert "새 메뉴 적용됨 (v7)" in cashier.message.text()


def test_device_test_shows_the_refused_facts_with_reasons(window: Any, context: Any) -> None:
    with context.db.session() as s:
        for n in range(2):
            table.append(s, "order", f"00000000-0000-4000-8000-00000000000{n}", 1,
                         {"n": n}, datetime(2026, 12, 6, 9, 0))
    seqs = [r["seq"] for r in outbox.pending(context.db)]
    outbox.mark_refused(context.db, [(seqs[0], "order: bad value for 'total' (str)"),
                                     (seqs[1], "order: supply + vat + tax_free is not total")])
    updates.receive(context.db, 2, "now", {"format": 1})  # refused: no categories
    updates.receive(context.db, 3, "open", _priced("아메리카노", 4600))
    screen = window.show_screen("device-test")
    text = screen.office.text()
    assert "본사 메뉴 v3 대기 (개점 시)" in text
    assert "본사 메뉴 v2 거부: categories: missing" in text
    assert "본사 전송 거부 2건" in text
    assert f"#{seqs[0]} order: bad value for 'total' (str)" in text
    assert "supply + vat + tax_free is not total" in text
