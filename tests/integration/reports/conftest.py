"""A shop on a temp SQLite file whose sales go through the real core on a simulated clock."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from kspos.menu.admin import MenuAdmin
from kspos.menu.catalog import demo_menu, load_catalog, seed_menu
from kspos.reports.connect import connect
from kspos.reports.summary import SalesSummary, sales_summary
from kspos.sales.demo_data import DemoCard, DemoCash, DemoEasyPay, SimClock, _Approvals
from kspos.sales.orders import Discount
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from kspos.sales.register import Register
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory


class Shop:
    """Register + SalesService + BusinessDays with fake gateways at the payments port."""

    def __init__(self, db) -> None:  # type: ignore[no-untyped-def]
        seed_menu(db, demo_menu())
        self.db = db
        staff = StaffDirectory(db)
        staff.ensure_defaults()
        people = staff.all()
        self.owner = next(p for p in people if p.role is Role.OWNER)
        self.cashier = next(p for p in people if p.role is Role.CASHIER)
        self.clock = SimClock(datetime(2026, 3, 2, 9, 0))
        approvals = _Approvals(self.clock)
        rng = random.Random(5)
        self.sales = SalesService(db, {Method.CASH: DemoCash(db, approvals, rng),  # type: ignore[arg-type]
                                       Method.CARD: DemoCard(db, approvals, rng),  # type: ignore[arg-type]
                                       Method.EASYPAY: DemoEasyPay(db, approvals, rng)},  # type: ignore[arg-type]
                                  clock=self.clock)
        self.catalog = load_catalog(db)
        self.register = Register(self.catalog, self.sales, staff, staff=self.cashier)
        self._conn: sqlite3.Connection | None = None

    def item(self, name: str) -> int:
        return next(i.id for i in self.catalog.by_id.values() if i.name == name)

    def choices(self, name: str) -> list[int]:
        item = self.catalog.by_id[self.item(name)]
        return [g.choices[0].id for g in item.groups if g.required]

    def open(self, day: date, at: int = 9) -> None:
        self.clock.now = datetime.combine(day, datetime.min.time()) + timedelta(hours=at)
        self.sales.days.open(self.owner, 0)

    def close(self) -> None:
        current = self.sales.days.current()
        assert current is not None
        self.clock.now += timedelta(minutes=1)
        # a next-day cash refund can take the drawer below zero when the float is 0
        self.sales.days.close(self.owner, max(0, self.sales.days.expected_cash(current.id)))

    def at(self, hour: int, minute: int = 0) -> None:
        self.clock.now = self.clock.now.replace(hour=hour, minute=minute)

    def sell(self, *lines: tuple[str, int], method: str = "cash", tendered: int = 0,
             order_discount: Discount | None = None, service: tuple[int, ...] = (),
             line_discount: dict[int, Discount] | None = None, receipt: bool = False,
             wallet: str = "KAKA", split_card: int = 0) -> int:
        """One paid order; returns its id."""
        register = self.register
        for name, qty in lines:
            register.add_item(self.item(name), self.choices(name), qty)
        for index in service:
            register.toggle_complimentary(index)
        for index, discount in (line_discount or {}).items():
            register.discount_line(index, discount)
        if order_discount is not None:
            register.discount_order(order_discount)
        total = register.order.total
        if total == 0:  # all 서비스: the core settles it with a 0원 cash tender
            method, split_card = "cash", 0
        if split_card:
            register.pay(TenderRequest(Method.CARD, split_card, ""))
            total -= split_card
            method = "cash"
        if method == "cash":
            request = CashReceiptRequest("01012345678") if receipt else None
            register.pay(TenderRequest(Method.CASH, total, "", tendered=tendered or total,
                                       cash_receipt=request))
        elif method == "card":
            register.pay(TenderRequest(Method.CARD, total, ""))
        else:
            register.pay(TenderRequest(Method.EASYPAY, total, "", wallet=wallet))
        assert register.last_paid is not None and register.last_paid.id is not None
        return register.last_paid.id

    def refund(self, order_id: int, lines: dict[int, int] | None = None) -> None:
        self.sales.refund(order_id, self.owner, lines, "test")

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.db.path)
        return self._conn

    def summary(self, start: date, end: date | None = None, seal: bool = True) -> SalesSummary:
        return sales_summary(self.conn, start, end or start, seal=seal)

    def close_conn(self) -> None:
        if self._conn is not None:
            self._conn.close()


@pytest.fixture
def shop(demo_db) -> Iterator[Shop]:  # type: ignore[no-untyped-def]
    s = Shop(demo_db)
    yield s
    s.close_conn()


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    """메뉴 관리 on the demo menu: (MenuAdmin, owner, cashier)."""
    seed_menu(db, demo_menu())
    staff = StaffDirectory(db)
    owner = staff.add("점주", Role.OWNER, "0000")
    cashier = staff.add("캐셔", Role.CASHIER, "1111")
    return MenuAdmin(db), owner, cashier
