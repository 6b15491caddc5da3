"""``kspos demo-data``: a realistic synthetic sales history made through the real sales core.

Every order is taken by ``Register``/``SalesService`` with the store's menu (the demo cafe when
the menu is empty) on business days opened and closed by ``BusinessDays``, all on a simulated
clock: lunch and evening peaks, busier weekends, options, line and order discounts, 서비스,
cash (some with 현금영수증), card, easy pay per wallet, split tenders, held orders, voids,
training sales, and refunds (some on the next day).

Two shortcuts keep a year of 800 orders a day to minutes, and both are below the sales core,
never around it:

* card and easy-pay tenders go to in-process fake gateways at the payments port
  (``PaymentGateway``), which approve at once; the core records them as it records real ones;
* the core's ``Database`` is wrapped so that its ``session()`` joins one transaction per batch
  of orders (committed every ``batch`` orders and at every day close) instead of one per step.
  The core's code runs unchanged; only the commit boundary moves. A crash mid-run loses the
  uncommitted batch of a synthetic history: run the command again (existing days are skipped).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count
from typing import TYPE_CHECKING, Any

from kspos.devices.cards import mask_identity
from kspos.messages import DomainError
from kspos.money import INSTALLMENT_FROM_KRW
from kspos.sales.orders import Discount
from kspos.sales.payments import (
    CancelRequest,
    CashReceiptRequest,
    Method,
    PaymentGateway,
    Recorder,
    TenderRequest,
    TenderResult,
)
from kspos.store.batch import BatchedDatabase

if TYPE_CHECKING:
    import argparse

    from kspos.command_host import CommandHost
    from kspos.menu.catalog import Catalog, MenuItem
    from kspos.sales.register import Register
    from kspos.sales.service import SalesService
    from kspos.store.db import Database

OPENING_FLOAT = 100_000
HOURS = range(8, 22)
WEEKDAY_HOURS = (4, 6, 5, 7, 14, 12, 7, 6, 6, 7, 10, 9, 5, 3)
WEEKEND_HOURS = (2, 4, 6, 8, 12, 12, 10, 9, 8, 8, 9, 8, 6, 4)
CATEGORY_WEIGHT = {"커피": 10.0, "음료": 5.0, "디저트": 4.0, "식사": 3.0, "상품": 0.4}
WALLETS = (("KAKA", 40), ("NAVR", 20), ("TOSS", 15), ("PYCO", 8), ("ZERO", 7), ("SSGP", 4),
           ("WCHT", 3), ("ALIP", 3))
CARDS = (("536510", "신한카드", "MASTER"), ("457973", "국민카드", "VISA"),
         ("949019", "BC카드", "BC"), ("376100", "삼성카드", "AMEX"),
         ("625904", "하나카드", "UNIONPAY"))


class DemoError(DomainError):
    """The history cannot be generated here; ``str()`` says why (in English: a command-line
    tool's message, as it always was)."""

    plain = True


class SimClock:
    """The simulated wall clock the core is given (``clock=``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- fake gateways at the payments port ------------------------------------------------------------


class _Approvals:
    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.serial = count(1)

    def next(self) -> dict[str, Any]:
        now = self.clock()
        return {"approval_no": f"{next(self.serial) % 10**8:08d}",
                "approval_date": now.strftime("%y%m%d"),
                "approved_at": now.strftime("%y%m%d%H%M%S")}


class _FakeGateway:
    method: Method
    saves_order_before_send = False
    needs_receipt_identity = False

    def __init__(self, db: BatchedDatabase, approvals: _Approvals, rng: random.Random) -> None:
        self.db, self.approvals, self.rng = db, approvals, rng

    def _commit(self, result: TenderResult, record: Recorder) -> TenderResult:
        with self.db.session() as s:
            record(s, result)
        return result

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        return self._commit(TenderResult(approved=True, method=self.method,
                                         amount=request.amount, message="취소",
                                         **self.approvals.next()), record)


class DemoCash(_FakeGateway):
    """Cash; a 현금영수증 asked for is approved at once."""

    method = Method.CASH

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        tendered = request.tendered or request.amount
        extra: dict[str, Any] = {}
        receipt = request.cash_receipt
        if receipt is not None:
            approval = self.approvals.next()
            extra = {"cash_receipt_purpose": receipt.purpose,
                     "cash_receipt_id_masked": mask_identity(receipt.identity),
                     "cash_receipt_approval_no": approval["approval_no"],
                     "approval_date": approval["approval_date"], "van_class": "HK"}
        return self._commit(TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                                         tendered=tendered, change=tendered - request.amount,
                                         message="현금 결제", **extra), record)

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        return self._commit(TenderResult(approved=True, method=Method.CASH, amount=request.amount,
                                         message="현금 환불"), record)


class DemoCard(_FakeGateway):
    method = Method.CARD

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        bin6, issuer, brand = self.rng.choice(CARDS)
        return self._commit(TenderResult(
            approved=True, method=Method.CARD, amount=request.amount, message="정상승인",
            masked_pan=f"{bin6}******{self.rng.randrange(10_000):04d}", card_bin=bin6,
            brand=brand, issuer=issuer, acquirer=issuer, merchant_no="123456789",
            installment=request.installment, van_class="IC", **self.approvals.next()), record)


class DemoEasyPay(_FakeGateway):
    method = Method.EASYPAY

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        return self._commit(TenderResult(approved=True, method=Method.EASYPAY,
                                         amount=request.amount, message="정상승인",
                                         wallet=request.wallet, van_class="EP",
                                         **self.approvals.next()), record)


# --- the simulated store -----------------------------------------------------------------------------


@dataclass
class DemoStats:
    days: int = 0
    skipped: list[str] = field(default_factory=list)
    orders: int = 0
    refunds: int = 0
    voided: int = 0
    training: int = 0
    seconds: float = 0.0


@dataclass(order=True)
class _Event:
    at: datetime
    kind: str  # "order" | "refund"
    order_id: int = 0
    whole: bool = True


class DemoStore:
    """One store's simulated days, driven through Register and SalesService."""

    def __init__(self, db: Database, rng: random.Random, batch: int = 200) -> None:
        from kspos.menu.catalog import load_catalog
        from kspos.sales.register import Register
        from kspos.sales.service import SalesService
        from kspos.sales.staff import Role, StaffDirectory

        self.rng, self.batch = rng, batch
        self.real_db = db
        self.db = BatchedDatabase(db)
        self.clock = SimClock(datetime(2000, 1, 1))
        approvals = _Approvals(self.clock)
        gateways: dict[Method, PaymentGateway] = {
            Method.CASH: DemoCash(self.db, approvals, rng),
            Method.CARD: DemoCard(self.db, approvals, rng),
            Method.EASYPAY: DemoEasyPay(self.db, approvals, rng)}
        staff = StaffDirectory(db)
        staff.ensure_defaults()
        people = staff.all()
        self.owner = next((p for p in people if p.role is Role.OWNER), None)
        cashier = next((p for p in people if p.role is Role.CASHIER), self.owner)
        if self.owner is None:
            raise DemoError("demo.no_owner")
        self.catalog: Catalog = load_catalog(db)
        self.items = [i for i in self.catalog.by_id.values() if not i.sold_out]
        if not self.items:
            raise DemoError("demo.no_items")
        self.sales: SalesService = SalesService(self.db, gateways, clock=self.clock)  # type: ignore[arg-type]
        self.register: Register = Register(self.catalog, self.sales,
                                           StaffDirectory(self.db), staff=cashier)  # type: ignore[arg-type]
        self.pending: list[_Event] = []  # next-day refunds
        self.since_commit = 0

    # --- a day -----------------------------------------------------------------------------------

    def day(self, day: date, orders_per_day: int, last: bool, stats: DemoStats) -> None:
        rng = self.rng
        weekend = day.weekday() >= 5
        volume = orders_per_day * (1.2 if weekend else 0.92) * rng.uniform(0.85, 1.15)
        n = max(1, round(volume)) if orders_per_day else 0
        weights = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        events = [e for e in self.pending]
        self.pending = []
        for hour in rng.choices(HOURS, weights, k=n):
            at = datetime.combine(day, datetime.min.time()) + timedelta(
                hours=hour, seconds=rng.randrange(3600))
            events.append(_Event(at, "order"))
        events.sort()
        self.clock.now = datetime.combine(day, datetime.min.time()) + timedelta(hours=7, minutes=50)
        self.sales.days.open(self.owner, OPENING_FLOAT)
        closing = datetime.combine(day, datetime.min.time()) + timedelta(hours=22, minutes=5)
        while events:
            event = events.pop(0)
            self.clock.now = event.at
            if event.kind == "refund":
                self._refund(event, stats)
                continue
            order_id = self._order(event.at, stats)
            if order_id and rng.random() < 0.012:
                later = event.at + timedelta(minutes=rng.randrange(10, 180))
                refund = _Event(later, "refund", order_id, rng.random() < 0.6)
                if later < closing - timedelta(minutes=10):
                    events.append(refund)
                    events.sort()
                elif not last:
                    refund.at = datetime.combine(day + timedelta(days=1), datetime.min.time()) \
                        + timedelta(hours=9, seconds=rng.randrange(7200))
                    self.pending.append(refund)
            self._maybe_commit()
        self.clock.now = closing
        current = self.sales.days.current()
        assert current is not None
        expected = self.sales.days.expected_cash(current.id)
        drift = rng.choice((0, 0, 0, 0, 0, 0, -1000, 1000, -500, -100))
        self.sales.days.close(self.owner, max(0, expected + drift))
        self.db.commit()
        self.since_commit = 0

    def open_today(self, now: datetime, orders_per_day: int, stats: DemoStats) -> None:
        """Open ``now``'s business day and take the orders it would have had before ``now``;
        the day stays open (``kspos office serve --demo`` goes on with :meth:`sale_at`)."""
        rng, day = self.rng, now.date()
        weights = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
        midnight = datetime.combine(day, datetime.min.time())
        times = sorted(at for at in (midnight + timedelta(hours=hour, seconds=rng.randrange(3600))
                                     for hour in rng.choices(HOURS, weights, k=orders_per_day))
                       if at < now)
        self.clock.now = min(now, midnight + timedelta(hours=7, minutes=50))
        self.sales.days.open(self.owner, OPENING_FLOAT)
        self.db.commit()
        for at in times:
            self.sale_at(at, stats)

    def sale_at(self, at: datetime, stats: DemoStats) -> None:
        """One more order at ``at`` on the open day, committed at once."""
        self.clock.now = at
        self._order(at, stats)
        self.db.commit()

    def _maybe_commit(self) -> None:
        self.since_commit += 1
        if self.since_commit >= self.batch:
            self.db.commit()
            self.since_commit = 0

    # --- an order --------------------------------------------------------------------------------

    def _pick(self, hour: int) -> MenuItem:
        def weight(item: MenuItem) -> float:
            category = self.catalog.category_of(item).name
            w = CATEGORY_WEIGHT.get(category, 2.0)
            if category == "식사" and hour in (11, 12, 13, 17, 18, 19):
                w *= 3
            if category == "디저트" and hour in (14, 15, 16):
                w *= 2
            return w

        return self.rng.choices(self.items, [weight(i) for i in self.items])[0]

    def _choices(self, item: MenuItem, month: int) -> list[int]:
        rng, picked = self.rng, []
        iced = 0.35 + 0.4 * (month in (5, 6, 7, 8, 9))
        for group in item.groups:
            if group.required and group.choices:
                if len(group.choices) == 2:
                    picked.append(group.choices[1 if rng.random() < iced else 0].id)
                else:
                    weights = [6, 3, 1, 1, 1][:len(group.choices)]
                    picked.append(rng.choices(group.choices, weights)[0].id)
            elif group.choices and rng.random() < 0.15:
                picked.append(rng.choice(group.choices).id)
        return picked

    def _build(self, at: datetime) -> None:
        rng, register = self.rng, self.register
        for _ in range(rng.choices((1, 2, 3, 4, 5), (45, 30, 15, 7, 3))[0]):
            item = self._pick(at.hour)
            qty = rng.choices((1, 2, 3), (85, 12, 3))[0]
            register.add_item(item.id, self._choices(item, at.month), qty)
        lines = len(register.order.lines)
        roll = rng.random()
        if roll < 0.03:
            register.discount_line(rng.randrange(lines), Discount("percent", 10))
        elif roll < 0.06:
            register.toggle_complimentary(rng.randrange(lines))
        elif roll < 0.09 and register.order.total > 3000:
            register.discount_order(rng.choice((Discount("amount", 1000),
                                                Discount("percent", 5))))

    def _order(self, at: datetime, stats: DemoStats) -> int | None:
        rng, register = self.rng, self.register
        roll = rng.random()
        if roll < 0.002:
            register.set_training(True)
            self._build(at)
            register.pay_cash(register.order.total)
            register.set_training(False)
            stats.training += 1
            return None
        self._build(at)
        if roll < 0.006:  # held, then the customer leaves: voided
            held = register.hold()
            assert held.id is not None
            register.recall(held.id)
            register.void("고객 취소", confirmed=True)  # the cashier said yes to a big one
            stats.voided += 1
            return None
        if roll < 0.016:  # held while the customer looks for a card, then paid
            held = register.hold()
            assert held.id is not None
            register.recall(held.id)
        self._pay()
        stats.orders += 1
        paid = register.last_paid
        return paid.id if paid is not None else None

    def _pay(self) -> None:
        rng, register = self.rng, self.register
        total = register.order.total
        roll = rng.random()
        if total == 0 or roll < 0.2:
            self._cash(total)
        elif roll < 0.8:
            register.pay(self._card(total))
        elif roll < 0.94:
            wallet = rng.choices([w for w, _ in WALLETS], [n for _, n in WALLETS])[0]
            register.pay(TenderRequest(Method.EASYPAY, total, "", wallet=wallet))
        else:  # split: part on a card, the rest in cash
            part = max(100, (total // 2) // 100 * 100)
            if part >= total:
                register.pay(self._card(total))
                return
            register.pay(self._card(part))
            self._cash(total - part)

    def _card(self, amount: int) -> TenderRequest:
        months = self.rng.choice((0, 0, 3, 6)) if amount >= INSTALLMENT_FROM_KRW else 0
        return TenderRequest(Method.CARD, amount, "", installment=months)

    def _cash(self, amount: int) -> None:
        rng = self.rng
        step = rng.choice((1000, 5000, 10_000, 50_000))
        tendered = max(amount, -(-amount // step) * step)
        receipt = None
        if amount and rng.random() < 0.35:
            expense = rng.random() < 0.15
            identity = "2208162517" if expense else f"010{rng.randrange(10**8):08d}"
            receipt = CashReceiptRequest(identity, "expense" if expense else "deduction")
        self.register.pay(TenderRequest(Method.CASH, amount, "", tendered=tendered,
                                        cash_receipt=receipt))

    def _refund(self, event: _Event, stats: DemoStats) -> None:
        assert self.owner is not None
        order = self.sales.load(event.order_id)
        if order.total <= 0:
            return
        picks = None
        if not event.whole:  # one unit of the first line that cost something
            paid = [n for n, line in enumerate(order.lines) if line.amount > 0]
            if paid and (len(order.lines) > 1 or order.lines[paid[0]].qty > 1):
                picks = {paid[0]: 1}
        self.sales.refund(event.order_id, self.owner, picks, "고객 요청")
        stats.refunds += 1


def generate(db: Database, days: int, orders_per_day: int, seed: int = 1,
             end: date | None = None, progress: Callable[[str], None] | None = None,
             batch: int = 200) -> DemoStats:
    """Generate ``days`` closed business days ending ``end`` (yesterday by default) with about
    ``orders_per_day`` orders each. Days that already exist are skipped."""
    from kspos.menu.catalog import demo_menu, seed_menu
    from kspos.reports.connect import connect
    from kspos.reports.rollup import seal_day
    from kspos.sales.days import BusinessDays

    started = time.perf_counter()
    say = progress or (lambda _text: None)
    end = end or date.today() - timedelta(days=1)
    current = BusinessDays(db).current()
    if current is not None:
        raise DemoError("demo.day_open", day=current.day)
    seed_menu(db, demo_menu())
    store = DemoStore(db, random.Random(seed), batch=batch)
    with db.session() as s:
        from kspos.store import days as day_rows

        existing = day_rows.keys(s)
    stats = DemoStats()
    conn = connect(db.path)
    step = max(1, days // 20)
    try:
        for n in range(days):
            day = end - timedelta(days=days - 1 - n)
            if day.isoformat() in existing:
                stats.skipped.append(day.isoformat())
                continue
            try:
                store.day(day, orders_per_day, n == days - 1, stats)
            except BaseException:
                store.db.rollback()
                raise
            seal_day(conn, day.isoformat())
            stats.days += 1
            if (n + 1) % step == 0 or n == days - 1:
                rate = stats.orders / max(1e-9, time.perf_counter() - started)
                say(f"{day.isoformat()}: {n + 1}/{days} days, {stats.orders:,} orders "
                    f"({rate:,.0f} orders/s)")
    finally:
        conn.close()
    stats.seconds = time.perf_counter() - started
    return stats


def demo_data(args: argparse.Namespace, cli: CommandHost) -> int:
    """``kspos demo-data --days N --orders-per-day M [--seed S] [--kind cafe|restaurant]
    [--print]`` (a restaurant: M checks a day, see kspos/sales/demo_restaurant.py)."""
    if not 1 <= args.days <= 3660:
        raise cli.UsageError(f"--days must be 1 to 3660, got {args.days}")
    if args.orders_per_day > 5000:
        raise cli.UsageError(f"--orders-per-day must be at most 5000, got {args.orders_per_day}")
    from kspos.store.lock import job_lock

    settings = cli.load_settings_for(args)
    restaurant = getattr(args, "kind", "cafe") == "restaurant"
    if restaurant and settings.demo:  # the demo restaurant's own data dir and printers
        from kspos.config import demo_settings

        settings = demo_settings(getattr(args, "data_dir", None), "restaurant")
    if getattr(args, "print", False) and not (restaurant and settings.kitchens):
        raise cli.UsageError("--print sends kitchen slips: it needs --kind restaurant and "
                             "[[kitchen]] printers in the config")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    running = job_lock(settings.db_path, "demo-data")
    if not running.acquire(exclusive=True):  # two runs would write the same days
        raise cli.CommandFailed(f"데이터베이스가 사용 중입니다 (in use): another demo-data is "
                                f"writing {settings.db_path}; wait for it to finish")
    try:
        db = cli.open_database(settings)
        try:
            print(f"demo-data: {args.days} days × ~{args.orders_per_day} orders into "
                  f"{settings.db_path}", flush=True)
            if restaurant:
                from kspos.sales.demo_restaurant import run_restaurant

                stats = run_restaurant(db, settings, args, cli.build_printer)
            else:
                stats = generate(db, args.days, args.orders_per_day, args.seed,
                                 progress=lambda text: print(text, flush=True))
        except DemoError as exc:
            raise cli.CommandFailed(str(exc)) from None
        finally:
            db.close()
    finally:
        running.release()
    skipped = f", {len(stats.skipped)} existing days skipped" if stats.skipped else ""
    print(f"done: {stats.days} days, {stats.orders:,} paid orders, {stats.refunds:,} refunds, "
          f"{stats.voided} voided, {stats.training} training, in {stats.seconds:.1f} s{skipped}")
    return 0
