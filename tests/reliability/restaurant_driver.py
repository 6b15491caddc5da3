"""The process the restaurant crash test kills: tables taking rounds and split payments in a
loop on a data dir, with a kitchen hook that writes each slip into the round's transaction.

``python -m tests.reliability.restaurant_driver --data-dir D --seed S [--die POINT:COUNT]``
works until it is killed; ``--settle`` instead pays every open check in full (part by part
where split) and exits 0: the next start-up finishing the evening.

Points (wrapped around the real objects here; product code is untouched):
``round_before_commit`` (a round's lines, its check_round row and its kitchen slip written,
the transaction not yet committed), ``round_after_commit`` (send_round returned),
``split_before_commit`` (a part's tender recorded in its transaction, not yet committed) and
``split_after_commit`` (pay_part returned). At the COUNT-th time the point is reached the
process prints ``DIE <point>`` and SIGKILLs itself. After each commit it prints ``SENT
<order> <round>`` / ``PAID <order> <part> <amount>`` (what a cashier saw succeed).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
from pathlib import Path
from typing import Any

SLIPS = ("CREATE TABLE IF NOT EXISTS test_kitchen_slip (order_ref TEXT NOT NULL, "
         "round_no INTEGER NOT NULL, cancel INTEGER NOT NULL, lines INTEGER NOT NULL)")
FLOOR = [("홀", "Hall", [(f"T{n}", (n % 6) * 4, (n // 6) * 3, 3, 2, 4) for n in range(1, 13)])]
MENU = [("삼겹살", 15_000), ("목살", 16_000), ("냉면", 9_000), ("소주", 5_000), ("맥주", 6_001)]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


class Killer:
    def __init__(self, spec: str | None) -> None:
        self.point, _, count = (spec or "").partition(":")
        self.left = int(count or 0)

    def reach(self, point: str) -> None:
        if point != self.point:
            return
        self.left -= 1
        if self.left == 0:
            say(f"DIE {point}")
            os.kill(os.getpid(), signal.SIGKILL)


class KillingCash:
    """The real cash gateway, with the kill point between its record and the commit."""

    def __init__(self, inner: Any, killer: Killer) -> None:
        self.inner, self.killer = inner, killer
        self.method = inner.method
        self.saves_order_before_send = inner.saves_order_before_send
        self.needs_receipt_identity = inner.needs_receipt_identity

    def authorize(self, request: Any, record: Any) -> Any:
        def recorded(s: Any, result: Any) -> None:
            record(s, result)
            self.killer.reach("split_before_commit")

        return self.inner.authorize(request, recorded)

    def cancel(self, request: Any, record: Any) -> Any:
        return self.inner.cancel(request, record)


def build(data_dir: Path, killer: Killer) -> tuple[Any, Any, Any]:
    from kspos.sales.checks import CheckService
    from kspos.sales.payments import CashGateway, Method
    from kspos.sales.service import SalesService
    from kspos.sales.staff import Role, StaffDirectory
    from kspos.store import Database
    from kspos.store.sql import execute

    db = Database(data_dir / "kspos.sqlite3").open()
    db.write(SLIPS)
    directory = StaffDirectory(db)
    found = db.read("SELECT id FROM staff WHERE role = 'owner'")
    owner = directory.add("홍길동", Role.OWNER, "0000") if not found else \
        directory.login("0000")
    sales = SalesService(db, {Method.CASH: KillingCash(CashGateway(db), killer)})

    def kitchen(s: Any, slip: Any) -> None:
        execute(s, "INSERT INTO test_kitchen_slip VALUES (?, ?, ?, ?)",
                (slip.order_ref, slip.round_no, int(slip.cancel), len(slip.lines)))
        killer.reach("round_before_commit")

    checks = CheckService(db, sales, on_kitchen=kitchen)
    if sales.days.current() is None:
        sales.days.open(owner, 0)
    if not checks.floor().tiles:
        checks.seed_floor(FLOOR)
    return checks, owner, db


def step(checks: Any, owner: Any, rng: random.Random, killer: Killer) -> None:
    from kspos.sales.orders import OrderLine
    from kspos.sales.payments import Method, TenderRequest
    from kspos.sales.split_bill import split_equal

    tile = rng.choice(checks.floor().tiles)
    check = checks.open_check(tile.place.id, owner, rng.randint(1, 6))
    if check.order.id is None or (check.split is None and rng.random() < 0.5):
        for _ in range(rng.randint(1, 3)):
            name, price = rng.choice(MENU)
            check.order.add(OrderLine(len(name), name, price, rng.randint(1, 3)))
        checks.send_round(check, owner)
        say(f"SENT {check.order.id} {check.rounds[-1].no}")
        killer.reach("round_after_commit")
        return
    if check.split is None:
        checks.set_split(check, split_equal(check.due, rng.randint(2, 4)), owner)
    open_parts = [p.index for p in check.split.parts if check.part_due(p.index) > 0]
    part = rng.choice(open_parts)
    amount = check.part_due(part) if rng.random() < 0.7 else max(1, check.part_due(part) // 2)
    checks.pay_part(check, part, TenderRequest(Method.CASH, amount, "", tendered=amount), owner)
    say(f"PAID {check.order.id} {part} {amount}")
    killer.reach("split_after_commit")


def settle(checks: Any, owner: Any) -> None:
    from kspos.sales.payments import Method, TenderRequest

    for tile in checks.floor().tiles:
        if tile.order_id is None:
            continue
        check = checks.load_check(tile.order_id)
        if check.split is None:
            checks.pay(check, TenderRequest(Method.CASH, check.due, "", tendered=check.due),
                       owner)
            continue
        for part in check.split.parts:
            due = check.part_due(part.index)
            if due > 0:
                checks.pay_part(check, part.index, TenderRequest(
                    Method.CASH, due, "", tendered=due), owner)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--die")
    parser.add_argument("--settle", action="store_true")
    args = parser.parse_args()
    killer = Killer(args.die)
    checks, owner, db = build(args.data_dir, killer)
    say("READY")
    if args.settle:
        settle(checks, owner)
        db.close()
        say("SETTLED")
        return
    rng = random.Random(args.seed)
    while True:
        step(checks, owner, rng, killer)


if __name__ == "__main__":
    main()
