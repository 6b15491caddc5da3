"""The refund claim (kspos/sales/refunds.py): a register that died mid-refund leaves a claim that is
released at the next start or taken over, never one that locks the order for good; a live
register's claim refuses everyone else."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from typing import Any

import pytest

from kspos.sales import refunds
from kspos.sales.orders import Order, OrderError, OrderLine, OrderState
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory


@pytest.fixture
def shop(db: Any) -> Any:
    directory = StaffDirectory(db)
    staff = {role: directory.add(name, role, pin) for name, role, pin in
             (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"))}
    sales = SalesService(db, {Method.CASH: CashGateway(db)},
                         clock=lambda: datetime(2026, 11, 25, 12, 30))
    sales.days.open(staff[Role.OWNER], 0)
    order = Order()
    order.add(OrderLine(item_id=1, name="아메리카노", base_price=4_500, qty=2))
    sales.take_tender(order, TenderRequest(Method.CASH, 9_000, "", tendered=9_000),
                      staff[Role.CASHIER])
    return sales, staff, order.id


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def claim_of(pid: int, at: float | None = None) -> str:
    return f"{socket.gethostname()}:{pid}:abcdef0123:{int(at or time.time())}"


def test_a_claim_left_by_a_dead_register_is_taken_over_and_audited(shop: Any, db: Any) -> None:
    sales, staff, order_id = shop
    db.write("UPDATE sale_order SET refund_claim = ? WHERE id = ?",
             (claim_of(dead_pid()), order_id))
    assert sales.refund(order_id, staff[Role.OWNER], {0: 1}).amount == 4_500
    assert db.read("SELECT refund_claim FROM sale_order WHERE id = ?", (order_id,)) == [(None,)]
    assert db.read("SELECT count(*) FROM audit_log WHERE action = 'refund_claim_released'") \
        == [(1,)]


def test_a_live_registers_claim_refuses_the_refund_and_gives_nothing_back(shop: Any,
                                                                          db: Any) -> None:
    sales, staff, order_id = shop
    db.write("UPDATE sale_order SET refund_claim = ? WHERE id = ?",
             (claim_of(os.getpid()), order_id))
    with pytest.raises(OrderError, match="다른 계산대에서 이 주문을 환불"):
        sales.refund(order_id, staff[Role.OWNER])
    assert sales.payments(order_id)[0].refunded == 0
    assert sales.load(order_id).state is OrderState.PAID


def test_start_up_releases_only_the_claims_of_registers_that_are_gone(shop: Any,
                                                                      db: Any) -> None:
    sales, staff, order_id = shop
    second = Order()
    second.add(OrderLine(item_id=2, name="라떼", base_price=5_000))
    sales.take_tender(second, TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                      staff[Role.CASHIER])
    live = claim_of(os.getpid())
    db.write("UPDATE sale_order SET refund_claim = ? WHERE id = ?",
             (claim_of(dead_pid()), order_id))
    db.write("UPDATE sale_order SET refund_claim = ? WHERE id = ?", (live, second.id))
    assert refunds.release_stale(db) == 1
    assert db.read("SELECT id, refund_claim FROM sale_order ORDER BY id") == \
        [(order_id, None), (second.id, live)]


def test_a_claim_older_than_any_refund_is_stale_even_from_another_host() -> None:
    old = time.time() - refunds.CLAIM_STALE_S - 1
    assert refunds.is_stale(f"other-host:1:abcdef0123:{int(old)}")
    assert not refunds.is_stale(f"other-host:1:abcdef0123:{int(time.time())}")
    assert refunds.is_stale("garbage")
