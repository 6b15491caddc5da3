"""Sales over the real VAN link: the sales core's tenders against the host simulator on
loopback TCP, with a temp SQLite file. Each flow ends in a recorded sale or a completed
망취소, never both, never neither."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from drivers.sim.reader import SimCardReader, sample_signature
from kspos.ports import Signature
from kspos.sales.orders import Order, OrderLine, OrderState
from kspos.sales.payments import CashReceiptRequest, Method, PaymentError, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.sales.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway
from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.link import TcpVanLink
from kspos.van.simulator import Fault, SimulatorThread


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
    cashier = staff.add("김민지", Role.CASHIER, "1111")
    owner = staff.add("홍길동", Role.OWNER, "0000")
    sales.days.open(owner, 0)

    class Shop:
        pass

    shop = Shop()
    shop.sales, shop.client, shop.sim = sales, client, sim  # type: ignore[attr-defined]
    shop.cashier, shop.owner = cashier, owner  # type: ignore[attr-defined]
    shop.reader = SimCardReader()  # type: ignore[attr-defined]
    return shop


def order_of(*prices: int, tax_free: bool = False) -> Order:
    order = Order()
    for n, price in enumerate(prices):
        order.add(OrderLine(item_id=n, name=f"품목{n}", base_price=price, tax_free=tax_free))
    return order


def card(shop: Any, pan: str = "") -> Any:
    if pan:
        shop.reader.insert_card(pan)
    return shop.reader.read_card(0, 1)


def test_card_sale_and_refund(shop: Any) -> None:
    order = order_of(4_500, 5_000)
    result = shop.sales.take_tender(order, TenderRequest(Method.CARD, 9_500, "",
                                                         card=card(shop)), shop.cashier)
    assert result.approved and len(result.approval_no) == 8
    assert order.state is OrderState.PAID
    [payment] = shop.sales.payments(order.id)
    assert payment.row.masked_pan == "411111******1111" and payment.row.card_bin == "411111"
    assert payment.row.issuer == "VISA"
    outcome = shop.sales.refund(order.id, shop.owner)
    assert outcome.state is OrderState.REFUNDED and outcome.cash_back == 0
    assert shop.sales.payments(order.id)[0].row.status == "cancelled"


def test_over_fifty_thousand_needs_a_signature(shop: Any) -> None:
    order = order_of(60_000)
    with pytest.raises(PaymentError, match="signature"):
        shop.sales.take_tender(order, TenderRequest(Method.CARD, 60_000, "", card=card(shop)),
                               shop.cashier)
    assert shop.sales.payments(order.id) == []
    signed = TenderRequest(Method.CARD, 60_000, "", card=card(shop), installment=3,
                           signature=Signature(sample_signature()))
    assert shop.sales.take_tender(order, signed, shop.cashier).approved
    # A partial refund by line is a 7420 for that amount.
    assert shop.sales.payments(order.id)[0].row.installment == 3


def test_partial_refund_sends_a_partial_cancel(shop: Any) -> None:
    order = order_of(10_000, 20_000)
    shop.sales.take_tender(order, TenderRequest(Method.CARD, 30_000, "", card=card(shop)),
                           shop.cashier)
    outcome = shop.sales.refund(order.id, shop.owner, {0: 1})
    assert outcome.amount == 10_000 and outcome.state is OrderState.PARTLY_REFUNDED
    rest = shop.sales.refund(order.id, shop.owner)
    assert rest.amount == 20_000 and rest.state is OrderState.REFUNDED


def test_declined_card_records_nothing(shop: Any) -> None:
    order = order_of(9_000)
    result = shop.sales.take_tender(
        order, TenderRequest(Method.CARD, 9_000, "", card=card(shop, "4000000000000002")),
        shop.cashier)
    assert not result.approved and "한도초과" in result.message and result.code == "7001"
    assert shop.sales.payments(order.id) == [] and order.state is OrderState.OPEN


def test_easy_pay_and_a_used_code(shop: Any) -> None:
    order = order_of(7_000)
    code = "281006000011112222"
    result = shop.sales.take_tender(order, TenderRequest(Method.EASYPAY, 7_000, "", code=code),
                                    shop.cashier)
    assert result.approved and result.wallet == "KAKA"
    again = order_of(7_000)
    second = shop.sales.take_tender(again, TenderRequest(Method.EASYPAY, 7_000, "", code=code),
                                    shop.cashier)
    assert not second.approved and second.code == "8101"
    assert again.state is OrderState.OPEN


def test_cash_with_receipt_and_its_refund(shop: Any) -> None:
    order = order_of(30_000, 20_000)
    receipt = CashReceiptRequest("01012345678", "expense")
    result = shop.sales.take_tender(order, TenderRequest(Method.CASH, 50_000, "",
                                                         tendered=50_000, cash_receipt=receipt),
                                    shop.cashier)
    assert result.approved and len(result.cash_receipt_approval_no) == 9
    assert result.cash_receipt_id_masked == "010****5678"
    with pytest.raises(PaymentError, match="고객 번호"):
        shop.sales.refund(order.id, shop.owner, {0: 1})
    outcome = shop.sales.refund(order.id, shop.owner, {0: 1},
                                cash_receipt_identity="01012345678")
    assert outcome.cash_back == 30_000 and outcome.warnings == ()
    payment = shop.sales.payments(order.id)[0].row
    assert payment.cash_receipt_approval_no and payment.cash_receipt_approval_no != \
        result.cash_receipt_approval_no  # re-issued for the 20,000 kept


def test_mixed_tender_then_whole_refund(shop: Any) -> None:
    order = order_of(8_000, 8_000, 4_000)
    shop.sales.take_tender(order, TenderRequest(Method.CASH, 5_000, "", tendered=10_000),
                           shop.cashier)
    shop.sales.take_tender(order, TenderRequest(Method.CARD, 15_000, "", card=card(shop)),
                           shop.cashier)
    assert order.state is OrderState.PAID
    outcome = shop.sales.refund(order.id, shop.owner)
    assert outcome.amount == 20_000 and outcome.cash_back == 5_000


def test_no_answer_ends_in_a_network_cancel_and_no_sale(shop: Any) -> None:
    shop.sim.sim.fault = Fault("timeout")
    order = order_of(12_000)
    box: dict[str, Any] = {}

    def pay() -> None:
        box["result"] = shop.sales.take_tender(
            order, TenderRequest(Method.CARD, 12_000, "", card=card(shop)), shop.cashier)

    worker = threading.Thread(target=pay)
    worker.start()
    assert shop.sim.sim.wait_for_requests(1, 5)
    shop.sim.sim.fault = Fault()  # the host comes back: the 0440 gets through
    worker.join(10)
    result = box["result"]
    assert not result.approved and "망취소" in result.message
    assert shop.sales.payments(order.id) == [] and order.state is OrderState.OPEN
    assert shop.client.pending_reversals() == []
    # The same order can be paid afterwards.
    again = shop.sales.take_tender(order, TenderRequest(Method.CARD, 12_000, "",
                                                        card=card(shop)), shop.cashier)
    assert again.approved and order.state is OrderState.PAID


def test_pending_reversal_pauses_cards_but_not_cash(shop: Any) -> None:
    shop.sim.sim.fault = Fault("drop")
    order = order_of(5_000)
    result = shop.sales.take_tender(order, TenderRequest(Method.CARD, 5_000, "",
                                                         card=card(shop)), shop.cashier)
    assert not result.approved and shop.client.pending_reversals()
    with pytest.raises(PaymentError):
        shop.sales.take_tender(order, TenderRequest(Method.CARD, 5_000, "", card=card(shop)),
                               shop.cashier)
    cash = shop.sales.take_tender(order, TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                                  shop.cashier)
    assert cash.approved and order.state is OrderState.PAID
    shop.sim.sim.fault = Fault()
    shop.client.resume_pending()
    assert shop.client.pending_reversals() == []


def test_training_sale_never_reaches_the_live_host(db: Any, sim: SimulatorThread) -> None:
    training_sim = SimulatorThread().start()
    try:
        live = VanClient(db, TcpVanLink("127.0.0.1", sim.port), "DPT0TEST03")
        practice = VanClient(db, TcpVanLink("127.0.0.1", training_sim.port), "TRAIN00001")
        sales = SalesService(db, {Method.CARD: CardGateway(live, practice)},
                             clock=lambda: datetime(2026, 11, 25, 10))
        staff = StaffDirectory(db).add("연습생", Role.CASHIER, "1234")
        sales.days.open(staff, 0)
        order = order_of(3_000)
        order.training = True
        reader = SimCardReader()
        assert sales.take_tender(order, TenderRequest(Method.CARD, 3_000, "",
                                                      card=reader.read_card(0, 1)),
                                 staff).approved
        assert sim.sim.requests_seen == 0 and training_sim.sim.requests_seen == 1
    finally:
        training_sim.stop()


class WatchingLink:
    """Our VanLink port around the real TCP link: looks at the store as the first byte goes."""

    spec = "watching"

    def __init__(self, inner: TcpVanLink, db_path: Any) -> None:
        self.inner, self.db_path = inner, db_path
        self.seen: list[tuple[Any, ...]] = []

    def close(self) -> None:
        self.inner.close()

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        import sqlite3

        conn = sqlite3.connect(self.db_path)  # another connection: sees committed rows only
        try:
            self.seen.append(conn.execute(
                "SELECT o.receipt_no, o.state, v.pos_ref, v.state FROM sale_order o "
                "JOIN van_reversal v ON v.pos_ref = o.receipt_no").fetchone())
        finally:
            conn.close()
        return self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,
                                   response_timeout_s=response_timeout_s)


def test_a_new_order_and_its_intent_are_committed_before_the_first_byte(
        shop: Any, db: Any) -> None:
    watching = WatchingLink(shop.client.link, db.path)
    shop.client.link = watching
    order = order_of(4_500, 5_000)
    result = shop.sales.take_tender(order, TenderRequest(Method.CARD, 9_500, "",
                                                         card=card(shop)), shop.cashier)
    assert result.approved and order.state is OrderState.PAID
    [(receipt_no, state, pos_ref, intent)] = watching.seen
    assert receipt_no == order.receipt_no == pos_ref and state == "open" and intent == "intent"
    assert shop.sim.sim.requests_seen == 1


def test_a_tender_refused_before_sending_saves_nothing_and_the_order_pays_later(
        shop: Any) -> None:
    shop.sales.days.close(shop.owner, 0)  # no open business day: the order cannot be saved
    order = order_of(4_500)
    with pytest.raises(Exception, match="영업이 시작되지 않았습니다"):
        shop.sales.take_tender(order, TenderRequest(Method.CARD, 4_500, "", card=card(shop)),
                               shop.cashier)
    assert order.id is None and order.receipt_no is None
    assert shop.sim.sim.requests_seen == 0 and shop.client.pending_reversals() == []
    from kspos.sales.days import BusinessDays

    BusinessDays(shop.sales.db, lambda: datetime(2099, 1, 2, 9)).open(shop.owner, 0)
    result = shop.sales.take_tender(order, TenderRequest(Method.CARD, 4_500, "",
                                                         card=card(shop)), shop.cashier)
    assert result.approved and order.state is OrderState.PAID


# --- 현금영수증 의무발행업종: [store] cash_receipt_required -----------------------------------


@pytest.fixture
def listed_shop(db: Any, shop: Any) -> Any:
    """The same shop in a listed industry: cash of 100,000원 and more gets a 현금영수증."""
    shop.sales.gateways[Method.CASH] = CashWithReceiptGateway(db, shop.client, None,
                                                              receipt_required=True)
    return shop


def test_a_listed_store_issues_a_self_issued_receipt_for_cash_from_100000(
        listed_shop: Any) -> None:
    order = order_of(100_000)
    result = listed_shop.sales.take_tender(
        order, TenderRequest(Method.CASH, 100_000, "", tendered=100_000), listed_shop.cashier)
    assert result.approved
    [payment] = listed_shop.sales.payments(order.id)
    assert payment.row.cash_receipt_approval_no  # issued at the host, nobody asked
    assert payment.row.cash_receipt_id_masked == "010***1234"  # 자진발급


def test_a_listed_store_keeps_the_customers_number_and_skips_small_cash(
        listed_shop: Any) -> None:
    big, small = order_of(120_000), order_of(99_000)
    listed_shop.sales.take_tender(big, TenderRequest(
        Method.CASH, 120_000, "", tendered=120_000,
        cash_receipt=CashReceiptRequest("01012345678")), listed_shop.cashier)
    listed_shop.sales.take_tender(small, TenderRequest(Method.CASH, 99_000, "", tendered=99_000),
                                  listed_shop.cashier)
    assert listed_shop.sales.payments(big.id)[0].row.cash_receipt_id_masked == "010****5678"
    assert listed_shop.sales.payments(small.id)[0].row.cash_receipt_approval_no is None


def test_an_unlisted_store_issues_no_receipt_unless_asked(shop: Any) -> None:
    order = order_of(150_000)
    shop.sales.take_tender(order, TenderRequest(Method.CASH, 150_000, "", tendered=150_000),
                           shop.cashier)
    assert shop.sales.payments(order.id)[0].row.cash_receipt_approval_no is None


def test_a_partial_cash_receipt_refund_re_issues_to_the_customers_own_number(
        shop: Any, db: Any) -> None:
    order = order_of(30_000, 20_000)
    first = shop.sales.take_tender(order, TenderRequest(
        Method.CASH, 50_000, "", tendered=50_000,
        cash_receipt=CashReceiptRequest("01012345678", "deduction")), shop.cashier)
    with pytest.raises(PaymentError, match="010\\*\\*\\*\\*5678"):
        shop.sales.refund(order.id, shop.owner, {0: 1}, cash_receipt_identity="01099998888")
    payment = shop.sales.payments(order.id)[0]
    assert payment.refunded == 0  # nothing given back, nothing sent
    assert payment.row.cash_receipt_approval_no == first.cash_receipt_approval_no
    shop.sales.refund(order.id, shop.owner, {0: 1}, cash_receipt_identity="01012345678")
    row = shop.sales.payments(order.id)[0].row
    assert row.cash_receipt_id_masked == "010****5678"
    (detail,), = db.read("SELECT detail FROM audit_log WHERE action = 'cash_receipt_reissued'")
    assert row.cash_receipt_approval_no in detail and "010****5678" in detail


def test_re_issuing_to_another_number_is_explicit_audited_and_stored(shop: Any,
                                                                    db: Any) -> None:
    order = order_of(30_000, 20_000)
    shop.sales.take_tender(order, TenderRequest(
        Method.CASH, 50_000, "", tendered=50_000,
        cash_receipt=CashReceiptRequest("01012345678", "deduction")), shop.cashier)
    shop.sales.refund(order.id, shop.owner, {0: 1}, cash_receipt_identity="01012345678",
                      new_cash_receipt_identity="01099998888")
    row = shop.sales.payments(order.id)[0].row
    assert row.cash_receipt_id_masked == "010****8888"
    live = shop.sim.sim.state.by_approval(row.cash_receipt_approval_no)
    assert live is not None and live.total == 20_000 and not live.reversed
    (detail,), = db.read("SELECT detail FROM audit_log WHERE action = 'cash_receipt_reissued'")
    assert "010****5678" in detail and "010****8888" in detail and '"changed": true' in detail


def test_an_absurd_cash_amount_is_refused_before_any_cash_receipt_is_issued(shop: Any) -> None:
    order = order_of(7_100)
    receipt = CashReceiptRequest("01012345678")
    for tendered in (0, 999_999_999):
        with pytest.raises(PaymentError, match="받은 금액"):
            shop.sales.take_tender(order, TenderRequest(Method.CASH, 7_100, "",
                                                        tendered=tendered,
                                                        cash_receipt=receipt), shop.cashier)
    assert shop.sim.sim.state.requests == 0 and shop.sales.payments(order.id) == []


def test_a_cash_receipt_refund_declares_the_tax_free_part_on_cancel_and_re_issue(
        shop: Any) -> None:
    """면세 (a tax-free item) in a 현금영수증 sale: the cancel repeats what the receipt declared
    tax-free and the new receipt for the cash kept declares the kept part (0 was sent for both,
    so the re-issued receipt counted tax-free sales as taxable)."""
    order = order_of(20_000)
    order.add(OrderLine(item_id=9, name="생수", base_price=10_000, tax_free=True))
    first = shop.sales.take_tender(order, TenderRequest(
        Method.CASH, 30_000, "", tendered=30_000,
        cash_receipt=CashReceiptRequest("01012345678", "deduction")), shop.cashier)
    issued = shop.sim.sim.state.by_approval(first.cash_receipt_approval_no)
    assert issued.tax_free == 10_000
    shop.sales.refund(order.id, shop.owner, {1: 1}, cash_receipt_identity="01012345678")
    [cancel] = issued.cancels
    assert cancel.total == 30_000 and cancel.tax_free == 10_000
    row = shop.sales.payments(order.id)[0].row
    kept = shop.sim.sim.state.by_approval(row.cash_receipt_approval_no)
    # a refund's 면세 is its proportional share of the order's (as every tender's is): 3,333
    assert kept.total == 20_000 and kept.tax_free == 10_000 - 3_333
