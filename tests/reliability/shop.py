"""A store on a temp SQLite file and the VAN simulator on loopback, with links that fail on
purpose: the fault tests and the soak share it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drivers.sim.reader import SimCardReader, sample_signature
from kspos.money import SIGNATURE_ABOVE_KRW
from kspos.ports import Signature, VanNoAnswer
from kspos.sales.orders import Order, OrderLine
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.sales.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway
from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.link import TcpVanLink

TID = "DPT0TEST03"
IDENTITY = "01012345678"


class FlakyLink:
    """A TcpVanLink whose chosen exchanges reach the host but lose the answer on the way back
    (the host has processed the request: exactly the case a 망취소 exists for)."""

    def __init__(self, port: int) -> None:
        self.inner = TcpVanLink("127.0.0.1", port)
        self.exchanges = 0
        self.lose: set[int] = set()  # exchange numbers (1-based) whose answer is lost
        self.after: Callable[[int], None] | None = None  # runs after each answer came

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        self.exchanges += 1
        answer = self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,
                                     response_timeout_s=response_timeout_s)
        if self.exchanges in self.lose:
            raise VanNoAnswer("the VAN connection broke (test: answer lost)")
        if self.after is not None:
            self.after(self.exchanges)
        return answer

    def close(self) -> None:
        self.inner.close()


@dataclass
class Shop:
    db: Any
    link: Any
    client: VanClient
    sales: SalesService
    cashier: Any
    owner: Any
    reader: SimCardReader = field(default_factory=SimCardReader)
    rng: random.Random = field(default_factory=lambda: random.Random(1))

    def order(self, *prices: int) -> Order:
        order = Order()
        for n, price in enumerate(prices):
            order.add(OrderLine(item_id=n, name=f"품목{n}", base_price=price, qty=1))
        return order

    def request(self, method: str, amount: int) -> TenderRequest:
        if method == "card":
            sign = Signature(sample_signature()) if amount > SIGNATURE_ABOVE_KRW else None
            return TenderRequest(Method.CARD, amount, "", card=self.reader.read_card(0, 1),
                                 signature=sign)
        if method == "easypay":
            code = "281006" + f"{self.rng.randrange(10**11):011d}" + "1"
            return TenderRequest(Method.EASYPAY, amount, "", code=code)
        if method == "cash_receipt":
            return TenderRequest(Method.CASH, amount, "", tendered=amount,
                                 cash_receipt=CashReceiptRequest(IDENTITY, "deduction"))
        return TenderRequest(Method.CASH, amount, "", tendered=amount)

    def pay(self, order: Order, method: str, amount: int | None = None) -> Any:
        due = self.sales.remaining(order) if order.id else order.total
        return self.sales.take_tender(order, self.request(method, amount or due), self.cashier)


def make_shop(db: Any, link: Any, timeouts: Timeouts | None = None) -> Shop:
    client = VanClient(db, link, TID, timeouts or Timeouts(1.0, 0.5),
                       policy=ReversalPolicy(immediate=(0.0, 0.02, 0.05), base_s=0.05))
    sales = SalesService(db, {Method.CASH: CashWithReceiptGateway(db, client, None),
                              Method.CARD: CardGateway(client, None),
                              Method.EASYPAY: EasyPayGateway(client, None)})
    staff = StaffDirectory(db)
    cashier = staff.add("김민지", Role.CASHIER, "1111")
    owner = staff.add("홍길동", Role.OWNER, "0000")
    sales.days.open(owner, 0)
    return Shop(db, link, client, sales, cashier, owner)
