"""Every flow and every fault over real loopback TCP against the host simulator.

Each transaction ends either completed (approved at the host, recorded, journal cleared) or
network-cancelled (reversed at the host, journal entry reversed): never both, never neither.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest

from kspos.devices.specs import parse_spec
from kspos.ports import CardRead, ReadResult, Signature, VanConnectError, VanNoAnswer
from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.link import EmbeddedVanLink, TcpVanLink, build_van_link
from kspos.van.result import VanResult
from kspos.van.simulator import Fault, SimulatorThread
from kspos.van.store import REVERSED, VanReversal
from kspos.van.telegram import Request, decode_response, encode_request
from tests.integration.van.conftest import TID

KEYED = "4111111111111111=3012"
INK = Signature(b"\x80" * Signature.SIZE)


def journal(db: Any) -> list[VanReversal]:
    from sqlmodel import select

    with db.session() as session:
        return list(session.exec(select(VanReversal)))


def assert_settled(result: VanResult, sim: SimulatorThread, db: Any,
                   recorded: list[VanResult]) -> None:
    """Completed or network-cancelled: never both, never neither."""
    txn = sim.sim.state.transaction(TID, result.serial)
    entry = next((e for e in journal(db) if e.serial == result.serial), None)
    if result.approved:
        assert txn is not None and not txn.reversed
        assert entry is None and result in recorded
    else:
        assert result.network_cancel is not None and result.network_cancel.status == "done"
        assert txn is None or txn.reversed
        assert entry is not None and entry.state == REVERSED
        assert result not in recorded


# --- every flow -------------------------------------------------------------------------------


def test_network_test(client: VanClient) -> None:
    result = client.network_test()
    assert (result.type, result.status, result.code, result.message) == \
        ("0810", "O", "0000", "망점검정상")


def test_card_flows_end_to_end(client: VanClient, sim: SimulatorThread, db: Any) -> None:
    recorded: list[VanResult] = []

    def keep(_session: Any, result: VanResult) -> None:
        recorded.append(result)

    chip = CardRead(ReadResult.READ, entry_mode="I", track2="9410123456789010=3012",
                    reader="KIS-1")
    approval = client.approve_card(70_000, card=chip, installment=3, signature=INK,
                                   on_response=keep)
    assert approval.approved and approval.klass == "IC" and approval.issuer == "BC카드"
    assert_settled(approval, sim, db, recorded)
    partial = client.cancel_card(approval_no=approval.approval_no,
                                 approval_date=approval.approval_date, amount=20_000,
                                 partial=True, installment=3, on_response=keep)
    assert partial.approved and partial.type == "7430"
    over = client.cancel_card(approval_no=approval.approval_no,
                              approval_date=approval.approval_date, amount=60_000,
                              partial=True)
    assert (over.status, over.code, over.message) == ("X", "7103", "취소금액초과")
    rest = client.cancel_card(approval_no=approval.approval_no,
                              approval_date=approval.approval_date, amount=50_000,
                              klass="MS", on_response=keep)
    assert rest.approved and rest.type == "0430"
    declined = client.approve_card(10_000, keyed="4000000000009987=3012", on_response=keep)
    assert (declined.status, declined.code, declined.message) == ("X", "7004", "분실도난카드")
    assert declined in recorded and journal(db) == []


def test_cash_receipt_and_easy_pay_end_to_end(client: VanClient) -> None:
    receipt = client.approve_cash_receipt(120_000, identity="01098765432", purpose="01")
    assert receipt.approved and len(receipt.approval_no) == 9
    cancel = client.cancel_cash_receipt(approval_no=receipt.approval_no,
                                        approval_date=receipt.approval_date, amount=120_000,
                                        identity="01098765432", purpose="01")
    assert cancel.approved and cancel.type == "0430"
    pay = client.approve_easy_pay(9_000, code="134567890123456789")
    assert pay.approved and pay.wallet == "WCHT"
    part = client.cancel_easy_pay(approval_no=pay.approval_no, approval_date=pay.approval_date,
                                  amount=4_000, wallet="WCHT", partial=True)
    assert part.approved
    expired = client.approve_easy_pay(9_000, code="281006000000000000")
    assert (expired.status, expired.code) == ("X", "8101")


# --- every fault ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [Fault("timeout"), Fault("drop"), Fault("garble"),
                                   Fault("slow", 800)])
def test_a_fault_ends_in_a_completed_network_cancel(
        client: VanClient, sim: SimulatorThread, db: Any, fault: Fault) -> None:
    recorded: list[VanResult] = []
    sim.sim.fault = fault  # every answer fails, the 0440s' too
    result = client.approve_card(30_000, keyed=KEYED,
                                 on_response=lambda s, r: recorded.append(r))
    assert not result.approved and result.type is None
    assert result.network_cancel is not None and result.network_cancel.status == "pending"
    txn = sim.sim.state.transaction(TID, result.serial)
    assert txn is not None  # the host did approve it: the answer is what got lost
    sim.sim.fault = Fault()  # the network heals
    [outcome] = client.resume_pending()
    assert outcome.done and outcome.serial == result.serial
    assert txn.reversed
    done = replace_status(result)
    assert_settled(done, sim, db, recorded)


def replace_status(result: VanResult) -> VanResult:
    from dataclasses import replace

    from kspos.van.result import NetworkCancel

    assert result.network_cancel is not None
    return replace(result, network_cancel=NetworkCancel(result.network_cancel.serial, "done"))


def test_a_slow_answer_within_the_timeout_is_an_answer(client: VanClient,
                                                       sim: SimulatorThread) -> None:
    sim.sim.fault = Fault("slow", 50)
    assert client.approve_card(10_000, keyed=KEYED).approved


def test_with_half_the_exchanges_failing_every_sale_still_settles(
        make_client: Callable[..., VanClient], sim: SimulatorThread, db: Any) -> None:
    client = make_client(policy=ReversalPolicy(immediate=(0.0, 0.0), base_s=0.0))
    recorded: list[VanResult] = []
    results = []
    for fault in ("timeout", "drop", "garble"):
        sim.sim.fault, sim.sim.fault_rate = Fault(fault), 0.5
        for _ in range(6):
            try:
                results.append(client.approve_card(
                    10_000, keyed=KEYED, on_response=lambda s, r: recorded.append(r)))
            except Exception as exc:  # a pending 망취소 refuses the sale; nothing is sent
                assert type(exc).__name__ == "VanReversalPending"
    sim.sim.fault = Fault()
    client.resume_pending()
    assert client.pending_reversals() == []
    outcomes = {"approved": 0, "reversed": 0}
    for result in results:
        if result.network_cancel is not None:
            result = replace_status(result)
        assert_settled(result, sim, db, recorded)
        outcomes["approved" if result.approved else "reversed"] += 1
    assert outcomes["approved"] and outcomes["reversed"]
    live = {t.serial for t in sim.sim.state.live_approvals()}
    assert live == {r.serial for r in results if r.approved}


def test_an_unreadable_frame_gets_no_answer(sim: SimulatorThread) -> None:
    link = TcpVanLink("127.0.0.1", sim.port)
    with pytest.raises(VanNoAnswer, match="closed"):
        link.exchange(b"0005\x02HELLO", connect_timeout_s=1, response_timeout_s=1)
    frame = encode_request(Request(klass="IC", type="0200", tid=TID, serial="250101000001"))
    with pytest.raises(VanNoAnswer, match="closed"):
        link.exchange(frame[:-1] + b"\n", connect_timeout_s=1, response_timeout_s=1)


def test_a_readable_bad_frame_gets_f_8001(sim: SimulatorThread) -> None:
    link = TcpVanLink("127.0.0.1", sim.port)
    frame = encode_request(Request(klass="IC", type="0200", tid=TID, serial="250101000009",
                                   total=100, supply=1))
    answer = decode_response(link.exchange(frame, connect_timeout_s=1, response_timeout_s=1))
    assert (answer.status, answer.code, answer.serial) == ("F", "8001", "250101000009")


def test_nothing_listening_is_a_connect_error_with_nothing_sent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    link = TcpVanLink("127.0.0.1", port)
    with pytest.raises(VanConnectError) as info:
        link.exchange(b"0003\x02\x03\r", connect_timeout_s=0.5, response_timeout_s=0.5)
    assert info.value.maybe_sent is False


def test_the_host_serves_many_connections_at_once(sim: SimulatorThread) -> None:
    link = TcpVanLink("127.0.0.1", sim.port)
    answers: list[str] = []
    errors: list[BaseException] = []

    def one(n: int) -> None:
        frame = encode_request(Request(klass="NT", type="0800", tid=TID,
                                       serial=f"250101{n:06d}"))
        try:
            raw = link.exchange(frame, connect_timeout_s=2, response_timeout_s=5)
            answers.append(decode_response(raw).code)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and answers == ["0000"] * 60


def test_the_embedded_link_starts_on_first_use_and_stops_on_close(db: Any) -> None:
    link = build_van_link(parse_spec("embedded", "van"))
    assert isinstance(link, EmbeddedVanLink) and not link.running
    client = VanClient(db, link, TID, Timeouts(1.0, 2.0))
    try:
        assert client.approve_card(5_000, keyed=KEYED).approved
        assert link.running
        port = link._tcp.port if link._tcp else 0
    finally:
        link.close()
    assert not link.running
    with pytest.raises(VanConnectError):
        TcpVanLink("127.0.0.1", port).exchange(b"0003\x02\x03\r", connect_timeout_s=0.5,
                                               response_timeout_s=0.5)


def test_a_request_that_arrives_in_pieces_is_answered(sim: SimulatorThread) -> None:
    import time

    frame = encode_request(Request(klass="NT", type="0800", tid=TID, serial="250101000077"))
    with socket.create_connection(("127.0.0.1", sim.port), timeout=2) as sock:
        time.sleep(0.05)  # nothing at accept time: the host waits for it on its loop
        sock.sendall(frame[:3])
        time.sleep(0.05)
        sock.sendall(frame[3:200])
        time.sleep(0.05)
        sock.sendall(frame[200:])
        answer = b""
        while len(answer) < 368:
            chunk = sock.recv(4096)
            assert chunk, "closed before the whole answer"
            answer += chunk
    response = decode_response(answer)
    assert (response.type, response.code, response.serial) == ("0810", "0000", "250101000077")


def test_a_client_that_leaves_early_does_not_upset_the_host(sim: SimulatorThread,
                                                            client: VanClient) -> None:
    frame = encode_request(Request(klass="NT", type="0800", tid=TID, serial="250101000078"))
    for piece in (b"", b"04", frame[:100]):
        with socket.create_connection(("127.0.0.1", sim.port), timeout=2) as sock:
            sock.sendall(piece)
    assert client.network_test().approved


FLOWS: dict[str, Callable[[VanClient, SimulatorThread], VanResult]] = {
    "card cancel": lambda c, s: c.cancel_card(**_original(c, s, "card"), amount=20_000),
    "card partial cancel": lambda c, s: c.cancel_card(**_original(c, s, "card"),
                                                      amount=5_000, partial=True),
    "cash receipt": lambda c, s: c.approve_cash_receipt(20_000, identity="01055556666"),
    "cash receipt cancel": lambda c, s: c.cancel_cash_receipt(**_original(c, s, "cash"),
                                                              amount=20_000),
    "easy pay": lambda c, s: c.approve_easy_pay(20_000, code="2810069999000011"),
    "easy pay cancel": lambda c, s: c.cancel_easy_pay(**_original(c, s, "easy"),
                                                      amount=20_000, wallet="KAKA"),
    "easy pay partial cancel": lambda c, s: c.cancel_easy_pay(**_original(c, s, "easy"),
                                                              amount=1_000, wallet="KAKA",
                                                              partial=True),
}
# every flow meets a fault, every fault a few flows
FLOW_FAULTS = [(flow, (Fault("drop"), Fault("garble"), Fault("timeout"))[n % 3])
               for n, flow in enumerate(sorted(FLOWS))]


def _original(client: VanClient, sim: SimulatorThread, kind: str) -> dict[str, str]:
    """Approve an original while the network is fine; what a cancel of it needs."""
    fault, sim.sim.fault = sim.sim.fault, Fault()
    if kind == "card":
        result = client.approve_card(20_000, keyed=KEYED)
    elif kind == "cash":
        result = client.approve_cash_receipt(20_000)
    else:
        result = client.approve_easy_pay(20_000, code="2810061111000022")
    sim.sim.fault = fault
    assert result.approved
    return {"approval_no": result.approval_no, "approval_date": result.approval_date}


@pytest.mark.parametrize(("flow", "fault"), FLOW_FAULTS, ids=[f for f, _ in FLOW_FAULTS])
def test_every_flow_settles_after_a_fault(client: VanClient, sim: SimulatorThread, db: Any,
                                          flow: str, fault: Fault) -> None:
    sim.sim.fault = fault
    result = FLOWS[flow](client, sim)
    assert result.type is None and result.network_cancel is not None
    sim.sim.fault = Fault()
    client.resume_pending()
    assert client.pending_reversals() == []
    txn = sim.sim.state.transaction(TID, result.serial)
    assert txn is not None and txn.reversed  # the host had it, and it was undone
    if txn.original is not None:  # an undone cancel gives the original its amount back
        assert txn.original.remaining == txn.original.total
    assert_settled(replace_status(result), sim, db, [])
