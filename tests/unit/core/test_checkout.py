"""The card and easy-pay payment flows without Qt: every state a cashier meets, driven by the
events a dialog forwards, with the tender sent through the real card/easy-pay gateway and VAN
client over a fake VanLink (tests/unit/van/van_fakes.py) on a temp database."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest

from kspos.money import INSTALLMENT_FROM_KRW, SIGNATURE_ABOVE_KRW
from kspos.ports import CardRead, ReaderStatus, ReadResult, Signature
from kspos.sales.checkout import (
    Answered,
    Cancel,
    CardCheckout,
    CardInserted,
    CardState,
    ChangeInstallment,
    CheckoutRefused,
    ChooseInstallment,
    EasyPayCheckout,
    EasyPayState,
    Failed,
    Notice,
    Open,
    Pay,
    ReadStarted,
    Retry,
    Scanned,
    Signed,
    read_event,
)
from kspos.sales.payments import Method, PaymentError, TenderResult
from kspos.sales.tenders import CardGateway, EasyPayGateway
from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.host import HostState
from tests.unit.van.van_fakes import NOW, TID, ScriptedLink

PAN = "4111111111111111"
BROKE = "4000000000009995"  # the host answers 7002 잔액부족
INK = Signature(b"\x01" * Signature.SIZE)
BLANK = Signature(bytes(Signature.SIZE))
KAKAO = "281006123456789012"  # names its wallet
NAMELESS = "9912345678901234"  # a payment code no rule names: the cashier picks the wallet


def chip(pan: str = PAN) -> CardRead:
    return CardRead(ReadResult.READ, entry_mode="I", track2=f"{pan}=3012101",
                    masked_pan=pan[:6] + "******" + pan[-4:], bin=pan[:6], brand="VISA")


class FakeReader:
    """A CardReader (kspos.ports) that returns the queued reads; with none queued the read is
    still waiting for the customer's card."""

    spec = "fake"

    def __init__(self) -> None:
        self.queued: deque[CardRead] = deque()
        self.reads = 0

    def open(self) -> None: ...
    def close(self) -> None: ...
    def status(self) -> ReaderStatus:
        return ReaderStatus("card" if self.queued else "ready")
    def read_card(self, amount: int, timeout_s: float) -> CardRead:
        self.reads += 1
        return self.queued.popleft()
    def cancel_read(self) -> None: ...
    def display(self, line1: str, line2: str = "") -> None: ...
    def get_signature(self, amount: int, timeout_s: float) -> Signature | None:
        return None
    def beep(self, count: int = 1) -> None: ...


@pytest.fixture
def link() -> ScriptedLink:
    import random

    return ScriptedLink(HostState(clock=lambda: NOW, rng=random.Random(3)))


@pytest.fixture
def client(db: Any, link: ScriptedLink) -> VanClient:
    return VanClient(db, link, TID, Timeouts(0.3, 0.3), clock=lambda: NOW, sleep=lambda s: None,
                     policy=ReversalPolicy(immediate=(0.0, 0.0, 0.0), base_s=0.0))


class Counter:
    """Plays the dialog's part: runs the device step each state asks for (the read, the
    tender), until the machine waits for the cashier or the customer."""

    def __init__(self, checkout: Any, client: VanClient, reader: FakeReader | None = None) -> None:
        self.checkout, self.client, self.reader = checkout, client, reader
        self.sent: list[Any] = []  # the requests that went to the gateway
        self.recorded: list[TenderResult] = []

    def run(self) -> Any:
        m = self.checkout
        while True:
            if (m.state is CardState.WAITING_FOR_CARD and not m.reading and self.reader
                    and self.reader.queued):
                m.handle(ReadStarted())
                m.handle(read_event(self.reader.read_card(m.amount, 1.0)))
            elif m.state in (CardState.APPROVING, EasyPayState.APPROVING):
                request = m.take_request()
                self.sent.append(request)
                gateway = (CardGateway if isinstance(m, CardCheckout) else EasyPayGateway)(
                    self.client, None)
                try:
                    result = gateway.authorize(request, lambda s, t: self.recorded.append(t))
                except PaymentError as exc:
                    m.handle(Failed(str(exc)))
                else:
                    m.handle(Answered(result))
            else:
                return m.state


def card_counter(client: VanClient, amount: int, *cards: CardRead) -> Counter:
    reader = FakeReader()
    reader.queued.extend(cards)
    checkout = CardCheckout(amount, reversal_pending=client.reversal_owed)
    checkout.handle(Open())
    return Counter(checkout, client, reader)


# --- card ---------------------------------------------------------------------------------------


def test_under_fifty_thousand_the_card_is_read_and_approved_without_more_questions(
        client: VanClient) -> None:
    counter = card_counter(client, 12_000, chip())
    assert counter.run() is CardState.DONE
    [request] = counter.sent
    assert (request.installment, request.signature) == (0, None)
    assert counter.checkout.result.approved and counter.checkout.result.masked_pan == \
        "411111******1111"
    assert counter.recorded == [counter.checkout.result]  # the gateway's recorder ran once
    assert counter.checkout.card is None  # track-2 left with the request


def test_from_fifty_thousand_the_installment_is_chosen_before_the_card_is_read(
        client: VanClient, link: ScriptedLink) -> None:
    counter = card_counter(client, INSTALLMENT_FROM_KRW, chip())
    assert counter.run() is CardState.CHOOSING_INSTALLMENT
    assert counter.reader is not None and counter.reader.reads == 0  # no read while deciding
    counter.checkout.handle(ChooseInstallment(3))
    # exactly 50,000원 is still 무서명: straight to the approval
    assert counter.run() is CardState.DONE
    assert link.sent[-1].installment == 3 and link.sent[-1].signature is None


def test_above_fifty_thousand_a_signature_with_ink_is_needed(client: VanClient,
                                                             link: ScriptedLink) -> None:
    counter = card_counter(client, SIGNATURE_ABOVE_KRW + 1, chip())
    counter.checkout.handle(ChooseInstallment(0))
    assert counter.run() is CardState.SIGNATURE
    for empty in (None, BLANK):  # 확인 on an empty pad: asked again, nothing sent
        assert counter.checkout.handle(Signed(empty)) is CardState.SIGNATURE
        assert counter.checkout.notice is Notice.SIGN_FIRST
    assert link.sent == []
    counter.checkout.handle(Signed(INK))
    assert counter.checkout.notice is None
    assert counter.run() is CardState.DONE
    assert link.sent[-1].signature == INK.bitmap


def test_a_chip_failure_falls_back_to_a_swipe_with_the_same_installment(
        client: VanClient, link: ScriptedLink) -> None:
    counter = card_counter(client, 60_000, CardRead(ReadResult.FALLBACK))
    counter.checkout.handle(ChooseInstallment(3))
    assert counter.run() is CardState.CHIP_FALLBACK
    swipe = CardRead(ReadResult.READ, entry_mode="S", track2=f"{PAN}=3012", brand="VISA")
    assert counter.reader is not None
    counter.reader.queued.append(swipe)
    assert counter.checkout.handle(Retry()) is CardState.WAITING_FOR_CARD  # no second choice
    assert counter.checkout.months == 3
    assert counter.run() is CardState.SIGNATURE
    counter.checkout.handle(Signed(INK))
    assert counter.run() is CardState.DONE
    assert (link.sent[-1].klass, link.sent[-1].installment) == ("MS", 3)


def test_a_read_that_timed_out_is_retried_with_the_installment_kept(client: VanClient) -> None:
    counter = card_counter(client, 60_000, CardRead(ReadResult.TIMED_OUT))
    counter.checkout.handle(ChooseInstallment(6))
    assert counter.run() is CardState.FAILED
    assert counter.checkout.read_result is ReadResult.TIMED_OUT
    assert counter.checkout.handle(Retry()) is CardState.WAITING_FOR_CARD
    assert counter.checkout.months == 6


def test_declined_shows_the_host_message_and_a_retry_chooses_the_installment_again(
        client: VanClient) -> None:
    counter = card_counter(client, 60_000, chip(BROKE))
    counter.checkout.handle(ChooseInstallment(3))
    counter.run()
    counter.checkout.handle(Signed(INK))
    assert counter.run() is CardState.DECLINED
    assert "잔액부족" in counter.checkout.message and counter.recorded == []
    assert counter.checkout.handle(Retry()) is CardState.CHOOSING_INSTALLMENT
    counter.checkout.handle(ChooseInstallment(0))
    assert counter.reader is not None
    counter.reader.queued.append(chip())  # another card
    counter.run()
    counter.checkout.handle(Signed(INK))
    assert counter.run() is CardState.DONE and counter.checkout.result.installment == 0


def test_under_fifty_thousand_a_retry_after_a_decline_goes_straight_to_the_card(
        client: VanClient) -> None:
    counter = card_counter(client, 9_000, chip(BROKE))
    assert counter.run() is CardState.DECLINED
    assert counter.checkout.handle(Retry()) is CardState.WAITING_FOR_CARD
    assert counter.checkout.months == 0


def test_changing_the_installment_during_a_read_drops_the_card_read_too_late(
        client: VanClient, link: ScriptedLink) -> None:
    checkout = CardCheckout(60_000, reversal_pending=client.reversal_owed)
    checkout.handle(Open())
    checkout.handle(ChooseInstallment(0))
    checkout.handle(ReadStarted())
    assert checkout.handle(ChangeInstallment()) is CardState.RECHOOSING  # the read is cancelled
    assert checkout.handle(CardInserted(chip())) is CardState.CHOOSING_INSTALLMENT
    assert checkout.card is None and not checkout.reading
    checkout.handle(ChooseInstallment(6))
    assert checkout.months == 6 and checkout.state is CardState.WAITING_FOR_CARD


def test_a_pending_network_cancel_blocks_a_new_card_payment_until_it_is_done(
        client: VanClient, link: ScriptedLink) -> None:
    link.script = ["lost"] * 4  # the approval's answer and the three in-line 0440s are lost
    counter = card_counter(client, 12_000, chip())
    assert counter.run() is CardState.REVERSAL_PENDING
    assert "망취소 대기" in counter.checkout.message and counter.recorded == []
    # the next sale's card payment stops before any card is read
    blocked = card_counter(client, 8_000, chip())
    assert blocked.checkout.state is CardState.REVERSAL_PENDING
    assert blocked.run() is CardState.REVERSAL_PENDING
    assert blocked.reader is not None and blocked.reader.reads == 0
    assert not blocked.checkout.accepts(ReadStarted())
    client.resume_pending()  # the host is back: the 0440 goes through
    assert not client.reversal_owed()
    assert blocked.checkout.handle(Retry()) is CardState.WAITING_FOR_CARD
    assert blocked.run() is CardState.DONE


def test_no_answer_with_the_network_cancel_done_is_a_decline_and_cards_go_on(
        client: VanClient, link: ScriptedLink) -> None:
    link.script = ["lost"]  # the answer is lost; the in-line 0440 is answered
    counter = card_counter(client, 12_000, chip())
    assert counter.run() is CardState.DECLINED
    assert "망취소 완료" in counter.checkout.message
    assert card_counter(client, 12_000, chip()).run() is CardState.DONE


def test_an_error_while_approving_is_shown_and_retried_with_the_installment(
        client: VanClient) -> None:
    checkout = CardCheckout(60_000, reversal_pending=lambda: False)
    checkout.handle(Open())
    checkout.handle(ChooseInstallment(3))
    checkout.handle(ReadStarted())
    checkout.handle(CardInserted(chip()))
    checkout.handle(Signed(INK))
    checkout.take_request()
    assert checkout.handle(Failed("디스크 가득 참 (disk full)")) is CardState.FAILED
    assert checkout.message == "디스크 가득 참 (disk full)"
    assert checkout.handle(Retry()) is CardState.WAITING_FOR_CARD and checkout.months == 3


def test_without_a_reader_the_card_payment_cannot_start() -> None:
    checkout = CardCheckout(5_000, reversal_pending=lambda: False, has_reader=False)
    assert checkout.handle(Open()) is CardState.NO_READER
    assert not checkout.accepts(Retry()) and checkout.accepts(Cancel())


@pytest.mark.parametrize(("state_events", "refused"), [
    ((), Answered(TenderResult(True, Method.CARD, 12_000))),
    ((Open(),), CardInserted(chip())),  # no read was started
    ((Open(),), ChangeInstallment()),  # 12,000원: no 할부 to change
    ((Open(), ReadStarted()), ReadStarted()),  # one read at a time
    ((Open(), ReadStarted(), CardInserted(chip())), Cancel()),  # on the wire: no taking back
    ((Open(), Cancel()), CardInserted(chip())),  # a read ending after 다른 결제수단
])
def test_events_a_state_does_not_take_are_refused_and_change_nothing(
        state_events: tuple[Any, ...], refused: Any) -> None:
    checkout = CardCheckout(12_000, reversal_pending=lambda: False)
    for event in state_events:
        checkout.handle(event)
    before = (checkout.state, checkout.reading, checkout.months)
    assert not checkout.accepts(refused)
    with pytest.raises(CheckoutRefused, match=checkout.state.name):
        checkout.handle(refused)
    assert (checkout.state, checkout.reading, checkout.months) == before


@pytest.mark.parametrize("months", [1, 13, -2])
def test_only_lump_sum_or_two_to_twelve_months_can_be_chosen(months: int) -> None:
    checkout = CardCheckout(60_000, reversal_pending=lambda: False)
    checkout.handle(Open())
    with pytest.raises(CheckoutRefused, match="할부"):
        checkout.handle(ChooseInstallment(months))
    assert checkout.state is CardState.CHOOSING_INSTALLMENT


# --- easy pay -----------------------------------------------------------------------------------


def easypay(client: VanClient, amount: int = 9_000) -> Counter:
    return Counter(EasyPayCheckout(amount, reversal_pending=client.reversal_owed), client)


def test_a_code_that_names_its_wallet_is_approved_at_once(client: VanClient,
                                                          link: ScriptedLink) -> None:
    counter = easypay(client)
    counter.checkout.handle(Scanned(KAKAO))
    assert counter.checkout.state is EasyPayState.APPROVING
    assert counter.run() is EasyPayState.DONE
    assert counter.checkout.result.wallet == "KAKA" and link.sent[-1].klass == "EP"
    assert counter.checkout.code == ""  # a code is good for one request


def test_a_product_barcode_is_not_taken_as_a_payment_code(client: VanClient) -> None:
    counter = easypay(client)
    assert counter.checkout.handle(Scanned("8801234567893")) is EasyPayState.WAITING_FOR_CODE
    assert counter.checkout.notice is Notice.NOT_A_PAYMENT_CODE and counter.sent == []


def test_a_code_without_a_known_wallet_waits_for_the_cashier_to_pick_one(
        client: VanClient, link: ScriptedLink) -> None:
    counter = easypay(client)
    assert counter.checkout.handle(Scanned(NAMELESS)) is EasyPayState.CHOOSING_WALLET
    assert counter.checkout.handle(Pay(None)) is EasyPayState.CHOOSING_WALLET
    assert counter.checkout.notice is Notice.PICK_WALLET
    counter.checkout.handle(Pay("NAVR"))
    counter.run()
    assert counter.sent[0].wallet == "NAVR" and counter.sent[0].code == NAMELESS


def test_a_declined_easy_pay_takes_a_new_scan(client: VanClient, link: ScriptedLink) -> None:
    counter = easypay(client)
    link.script = ["lost"]  # no answer; the 0440 is answered: not paid, nothing owed
    counter.checkout.handle(Scanned(KAKAO))
    assert counter.run() is EasyPayState.DECLINED and "망취소 완료" in counter.checkout.message
    assert not counter.checkout.accepts(Pay("KAKA"))  # the code was used: scan again
    counter.checkout.handle(Scanned(KAKAO[:-1] + "3"))  # the customer's app shows a new one
    assert counter.run() is EasyPayState.DONE


def test_a_pending_network_cancel_holds_the_easy_pay_code_until_it_is_done(
        client: VanClient, link: ScriptedLink) -> None:
    owed = {"now": True}
    checkout = EasyPayCheckout(9_000, reversal_pending=lambda: owed["now"])
    assert checkout.handle(Scanned(NAMELESS)) is EasyPayState.CHOOSING_WALLET
    assert checkout.handle(Pay("TOSS")) is EasyPayState.REVERSAL_PENDING
    assert not checkout.accepts(Answered(TenderResult(True, Method.EASYPAY, 9_000)))
    owed["now"] = False
    assert checkout.handle(Pay("TOSS")) is EasyPayState.APPROVING  # the same code goes out
    assert checkout.take_request().code == NAMELESS


def test_nothing_is_scanned_or_cancelled_while_an_easy_pay_is_on_the_wire(
        client: VanClient) -> None:
    checkout = EasyPayCheckout(9_000, reversal_pending=lambda: False)
    checkout.handle(Scanned(KAKAO))
    for event in (Scanned(KAKAO), Cancel(), Pay("KAKA")):
        with pytest.raises(CheckoutRefused, match="APPROVING"):
            checkout.handle(event)
    assert checkout.handle(Failed("VAN 연결 실패")) is EasyPayState.FAILED
    assert checkout.accepts(Scanned(KAKAO)) and checkout.accepts(Cancel())
