"""Two registers (two SalesService instances, two connections) on one SQLite file, with the
other register's move slipped into the exact moment it would hurt: refunds of one order, the
recall of one held order. Money is never paid out twice and a state is never clobbered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from kspos.sales.orders import Order, OrderError, OrderLine, OrderState
from kspos.sales.payments import (
    CancelRequest,
    CashGateway,
    Method,
    PaymentError,
    Recorder,
    TenderRequest,
    TenderResult,
)
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.store import Database


@dataclass
class CardAtPort:
    """A card tender at our own port; ``meanwhile`` runs once inside the next cancel, after
    the cancel "went out" and before it is recorded (the other register's move)."""

    db: Database
    method: Method = Method.CARD
    saves_order_before_send = False
    needs_receipt_identity = False
    cancels: list[int] = field(default_factory=list)
    meanwhile: Callable[[], None] | None = None
    approvals: int = 0

    def authorize(self, request: TenderRequest, record: Recorder) -> TenderResult:
        self.approvals += 1
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no=f"{self.approvals:08d}", approval_date="261125")
        with self.db.session() as s:
            record(s, result)
        return result

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        self.cancels.append(request.amount)  # the 7420 is at the host: money goes back
        run, self.meanwhile = self.meanwhile, None
        if run is not None:
            run()
        result = TenderResult(True, Method.CARD, request.amount, "정상승인", "0000",
                              approval_no=f"9{len(self.cancels):07d}", approval_date="261125")
        with self.db.session() as s:
            record(s, result)
        return result


class CashAtPort(CashGateway):
    """Cash, with the same ``meanwhile`` slot before the refund is recorded."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.given_back: list[int] = []
        self.meanwhile: Callable[[], None] | None = None

    def cancel(self, request: CancelRequest, record: Recorder) -> TenderResult:
        self.given_back.append(request.amount)
        run, self.meanwhile = self.meanwhile, None
        if run is not None:
            run()
        return super().cancel(request, record)


class Register:
    def __init__(self, db: Database) -> None:
        self.card, self.cash = CardAtPort(db), CashAtPort(db)
        self.sales = SalesService(db, {Method.CARD: self.card, Method.CASH: self.cash},
                                  clock=lambda: datetime(2026, 11, 25, 12, 30))


@pytest.fixture
def two(db: Database) -> Iterator[tuple[Register, Register, dict[Role, Any]]]:
    other = Database(db.path).open()
    directory = StaffDirectory(db)
    staff = {role: directory.add(name, role, pin) for name, role, pin in
             (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"))}
    first, second = Register(db), Register(other)
    first.sales.days.open(staff[Role.OWNER], 0)
    yield first, second, staff
    other.close()


def order_of(*prices: int) -> Order:
    order = Order()
    for n, price in enumerate(prices):
        order.add(OrderLine(item_id=n, name=f"품목{n}", base_price=price))
    return order


def refunded(register: Register, order_id: int) -> int:
    return sum(p.refunded for p in register.sales.payments(order_id))


def test_two_registers_refunding_one_card_line_pay_it_back_once(two: Any) -> None:
    a, b, staff = two
    order = order_of(3_200, 3_900)
    a.sales.take_tender(order, TenderRequest(Method.CARD, 7_100, ""), staff[Role.CASHIER])
    refused: list[str] = []

    def b_refunds_the_same_line() -> None:
        try:
            b.sales.refund(order.id, staff[Role.OWNER], {0: 1})
        except OrderError as exc:
            refused.append(str(exc))

    a.card.meanwhile = b_refunds_the_same_line
    outcome = a.sales.refund(order.id, staff[Role.OWNER], {0: 1})
    assert outcome.amount == 3_200
    assert b.card.cancels == [], "the second register sent a cancel for a line being refunded"
    assert refused and "다른 계산대" in refused[0]
    assert a.card.cancels == [3_200] and refunded(a, order.id) == 3_200
    assert a.sales.load(order.id).state is OrderState.PARTLY_REFUNDED
    # once the first refund is over, the claim is gone: the other line can be refunded there
    assert b.sales.refund(order.id, staff[Role.OWNER], {1: 1}).amount == 3_900
    assert refunded(a, order.id) == 7_100


def test_a_whole_cash_refund_racing_a_line_refund_never_gives_back_more_than_paid(
        two: Any) -> None:
    a, b, staff = two
    order = order_of(3_200, 3_900)
    a.sales.take_tender(order, TenderRequest(Method.CASH, 7_100, "", tendered=10_000),
                        staff[Role.CASHIER])
    refused: list[str] = []

    def b_refunds_everything() -> None:
        try:
            b.sales.refund(order.id, staff[Role.OWNER])
        except OrderError as exc:
            refused.append(str(exc))

    a.cash.meanwhile = b_refunds_everything
    a.sales.refund(order.id, staff[Role.OWNER], {0: 1})
    assert b.cash.given_back == [] and refused
    assert refunded(a, order.id) == 3_200
    rest = b.sales.refund(order.id, staff[Role.OWNER])
    assert rest.amount == rest.cash_back == 3_900 and rest.state is OrderState.REFUNDED
    assert a.cash.given_back + b.cash.given_back == [3_200, 3_900]


def test_a_declined_refund_releases_the_order_for_the_next_try(two: Any) -> None:
    a, b, staff = two
    order = order_of(5_000)
    a.sales.take_tender(order, TenderRequest(Method.CARD, 5_000, ""), staff[Role.CASHIER])

    def decline(request: CancelRequest, record: Recorder) -> TenderResult:
        return TenderResult(False, Method.CARD, request.amount, "거절", "7101")

    a.card.cancel = decline  # type: ignore[method-assign]
    with pytest.raises(Exception, match="거절"):
        a.sales.refund(order.id, staff[Role.OWNER])
    assert b.sales.refund(order.id, staff[Role.OWNER]).amount == 5_000


def test_two_registers_recalling_one_held_order_only_one_gets_it(two: Any) -> None:
    a, b, staff = two
    order = order_of(4_500, 5_000)
    a.sales.hold(order, staff[Role.CASHIER])
    load = b.sales.load
    taken: list[Order] = []

    def b_loads_while_a_recalls_and_pays(order_id: int) -> Order:
        seen = load(order_id)  # B still sees it held ...
        if not taken:  # ... while A recalls it and the customer pays by card
            mine = a.sales.recall(order_id, staff[Role.CASHIER])
            a.sales.take_tender(mine, TenderRequest(Method.CARD, 9_500, ""),
                                staff[Role.CASHIER])
            taken.append(mine)
        return seen

    b.sales.load = b_loads_while_a_recalls_and_pays  # type: ignore[method-assign]
    with pytest.raises(OrderError, match="다른 계산대"):
        b.sales.recall(order.id, staff[Role.CASHIER])
    assert a.sales.load(order.id).state is OrderState.PAID
    assert [h.id for h in a.sales.held()] == []
    assert b.sales.refund(order.id, staff[Role.OWNER]).amount == 9_500


def test_a_stale_copy_of_a_paid_order_cannot_be_held_or_voided_over_it(two: Any) -> None:
    a, b, staff = two
    order = order_of(4_500)
    a.sales.hold(order, staff[Role.CASHIER])
    mine = a.sales.recall(order.id, staff[Role.CASHIER])
    stale = b.sales.load(order.id)
    stale.state = OrderState.OPEN  # what B's screen showed before A's payment
    a.sales.take_tender(mine, TenderRequest(Method.CASH, 4_500, "", tendered=4_500),
                        staff[Role.CASHIER])
    with pytest.raises(OrderError):
        b.sales.hold(stale, staff[Role.CASHIER])
    with pytest.raises(OrderError):
        b.sales.void(stale, staff[Role.CASHIER])
    assert a.sales.load(order.id).state is OrderState.PAID


class LinkWithAMoment:
    """A VanLink (our port) over loopback TCP that runs ``meanwhile`` once, after its next
    frame of type ``when`` reached the host and before the answer is handed back."""

    def __init__(self, port: int) -> None:
        from kspos.van.link import TcpVanLink

        self.inner = TcpVanLink("127.0.0.1", port)
        self.meanwhile: Callable[[], None] | None = None
        self.when = b"7420"

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        answer = self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,
                                     response_timeout_s=response_timeout_s)
        if self.meanwhile is not None and self.when in frame[:40]:
            run, self.meanwhile = self.meanwhile, None
            run()
        return answer

    def close(self) -> None:
        self.inner.close()


def test_over_the_van_a_second_register_sends_no_7420_for_a_line_being_refunded(
        db: Database) -> None:
    from drivers.sim.reader import SimCardReader
    from kspos.sales.tenders import CardGateway
    from kspos.van.client import Timeouts, VanClient
    from kspos.van.simulator import SimulatorThread

    other = Database(db.path).open()
    directory = StaffDirectory(db)
    cashier = directory.add("김민지", Role.CASHIER, "1111")
    owner = directory.add("홍길동", Role.OWNER, "0000")
    with SimulatorThread() as sim:
        links = [LinkWithAMoment(sim.port), LinkWithAMoment(sim.port)]
        tids = ("DPT0TEST03", "DPT0TEST03")  # one store, one TID: both may cancel its sales
        a, b = (SalesService(d, {Method.CARD: CardGateway(
            VanClient(d, link, tid, Timeouts(1.0, 2.0)), None)})
            for d, link, tid in zip((db, other), links, tids, strict=True))
        a.days.open(owner, 0)
        order = order_of(3_200, 3_900)
        a.take_tender(order, TenderRequest(Method.CARD, 7_100, "",
                                           card=SimCardReader().read_card(0, 1)), cashier)
        refused: list[str] = []

        def b_refunds_the_same_line() -> None:
            try:
                b.refund(order.id, owner, {0: 1})
            except OrderError as exc:
                refused.append(str(exc))

        links[0].meanwhile = b_refunds_the_same_line
        assert a.refund(order.id, owner, {0: 1}).amount == 3_200
        [payment] = a.payments(order.id)
        approval = sim.sim.state.by_approval(payment.row.approval_no or "")
        assert approval is not None
        assert [c.total for c in approval.cancels if not c.reversed] == [3_200], \
            "the host paid the line back twice"
        assert approval.remaining == 3_900 and payment.refunded == 3_200
        assert refused and "다른 계산대" in refused[0]
    other.close()


def test_a_tender_taken_elsewhere_during_a_card_payment_never_overpays_the_order(
        two: Any) -> None:
    a, b, staff = two
    order = order_of(4_500, 5_000)
    a.sales.hold(order, staff[Role.CASHIER])
    mine = a.sales.recall(order.id, staff[Role.CASHIER])
    stale = b.sales.load(order.id)
    stale.state = OrderState.OPEN  # B's screen still shows it open (e.g. held at B's start-up)
    authorize = a.card.authorize

    def b_takes_cash_while_the_card_is_out(request: TenderRequest, record: Recorder
                                           ) -> TenderResult:
        b.sales.take_tender(stale, TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                            staff[Role.CASHIER])
        return authorize(request, record)

    a.card.authorize = b_takes_cash_while_the_card_is_out  # type: ignore[method-assign]
    with pytest.raises((OrderError, PaymentError)):
        a.sales.take_tender(mine, TenderRequest(Method.CARD, 9_500, ""), staff[Role.CASHIER])
    assert [p.amount for p in a.sales.payments(order.id)] == [5_000]
    assert a.sales.load(order.id).state is OrderState.OPEN


def test_an_order_whose_tenders_are_half_given_back_is_not_paid_again(two: Any,
                                                                       db: Database) -> None:
    a, _b, staff = two
    order = order_of(4_000, 6_000)
    a.sales.take_tender(order, TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                        staff[Role.CASHIER])

    def crash() -> None:
        raise KeyboardInterrupt  # the power goes after the cash went back, before the void

    a.cash.meanwhile = None
    cancel = a.cash.cancel

    def give_back_then_crash(request: CancelRequest, record: Recorder) -> TenderResult:
        result = cancel(request, record)
        crash()
        return result

    a.cash.cancel = give_back_then_crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        a.sales.undo_tenders(order, staff[Role.CASHIER])
    db.write("UPDATE sale_order SET state = 'held', refund_claim = NULL WHERE id = ?",
             (order.id,))  # what the next start leaves
    back = a.sales.recall(order.id, staff[Role.CASHIER])
    assert back.paid == 0
    with pytest.raises(OrderError, match="주문취소"):
        a.sales.take_tender(back, TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                            staff[Role.CASHIER])
    a.sales.void(back, staff[Role.CASHIER])
    assert a.sales.load(order.id).state is OrderState.VOIDED
    assert [p.amount - p.refunded for p in a.sales.payments(order.id)] == [0]
