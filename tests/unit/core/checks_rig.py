"""A restaurant on a real temp SQLite file for the check tests: staff, an open day, a floor of
two zones, a check service whose kitchen hook records the slips it is handed, and a card
gateway faked at our own port (kspos.sales.payments.PaymentGateway)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from kspos.receipts.kitchen_slip import KitchenSlip
from kspos.sales.checks import Check, CheckService
from kspos.sales.orders import OrderLine
from kspos.sales.payments import (
    CancelRequest,
    CashGateway,
    Method,
    Recorder,
    TenderRequest,
    TenderResult,
)
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory, StaffMember

FLOOR = [("홀", "Hall", [("T1", 0, 0, 3, 2, 4), ("T2", 4, 0, 3, 2, 4), ("T3", 8, 0, 3, 2, 4),
                         ("T4", 12, 0, 3, 2, 6)]),
         ("룸", "Room", [("룸 1", 0, 0, 6, 4, 8)])]


@dataclass
class FakeCard:
    """Approves every card tender (approval numbers count up); cancels likewise."""

    db: Any
    method: Method = Method.CARD
    saves_order_before_send = False
    needs_receipt_identity = False
    calls: list[str] = field(default_factory=list)

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        self.calls.append(f"approve {request.amount}")
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no=f"{len(self.calls):08d}", approval_date="261206",
                              masked_pan="536510******0006", card_bin="536510")
        with self.db.session() as s:
            record(s, result)
        return result

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        self.calls.append(f"cancel {request.amount} of {request.approval_no}")
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no="87654321", approval_date="261206")
        with self.db.session() as s:
            record(s, result)
        return result


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 18, 0)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class Shop:
    db: Any
    sales: SalesService
    checks: CheckService
    clock: Clock
    cashier: StaffMember
    owner: StaffMember
    card: FakeCard
    slips: list[KitchenSlip]
    tables: dict[str, int]

    def register(self) -> CheckService:
        """A second register on the same file."""
        sales = SalesService(self.db, {Method.CASH: CashGateway(self.db),
                                       Method.CARD: self.card}, clock=self.clock)
        return CheckService(self.db, sales, clock=self.clock,
                            on_kitchen=lambda _s, slip: self.slips.append(slip))


def make_shop(db: Any) -> Shop:
    directory = StaffDirectory(db)
    cashier = directory.add("김민지", Role.CASHIER, "1111")
    owner = directory.add("홍길동", Role.OWNER, "0000")
    clock, card, slips = Clock(), FakeCard(db), []
    sales = SalesService(db, {Method.CASH: CashGateway(db), Method.CARD: card}, clock=clock)
    sales.days.open(owner, 0)
    checks = CheckService(db, sales, clock=clock, on_kitchen=lambda _s, slip: slips.append(slip))
    checks.seed_floor(FLOOR)
    tables = {t.place.name: t.place.id for t in checks.floor().tiles}
    return Shop(db, sales, checks, clock, cashier, owner, card, slips, tables)


@pytest.fixture
def shop(db: Any) -> Shop:
    return make_shop(db)


def line(name: str, price: int, qty: int = 1, note: str = "", category: str = "고기류",
         item: int | None = None) -> OrderLine:
    return OrderLine(item_id=item if item is not None else sum(map(ord, name)), name=name,
                     base_price=price, qty=qty, note=note, category_name=category)


def seated(shop: Shop, table: str, *lines: OrderLine, guests: int = 2) -> Check:
    """A check on ``table`` with one round of ``lines`` sent by the cashier."""
    check = shop.checks.open_check(shop.tables[table], shop.cashier, guests)
    for ln in lines or (line("삼겹살", 15_000, 2),):
        check.order.add(ln)
    return shop.checks.send_round(check, shop.cashier)


def cash(amount: int) -> TenderRequest:
    return TenderRequest(Method.CASH, amount, "", tendered=amount)


def card(amount: int) -> TenderRequest:
    return TenderRequest(Method.CARD, amount, "")
