"""A restaurant's check paid in parts over the real VAN link: the check core against the host
simulator on loopback TCP, with a temp SQLite file. Each part has its own approval (card, easy
pay) or its own 현금영수증 (cash); one part is refunded on its own later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from drivers.sim.reader import SimCardReader
from kspos.sales.checks import CheckService
from kspos.sales.orders import OrderLine, OrderState
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.split_bill import split_equal
from kspos.sales.staff import Role, StaffDirectory
from kspos.sales.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway
from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread


@pytest.fixture
def sim() -> Iterator[SimulatorThread]:
    thread = SimulatorThread().start()
    yield thread
    thread.stop()


@pytest.fixture
def shop(db: Any, sim: SimulatorThread) -> Any:
    link = TcpVanLink("127.0.0.1", sim.port)
    client = VanClient(db, link, "DPT0TEST03", Timeouts(1.0, 0.5),
                       policy=ReversalPolicy(immediate=(0.0, 0.05, 0.1), base_s=0.1))
    sales = SalesService(db, {Method.CASH: CashWithReceiptGateway(db, client, None),
                              Method.CARD: CardGateway(client, None),
                              Method.EASYPAY: EasyPayGateway(client, None)})
    staff = StaffDirectory(db)

    class Shop:
        pass

    shop = Shop()
    shop.cashier = staff.add("김민지", Role.CASHIER, "1111")  # type: ignore[attr-defined]
    shop.owner = staff.add("홍길동", Role.OWNER, "0000")  # type: ignore[attr-defined]
    sales.days.open(shop.owner, 0)  # type: ignore[attr-defined]
    shop.sales, shop.db, shop.reader = sales, db, SimCardReader()  # type: ignore[attr-defined]
    shop.checks = CheckService(db, sales)  # type: ignore[attr-defined]
    shop.checks.seed_floor([("홀", "Hall", [("T1", 0, 0, 3, 2, 4)])])  # type: ignore[attr-defined]
    return shop


def test_a_check_split_in_three_paid_by_card_cash_receipt_and_easy_pay(shop: Any) -> None:
    table = shop.checks.floor().tiles[0].place.id
    check = shop.checks.open_check(table, shop.cashier, guests=3)
    check.order.add(OrderLine(1, "삼겹살", 15_000, 2, category_name="고기류"))
    check.order.add(OrderLine(2, "소주", 5_000, 2, category_name="주류"))
    shop.checks.send_round(check, shop.cashier)
    shop.checks.set_split(check, split_equal(check.due, 3), shop.cashier)  # 40,000
    assert [p.amount for p in check.split.parts] == [13_334, 13_333, 13_333]

    shop.reader.insert_card("")
    by_card = shop.checks.pay_part(check, 0, TenderRequest(
        Method.CARD, 13_334, "", card=shop.reader.read_card(0, 1)), shop.cashier)
    assert by_card.approved and check.order.state is OrderState.OPEN
    by_cash = shop.checks.pay_part(check, 1, TenderRequest(
        Method.CASH, 13_333, "", tendered=20_000,
        cash_receipt=CashReceiptRequest("01012345678")), shop.cashier)
    assert by_cash.approved and by_cash.change == 6_667 and by_cash.cash_receipt_approval_no
    later = shop.checks.load_check(check.order.id)  # the last guest pays at another moment
    by_app = shop.checks.pay_part(later, 2, TenderRequest(
        Method.EASYPAY, 13_333, "", code="281006000011112222"), shop.cashier)
    assert by_app.approved and later.order.state is OrderState.PAID
    rows = shop.db.read("SELECT split_part, method, amount, approval_no, "
                        "cash_receipt_approval_no FROM payment WHERE order_id = ? ORDER BY id",
                        (check.order.id,))
    assert [(p, m, a) for p, m, a, _n, _c in rows] == [
        (0, "card", 13_334), (1, "cash", 13_333), (2, "easypay", 13_333)]
    assert rows[0][3] and rows[2][3] and rows[0][3] != rows[2][3] and rows[1][4]
    facts = [json.loads(b) for (b,) in shop.db.read(
        "SELECT body FROM outbox WHERE kind IN ('order', 'payment') ORDER BY seq")]
    assert [f.get("method", "order") for f in facts] == ["card", "cash", "easypay", "order"]

    outcome = shop.checks.refund_part(check.order.id, 0, shop.owner, "카드 바꿈")
    assert outcome.amount == 13_334 and outcome.state is OrderState.PARTLY_REFUNDED
    assert shop.db.read("SELECT split_part, refunded, status FROM payment WHERE order_id = ? "
                        "ORDER BY id", (check.order.id,)) == [
        (0, 13_334, "cancelled"), (1, 0, "approved"), (2, 0, "approved")]
