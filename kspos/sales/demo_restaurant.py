"""`kspos demo-data --kind restaurant`: a restaurant's history through the real check core.

Each business day opens at 11:00 and closes at 23:00 with the cash counted as expected. Guests
are seated on the demo floor, order in rounds (a memo now and then), ask for a 중간 계산서,
move tables, sit together (합석), take back a sent line (취소 with a reason), and pay the
whole bill or split it (by item, N분의 1, by amount) with cards, easy pay and cash (some with a
현금영수증). Payments go through the demo gateways of :mod:`kspos.sales.demo_data` (no VAN
host); with ``on_kitchen`` set (``--print``), every round and cancel queues its kitchen slips.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kspos.sales.demo_data import (
    DemoCard,
    DemoCash,
    DemoEasyPay,
    DemoError,
    DemoStats,
    SimClock,
    _Approvals,
)

if TYPE_CHECKING:
    from kspos.menu.catalog import Catalog, MenuItem
    from kspos.receipts.kitchen_slip import KitchenSlip
    from kspos.sales.checks import Check, CheckService
    from kspos.sales.orders import OrderLine
    from kspos.store.db import Database
    from kspos.store.unit import Unit

OPENING_FLOAT = 200_000
MEMOS = ("덜 맵게", "얼음 빼고", "소스 따로", "빨리 부탁드립니다", "")
REASONS = ("손님 요청", "주문 실수", "품절")


class RestaurantDay:
    """One restaurant on one database: the floor, the check core and the demo gateways."""

    def __init__(self, db: Database, rng: random.Random,
                 on_kitchen: Callable[[Unit, KitchenSlip], object] | None) -> None:
        from kspos.menu.catalog import load_catalog
        from kspos.sales.checks import CheckService
        from kspos.sales.floor import demo_floor
        from kspos.sales.payments import Method, PaymentGateway
        from kspos.sales.service import SalesService
        from kspos.sales.staff import Role, StaffDirectory

        self.db, self.rng = db, rng
        self.clock = SimClock(datetime.now())
        approvals = _Approvals(self.clock)
        gateways: dict[Method, PaymentGateway] = {
            Method.CASH: DemoCash(db, approvals, rng),  # type: ignore[arg-type]
            Method.CARD: DemoCard(db, approvals, rng),  # type: ignore[arg-type]
            Method.EASYPAY: DemoEasyPay(db, approvals, rng)}  # type: ignore[arg-type]
        self.sales = SalesService(db, gateways, clock=self.clock)
        self.checks: CheckService = CheckService(db, self.sales, clock=self.clock,
                                                 on_kitchen=on_kitchen)
        if not self.checks.floor().tiles:
            self.checks.seed_floor(demo_floor())
        staff = StaffDirectory(db)
        staff.ensure_defaults()
        self.owner = staff.first(Role.OWNER)
        self.cashier = staff.first(Role.CASHIER) or self.owner
        self.catalog: Catalog = load_catalog(db)
        self.items = [i for i in self.catalog.by_id.values() if not i.sold_out]

    # --- a line, a round ----------------------------------------------------------------------

    def line(self, item: MenuItem) -> OrderLine:
        from kspos.sales.orders import ChosenOption, OrderLine

        chosen = [ChosenOption(g.name, g.choices[0].name, g.choices[0].name_en,
                               g.choices[0].price_delta) for g in item.groups if g.required]
        category = self.catalog.category_of(item)
        memo = self.rng.choice(MEMOS) if self.rng.random() < 0.1 else ""
        return OrderLine(item_id=item.id, name=item.name, name_en=item.name_en,
                         base_price=item.price, qty=self.rng.choice((1, 1, 2, 2, 3)),
                         options=tuple(chosen), category_id=item.category_id,
                         category_name=category.name if category else "",
                         tax_free=item.tax_free, note=memo)

    def round(self, check: Check) -> Check:
        for _ in range(self.rng.randint(1, 4)):
            check.order.add(self.line(self.rng.choice(self.items)))
        memo = "천천히 주세요" if self.rng.random() < 0.05 else ""
        return self.checks.send_round(check, self.cashier, memo)

    # --- a day ----------------------------------------------------------------------------------

    def run(self, day: date, checks: int, stats: DemoStats) -> None:
        rng, start = self.rng, datetime.combine(day, datetime.min.time())
        self.clock.now = start + timedelta(hours=11)
        self.sales.days.open(self.owner, OPENING_FLOAT)
        seated: list[tuple[datetime, int]] = []  # (when the bill is asked for, order id)
        step = timedelta(minutes=11 * 60 / max(1, checks))
        for _ in range(checks):
            self.clock.now += step
            seated.sort()
            while seated and seated[0][0] <= self.clock.now:
                self.settle(seated.pop(0)[1], stats)
            check = self.seat()
            if check is None:
                continue
            seated.append((self.clock.now + timedelta(minutes=rng.randint(40, 110)),
                           check.order.id or 0))
        self.clock.now = start + timedelta(hours=22, minutes=50)
        for _when, order_id in sorted(seated):
            self.settle(order_id, stats)
        day_id = self.sales.days.current()
        if day_id is not None:
            self.sales.days.close(self.owner, self.sales.days.expected_cash(day_id.id))

    def seat(self) -> Check | None:
        rng = self.rng
        free = [t.place.id for t in self.checks.floor().tiles if t.order_id is None]
        if not free:
            return None
        check = self.checks.open_check(rng.choice(free), self.cashier, rng.randint(1, 6))
        check = self.round(check)
        if rng.random() < 0.15:  # 같은 메뉴 한 번 더
            check = self.checks.send_round(self.checks.repeat_round(check), self.cashier)
        elif rng.random() < 0.4:  # 추가 주문
            check = self.round(check)
        if rng.random() < 0.06:
            sent = [i for i, ln in enumerate(check.order.lines) if ln.round_no]
            check = self.checks.cancel_sent_line(check, sent[-1], 1, rng.choice(REASONS),
                                                 self.cashier)
            if check.order.id is None or not check.order.lines:
                return None
        free = [t.place.id for t in self.checks.floor().tiles if t.order_id is None]
        if rng.random() < 0.04 and free:
            check = self.checks.move(check, rng.choice(free), self.cashier)
        taken = [t for t in self.checks.floor().tiles
                 if t.order_id not in (None, check.order.id) and not t.paid]
        if rng.random() < 0.03 and taken:
            check = self.checks.merge(check, rng.choice(taken).place.id, self.cashier)
        return check

    def settle(self, order_id: int, stats: DemoStats) -> None:
        from kspos.sales.orders import OrderState

        try:
            check = self.checks.load_check(order_id)
        except Exception:  # noqa: BLE001 - merged into another table's check meanwhile
            return
        if check.order.state is not OrderState.OPEN or check.due <= 0:
            return
        if self.rng.random() < 0.3:
            self.checks.print_prebill(check, self.cashier)
        if check.due >= 4 and self.rng.random() < 0.3:
            self.split(check)
        else:
            self.checks.pay(check, self.tender(check.due), self.cashier)
        stats.orders += 1

    def split(self, check: Check) -> None:
        from kspos.sales.split_bill import BillLine, split_amounts, split_equal, split_items

        rng, due = self.rng, check.due
        kind = rng.random()
        plan = None
        if kind < 0.3 and len(check.order.lines) >= 2 and not check.order.paid:
            lines = check.order.lines
            cut = rng.randint(1, len(lines) - 1)
            try:
                plan = split_items([BillLine(ln.name, ln.qty, ln.amount) for ln in lines],
                                   due, [[(i, lines[i].qty) for i in range(cut)],
                                         [(i, lines[i].qty) for i in range(cut, len(lines))]])
            except Exception:  # noqa: BLE001 - a part of only 서비스 lines: split evenly
                plan = None
        if plan is None:
            plan = (split_equal(due, rng.randint(2, min(4, due))) if kind < 0.75
                    else split_amounts(due, [due // 3]))
        self.checks.set_split(check, plan, self.cashier)
        for part in plan.parts:
            self.checks.pay_part(check, part.index, self.tender(part.amount), self.cashier)

    def tender(self, amount: int) -> Any:
        from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest

        pick = self.rng.random()
        if pick < 0.6:
            return TenderRequest(Method.CARD, amount, "")
        if pick < 0.75:
            return TenderRequest(Method.EASYPAY, amount, "", code="281006000011112222",
                                 wallet="KAKAO")
        receipt = CashReceiptRequest("01012345678") if self.rng.random() < 0.4 else None
        tendered = -(-amount // 10_000) * 10_000
        return TenderRequest(Method.CASH, amount, "", tendered=tendered, cash_receipt=receipt)


def generate_restaurant(db: Database, days: int, checks_per_day: int, seed: int = 1,
                        end: date | None = None,
                        on_kitchen: Callable[[Unit, KitchenSlip], object] | None = None,
                        progress: Callable[[str], None] | None = None) -> DemoStats:
    """``days`` closed restaurant days ending ``end`` (yesterday by default), about
    ``checks_per_day`` checks each. Days that already exist are skipped."""
    from kspos.menu.catalog import catalog_is_empty, demo_menu, seed_menu
    from kspos.reports.connect import connect
    from kspos.reports.rollup import seal_day
    from kspos.sales.days import BusinessDays
    from kspos.store import days as day_rows

    started = time.perf_counter()
    say = progress or (lambda _text: None)
    end = end or date.today() - timedelta(days=1)
    current = BusinessDays(db).current()
    if current is not None:
        raise DemoError("demo.day_open", day=current.day)
    if catalog_is_empty(db):
        seed_menu(db, demo_menu("restaurant"))
    store = RestaurantDay(db, random.Random(seed), on_kitchen)
    with db.session() as s:
        existing = day_rows.keys(s)
    stats = DemoStats()
    conn = connect(db.path)
    try:
        for n in range(days):
            day = end - timedelta(days=days - 1 - n)
            if day.isoformat() in existing:
                stats.skipped.append(day.isoformat())
                continue
            store.run(day, checks_per_day, stats)
            seal_day(conn, day.isoformat())
            stats.days += 1
            say(f"{day.isoformat()}: {n + 1}/{days} days, {stats.orders:,} checks paid")
    finally:
        conn.close()
    stats.seconds = time.perf_counter() - started
    return stats


def run_restaurant(db: Database, settings: Any, args: Any,
                   build_printer: Callable[[str], Any]) -> DemoStats:
    """The ``demo-data --kind restaurant [--print]`` run: with ``--print`` the slips are
    queued for the ``[[kitchen]]`` printers and sent before it returns (up to a minute)."""
    desk = None
    if args.print:
        from kspos.receipts.kitchen_queue import KitchenDesk

        desk = KitchenDesk.from_settings(settings, db, build_printer)
    stats = generate_restaurant(db, args.days, args.orders_per_day, args.seed,
                                on_kitchen=desk.on_kitchen if desk is not None else None,
                                progress=lambda text: print(text, flush=True))
    if desk is not None:
        desk.start()
        deadline = time.monotonic() + 60
        try:
            while desk.pending() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            desk.stop()
        left = len(desk.pending())
        print(f"kitchen slips: {'all printed' if not left else f'{left} still queued'}",
              flush=True)
    return stats
