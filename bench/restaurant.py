"""Restaurant figures: a round committed with its kitchen slips queued, opening a table with a
40-line check, the floor read with 120 open checks, the floor plan's repaint of one state
change, and the restaurant soak (an evening on 120 tables, the store's maximum: 1,000 checks
with rounds, splits, moves and kitchen printer faults, ending with the Z balanced to the won
and every slip printed).

The soak runs the real core: a temp SQLite file, the VAN host simulator on loopback TCP
(card and easy-pay parts are approved by it, cash parts get their 현금영수증 there), and two
kitchen printers on loopback TCP (bench's stand-in printers keep every byte), one of them
unplugged for the first part of the evening and the other out of paper for a while.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

# The soak says "a 200-table evening" but its floor plan allows 120 tables per store
# (kspos.sales.floor.MAX_TABLES): the soak seats its 1,000 checks on the store's maximum.
TABLES = 120
CHECKS = 1_000
MENU = (("삼겹살", 16_000, "고기류"), ("목살", 16_000, "고기류"), ("소갈비살", 29_000, "고기류"),
        ("된장찌개", 8_000, "식사류"), ("물냉면", 9_000, "식사류"), ("공기밥", 1_000, "식사류"),
        ("계란찜", 5_000, "사이드"), ("소주", 5_000, "주류"), ("맥주", 6_000, "주류"),
        ("콜라", 2_500, "음료"))


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] if len(samples) > 1 else samples[0]


def _floor(tables: int) -> list[Any]:
    per_zone = (tables + 2) // 3
    zones = []
    for z, (name, en) in enumerate((("홀", "Hall"), ("룸", "Rooms"), ("테라스", "Terrace"))):
        count = min(per_zone, tables - z * per_zone)
        places = [(f"{name[0]}{n + 1}", (n % 8) * 3, (n // 8) * 2, 3, 2, 4) for n in range(count)]
        zones.append((name, en, places))
    return zones


def _kitchens(specs: tuple[str, str]) -> tuple[Any, ...]:
    from kspos.config.kitchen import KitchenSettings

    return (KitchenSettings("주방", specs[0], "text", 48, ("고기류", "식사류", "사이드")),
            KitchenSettings("바", specs[1], "text", 48, ("주류", "음료")))


class Evening:
    """A restaurant's store: the check core, the VAN simulator, the kitchen desk."""

    def __init__(self, folder: Path, tables: int, specs: tuple[str, str], seed: int = 18,
                 van_port: int | None = None) -> None:
        from drivers.registry import build_printer
        from drivers.sim.reader import SimCardReader
        from kspos.receipts.kitchen_queue import KitchenDesk
        from kspos.sales.checks import CheckService
        from kspos.sales.payments import CashGateway, Method, PaymentGateway
        from kspos.sales.service import SalesService
        from kspos.sales.staff import Role, StaffDirectory
        from kspos.store import Database

        self.rng = random.Random(seed)
        self.db = Database(folder / "restaurant.sqlite3").open()
        gateways: dict[Method, PaymentGateway] = {Method.CASH: CashGateway(self.db)}
        if van_port is not None:
            from kspos.sales.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway
            from kspos.van.client import ReversalPolicy, Timeouts, VanClient
            from kspos.van.link import TcpVanLink

            client = VanClient(self.db, TcpVanLink("127.0.0.1", van_port), "DPT0TEST03",
                               Timeouts(2.0, 2.0), policy=ReversalPolicy())
            gateways = {Method.CASH: CashWithReceiptGateway(self.db, client, None),
                        Method.CARD: CardGateway(client, None),
                        Method.EASYPAY: EasyPayGateway(client, None)}
        self.sales = SalesService(self.db, gateways)
        staff = StaffDirectory(self.db)
        self.cashier = staff.add("김민지", Role.CASHIER, "1111")
        self.owner = staff.add("홍길동", Role.OWNER, "0000")
        self.desk = KitchenDesk(_kitchens(specs), self.db, build_printer, idle_poll_s=0.2)
        self.checks = CheckService(self.db, self.sales, on_kitchen=self.desk.on_kitchen)
        self.checks.seed_floor(_floor(tables))
        self.sales.days.open(self.owner, 100_000)
        self.tables = [t.place.id for t in self.checks.floor().tiles]
        self.reader = SimCardReader()

    def order(self, check: Any, lines: int) -> None:
        from kspos.sales.orders import OrderLine

        for _ in range(lines):
            n = self.rng.randrange(len(MENU))
            name, price, category = MENU[n]
            check.order.add(OrderLine(n + 1, name, price, self.rng.randint(1, 3),
                                      category_name=category))

    def close(self) -> None:
        self.desk.stop()
        self.db.close()


# --- figures of the core -------------------------------------------------------------------


def round_and_slips_ms(rounds: int = 400) -> tuple[float, float]:
    """send_round of a 3-line round whose slips go to two kitchen printers (queued in the
    round's transaction; the printers are not running)."""
    with tempfile.TemporaryDirectory() as tmp:
        shop = Evening(Path(tmp), 120, ("sim", "sim"))
        samples = []
        for n in range(rounds):
            check = shop.checks.open_check(shop.tables[n % 120], shop.cashier, 2)
            shop.order(check, 3)
            started = time.perf_counter()
            shop.checks.send_round(check, shop.cashier)
            samples.append((time.perf_counter() - started) * 1000)
        shop.close()
    return statistics.median(samples), _p99(samples)


def open_table_ms(repeats: int = 200) -> tuple[float, float, float]:
    """(load a 40-line check p50, p99; the floor with 120 open checks read, p99) in the core."""
    with tempfile.TemporaryDirectory() as tmp:
        shop = Evening(Path(tmp), 120, ("sim", "sim"))
        for table in shop.tables:
            check = shop.checks.open_check(table, shop.cashier, 2)
            shop.order(check, 2)
            shop.checks.send_round(check, shop.cashier)
        big = shop.checks.open_check(shop.tables[0], shop.cashier)
        for _ in range(4):
            shop.order(big, 10)
            big = shop.checks.send_round(big, shop.cashier)
        loads, floors = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            shop.checks.load_check(big.order.id)
            loads.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            shop.checks.floor()
            floors.append((time.perf_counter() - started) * 1000)
        shop.close()
    return statistics.median(loads), _p99(loads), _p99(floors)


def floor_repaint_ms(changes: int = 300) -> tuple[float, float] | None:
    """The floor plan widget with 120 open tables: one tile's state changes, then the widget
    repaints (set_view + repaint, offscreen)."""
    try:
        from PySide6.QtWidgets import QApplication

        from ui.widgets.floor_plan import FloorCanvas
    except ImportError:
        return None
    from dataclasses import replace as changed
    from datetime import datetime

    from kspos.sales.floor import FloorView, TablePlace, TableState, TableTile, Zone

    app = QApplication.instance() or QApplication([])
    places = [TablePlace(n + 1, 1, f"{n + 1}", (n % 12) * 2, (n // 12) * 1, 2, 1)
              for n in range(120)]
    opened = datetime.now()
    tiles = [TableTile(p, TableState.ORDERING, n + 1, 4, 52_000, 0, opened)
             for n, p in enumerate(places)]
    canvas = FloorCanvas()
    canvas.resize(1920, 1000)
    canvas.show()
    zone = Zone(1, "홀", "Hall")
    canvas.set_view(FloorView((zone,), tuple(tiles)))
    app.processEvents()
    samples = []
    states = (TableState.BILLED, TableState.PAYING, TableState.ORDERING)
    for n in range(changes):
        i = n % 120
        tiles[i] = changed(tiles[i], state=states[n % 3], amount=tiles[i].amount + 1_000)
        started = time.perf_counter()
        canvas.set_view(FloorView((zone,), tuple(tiles)))
        canvas.repaint()
        samples.append((time.perf_counter() - started) * 1000)
    canvas.close()
    return statistics.median(samples), _p99(samples)


# --- the soak --------------------------------------------------------------------------------


def soak(tables: int = TABLES, checks: int = CHECKS, seed: int = 18) -> dict[str, Any]:
    """The evening; returns its figures and what did not balance (``problems``)."""
    from kspos.van.simulator import SimulatorThread
    from tests.integration.printing.escpos_server import PAPER_OUT, READY, EscposServer

    sim = SimulatorThread().start()
    kitchen = EscposServer().__enter__()
    bar_port = EscposServer().port  # bound and closed at once: the 바 printer is unplugged
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        shop = Evening(Path(tmp), tables, (kitchen.spec, f"tcp:127.0.0.1:{bar_port}"), seed,
                       van_port=sim.port)
        shop.desk.start()
        book = _evening(shop, checks, kitchen, bar_port, PAPER_OUT, READY)
        bar = book.pop("bar")
        deadline = time.monotonic() + 120
        while shop.desk.pending() and time.monotonic() < deadline:
            time.sleep(0.2)
        book["unprinted"] = len(shop.desk.pending())
        book["printed_bytes"] = len(kitchen.received) + len(bar.received)
        book.update(_z(shop))
        shop.close()
        bar.__exit__(None, None, None)
    kitchen.__exit__(None, None, None)
    sim.stop()
    book["wall_s"] = time.perf_counter() - started
    return book


def _evening(shop: Evening, checks: int, kitchen: Any, bar_port: int, paper_out: Any,
             ready: Any) -> dict[str, Any]:
    from tests.integration.printing.escpos_server import EscposServer

    rng, book = shop.rng, {"paid": 0, "splits": 0, "moves": 0, "cancels": 0, "rounds": 0}
    seated: list[Any] = []
    bar: Any = None
    for n in range(checks):
        if n == checks // 4:
            kitchen.status = dict(paper_out)  # 주방 runs out of paper …
        if n == checks // 3:
            kitchen.status = dict(ready)  # … and gets a new roll
            bar = EscposServer(port=bar_port).__enter__()  # the 바 printer plugged in
        free = [t for t in shop.tables if shop.checks.floor().tile(t).order_id is None]  # type: ignore[union-attr]
        check = shop.checks.open_check(rng.choice(free), shop.cashier, rng.randint(1, 6))
        for _round in range(rng.randint(1, 3)):
            shop.order(check, rng.randint(1, 4))
            check = shop.checks.send_round(check, shop.cashier)
            book["rounds"] += 1
        seated.append(check)
        if rng.random() < 0.1:
            book["cancels"] += _cancel_one(shop, check)
        free = [t for t in shop.tables if shop.checks.floor().tile(t).order_id is None]  # type: ignore[union-attr]
        if rng.random() < 0.05 and free:
            shop.checks.move(check, rng.choice(free), shop.cashier)
            book["moves"] += 1
        if len(seated) > shop.rng.randint(20, 60) or len(free) < 2 or n == checks - 1:
            while seated:
                book["splits"] += _settle(shop, seated.pop(rng.randrange(len(seated))))
                book["paid"] += 1
    book["bar"] = bar or EscposServer(port=bar_port).__enter__()
    return book


def _cancel_one(shop: Evening, check: Any) -> int:
    from kspos.sales.checks import CheckError

    sent = [i for i, ln in enumerate(check.order.lines) if ln.round_no]
    try:
        shop.checks.cancel_sent_line(check, sent[-1], 1, "손님 요청", shop.cashier)
    except CheckError:
        return 0
    return 1


def _settle(shop: Evening, check: Any) -> int:
    """Pay a check: whole, or split N분의 1 / by amount, parts by card, cash or easy pay."""
    from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
    from kspos.sales.split_bill import split_amounts, split_equal

    rng = shop.rng
    check = shop.checks.load_check(check.order.id)
    if check.order.id is None or check.due <= 0:
        return 0

    def tender(amount: int) -> TenderRequest:
        from drivers.sim.reader import sample_signature
        from kspos.money import SIGNATURE_ABOVE_KRW
        from kspos.ports import Signature

        kind = rng.random()
        if kind < 0.55:
            shop.reader.insert_card("")
            sign = Signature(sample_signature()) if amount > SIGNATURE_ABOVE_KRW else None
            return TenderRequest(Method.CARD, amount, "", card=shop.reader.read_card(0, 1),
                                 signature=sign)
        if kind < 0.75:
            return TenderRequest(Method.EASYPAY, amount, "", code="281006000011112222")
        receipt = CashReceiptRequest("01012345678") if rng.random() < 0.5 else None
        return TenderRequest(Method.CASH, amount, "", tendered=amount, cash_receipt=receipt)

    def cash(amount: int) -> TenderRequest:  # after a decline: the guest pays in cash
        return TenderRequest(Method.CASH, amount, "", tendered=amount)

    if check.due < 4 or rng.random() < 0.6:
        if not shop.checks.pay(check, tender(check.due), shop.cashier).approved:
            shop.checks.pay(check, cash(check.due), shop.cashier)
        return 0
    plan = (split_equal(check.due, rng.randint(2, 4)) if rng.random() < 0.6
            else split_amounts(check.due, [check.due // 3]))
    shop.checks.set_split(check, plan, shop.cashier)
    for part in plan.parts:
        if not shop.checks.pay_part(check, part.index, tender(part.amount),
                                    shop.cashier).approved:
            shop.checks.pay_part(check, part.index, cash(check.part_due(part.index)),
                                 shop.cashier)
    return 1


def _z(shop: Evening) -> dict[str, Any]:
    """마감: the Z closed with the drawer counted as expected (over/short 0), and its 순매출
    against the checks paid and the tenders they kept, to the won."""
    from datetime import date

    from kspos.reports.summary import load_summary

    day = shop.sales.days.current()
    assert day is not None
    cash = shop.db.read("SELECT coalesce(sum(p.amount - p.refunded), 0) FROM payment p "
                        "WHERE p.method = 'cash'")[0][0]
    expected = shop.sales.days.expected_cash(day.id)
    closed = shop.sales.days.close(shop.owner, expected)
    paid = shop.db.read("SELECT coalesce(sum(total), 0), count(*) FROM sale_order "
                        "WHERE state = 'paid'")[0]
    taken = shop.db.read("SELECT coalesce(sum(p.amount - p.refunded), 0) FROM payment p JOIN "
                         "sale_order o ON o.id = p.order_id WHERE o.state = 'paid'")[0][0]
    on_day = date.fromisoformat(day.day)
    summary = load_summary(shop.db.path, on_day, on_day, shop.owner)
    problems = []
    if summary.totals.net_sales != paid[0] or taken != paid[0]:
        problems.append(f"Z {summary.totals.net_sales:,} / tenders {taken:,} / checks "
                        f"{paid[0]:,}")
    if expected != 100_000 + cash or closed.over_short != 0:
        problems.append(f"drawer: expected {expected:,}, float + cash {100_000 + cash:,}")
    return {"z_net_sales": summary.totals.net_sales, "checks_paid": paid[1],
            "guests": summary.totals.guests, "expected_cash": expected, "problems": problems}


def run() -> list[tuple[str, str, str]]:
    r50, r99 = round_and_slips_ms()
    l50, l99, f99 = open_table_ms()
    rows = [
        ("restaurant: a round committed + its kitchen slips queued, p50 / p99",
         f"{r50:.1f} / {r99:.1f} ms", "p99 ≤ 15 ms"),
        ("restaurant: open a table with a 40-line check (core load), p50 / p99",
         f"{l50:.1f} / {l99:.1f} ms", "≤ 50 ms"),
        ("restaurant: the floor with 120 open checks read, p99", f"{f99:.1f} ms", "(figure)"),
    ]
    repaint = floor_repaint_ms()
    if repaint is not None:
        rows.append(("restaurant: floor plan, 120 open tables, a state change repainted, "
                     "p50 / p99", f"{repaint[0]:.1f} / {repaint[1]:.1f} ms", "p99 ≤ 16 ms"))
    book = soak()
    ok = not book["problems"] and book["unprinted"] == 0
    rows.append((f"restaurant soak: {TABLES} tables, {book['paid']:,} checks "
                 f"({book['rounds']:,} rounds, {book['splits']} split, {book['moves']} moved, "
                 f"{book['cancels']} lines cancelled), printer faults",
                 f"{book['wall_s']:.0f} s; Z {book['z_net_sales']:,}원 "
                 f"{'balances' if ok else 'FAILED: ' + '; '.join(book['problems'])}; "
                 f"{book['unprinted']} slips unprinted", "Z to the won, every slip printed"))
    return rows
