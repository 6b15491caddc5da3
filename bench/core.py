"""Sales core figures: cash sales per second (durable commits), and adding an item to a 50-line
order in the core (no screen)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _sales_context(tmp: Path):  # type: ignore[no-untyped-def]
    from kspos.menu.catalog import demo_menu, load_catalog, seed_menu
    from kspos.sales.payments import CashGateway, Method
    from kspos.sales.register import Register
    from kspos.sales.service import SalesService
    from kspos.sales.staff import Role, StaffDirectory
    from kspos.store import Database

    db = Database(tmp / "bench.sqlite3").open()
    seed_menu(db, demo_menu())
    staff = StaffDirectory(db)
    cashier = staff.add("벤치", Role.CASHIER, "1111")
    sales = SalesService(db, {Method.CASH: CashGateway(db)})
    sales.days.open(cashier, 0)
    register = Register(load_catalog(db), sales, staff, staff=cashier)
    return db, register


def cash_sales_per_second(seconds: float = 3.0) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        db, register = _sales_context(Path(tmp))
        items = [i for i in register.catalog.by_id.values() if not i.groups and not i.sold_out]
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            register.add_item(items[count % len(items)].id)
            register.add_item(items[(count + 1) % len(items)].id)
            register.pay_cash(tendered=100_000)
            count += 1
        elapsed = time.perf_counter() - started
        db.close()
        return count / elapsed


def add_item_to_long_order_us(taps: int = 2000) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db, register = _sales_context(Path(tmp))
        items = [i for i in register.catalog.by_id.values() if not i.sold_out]
        plain = [i for i in items if not i.groups]
        for n in range(50):
            register.order.add(register.line_for(plain[n % len(plain)], qty=1 + n // len(plain)))
        samples = []
        for n in range(taps):
            item = plain[n % len(plain)]
            t0 = time.perf_counter()
            register.add_item(item.id)
            register.order.totals()
            samples.append((time.perf_counter() - t0) * 1e6)
        db.close()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def run() -> list[tuple[str, str, str]]:
    p50, p99 = add_item_to_long_order_us()
    return [
        ("cash sales through the core (2 items, durable commit)",
         f"{cash_sales_per_second():,.0f} /s", "(figure)"),
        ("core: add item to a 50-line order + totals, p50 / p99",
         f"{p50:,.0f} / {p99:,.0f} µs", "(part of tap p99 ≤ 16 ms)"),
    ]
