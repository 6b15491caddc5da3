"""VanClient against the host's rules through a fake VanLink, on a real temp database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from kspos.ports import CardRead, ReadResult, Signature
from kspos.van.client import VanClient, VanInputError, VanReversalPending
from kspos.van.store import INTENT, PENDING, REVERSED, VanReversal, VanSerialCounter
from tests.unit.van.van_fakes import TID, ScriptedLink

PAN = "4111111111111111"
KEYED = f"{PAN}=3012"
INK = Signature(b"\x01" * Signature.SIZE)


def rows(db: Any) -> list[VanReversal]:
    from sqlmodel import select

    with db.session() as session:
        return list(session.exec(select(VanReversal)))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- approvals and serials --------------------------------------------------------------------


def test_a_keyed_approval_comes_back_with_what_the_receipt_needs(client: VanClient,
                                                                 link: ScriptedLink) -> None:
    result = client.approve_card(12_000, keyed=KEYED, pos_ref="20250615-0001")
    assert result.approved and (result.status, result.code) == ("O", "0000")
    assert result.type == "0210" and result.klass == "KI"
    assert result.serial == "250615000001"
    assert len(result.approval_no) == 8 and result.approval_date == "250615"
    assert result.approved_at == "250615123045"
    assert (result.masked_pan, result.bin, result.brand) == ("411111******1111", "411111", "VISA")
    assert (result.issuer, result.acquirer, result.card_type) == ("VISA", "VISA", "C")
    assert len(result.merchant_no) == 15 and len(result.van_txn_id) == 20
    sent = link.sent[0]
    assert (sent.klass, sent.entry_mode, sent.track2, sent.signature) == ("KI", "K", KEYED, None)
    assert (sent.total, sent.supply, sent.vat, sent.pos_ref) == (12_000, 10_909, 1_091,
                                                                 "20250615-0001")
    assert sent.sw_model.startswith("KSPOS#")
    assert rows(client.journal.db) == []  # a valid answer clears the journal


def test_serials_count_up_per_tid_and_survive_a_restart(
        make_client: Callable[..., VanClient]) -> None:
    first = make_client()
    assert first.network_test().serial == "250615000001"
    assert first.network_test().serial == "250615000002"
    assert make_client(tid="OTHERTID01").network_test().serial == "250615000001"
    assert make_client().network_test().serial == "250615000003"  # a new client, same file


def test_a_chip_read_is_class_ic_and_a_swipe_ms(client: VanClient, link: ScriptedLink) -> None:
    chip = CardRead(ReadResult.READ, entry_mode="I", track2=f"{PAN}=3012101", reader="KIS-1")
    swipe = CardRead(ReadResult.READ, entry_mode="S", track2=f"{PAN}=3012")
    assert client.approve_card(1_000, card=chip).klass == "IC"
    assert client.approve_card(1_000, card=swipe).klass == "MS"
    assert [(r.klass, r.entry_mode, r.reader_model) for r in link.sent] == \
        [("IC", "I", "KIS-1"), ("MS", "S", "")]


def test_a_signature_travels_only_above_50000(client: VanClient, link: ScriptedLink) -> None:
    client.approve_card(50_000, keyed=KEYED, signature=INK)
    client.approve_card(50_001, keyed=KEYED, signature=INK)
    assert [r.signature is not None for r in link.sent] == [False, True]
    assert link.sent[1].signature == INK.bitmap


def test_declines_are_answers_too(client: VanClient) -> None:
    result = client.approve_card(10_000, keyed="4000000000000002=3012")
    assert (result.status, result.code, result.message) == ("X", "7001", "한도초과")
    assert not result.approved and result.answered and result.network_cancel is None
    assert result.masked_pan == "400000******0002"


def test_the_json_has_the_contract_fields(client: VanClient) -> None:
    data = client.approve_card(10_000, keyed=KEYED).to_json()
    for name in ("type", "status", "code", "message", "approval_no", "approval_date",
                 "approved_at", "serial", "masked_pan", "issuer_code", "issuer",
                 "acquirer_code", "acquirer", "merchant_no", "van_txn_id", "network_cancel"):
        assert name in data
    assert data["network_cancel"] is None
    assert PAN not in repr(data)


# --- the journal: written before sending, no card data -----------------------------------------


def test_the_intent_is_committed_before_the_first_byte_and_holds_no_card_data(
        client: VanClient, link: ScriptedLink, db: Any) -> None:
    seen: list[dict[str, Any]] = []

    def inspect(_frame: bytes) -> None:
        # a separate connection: only committed rows are visible
        with db.engine.connect() as conn:
            seen.extend(dict(r._mapping) for r in conn.execute(text("SELECT * FROM van_reversal")))

    link.on_send = inspect
    client.approve_card(60_000, keyed=KEYED, installment=3, signature=INK, pos_ref="R-9")
    assert len(seen) == 1
    row = seen[0]
    assert (row["state"], row["serial"], row["klass"], row["orig_type"], row["tid"]) == \
        (INTENT, "250615000001", "KI", "0200", TID)
    assert (row["total"], row["supply"], row["vat"], row["installment"], row["pos_ref"]) == \
        (60_000, 54_545, 5_455, 3, "R-9")
    assert all(PAN not in str(value) and "3012" not in str(value) for value in row.values()
               if value is not None and not isinstance(value, int | float))


@pytest.mark.parametrize("failure", ["lost", "garble", "echo"])
def test_no_valid_answer_sends_0440_with_the_same_serial_and_amounts(
        client: VanClient, link: ScriptedLink, failure: str) -> None:
    link.script = [failure]
    recorded: list[object] = []
    result = client.approve_card(60_000, keyed=KEYED, signature=INK, installment=2,
                                 on_response=lambda s, r: recorded.append(r))
    assert not result.approved and result.type is None and result.status == "F"
    assert result.network_cancel is not None
    assert (result.network_cancel.serial, result.network_cancel.status) == \
        ("250615000001", "done")
    assert recorded == []  # nothing to record: no valid answer
    original, reversal = link.sent
    assert reversal.type == "0440"
    for name in ("klass", "mode", "tid", "company", "serial", "installment", "total",
                 "service", "vat", "supply", "tax_free", "orig_approval_no",
                 "orig_approval_date"):
        assert getattr(reversal, name) == getattr(original, name), name
    assert (reversal.entry_mode, reversal.track2, reversal.signature) == ("", "", None)
    txn = link.host.transaction(TID, original.serial)
    assert txn is not None and txn.reversed  # the host approved it, and it was undone
    [entry] = rows(client.journal.db)
    assert (entry.state, entry.result_message) == (REVERSED, "망취소완료")


def test_a_connection_that_never_opened_owes_nothing(client: VanClient,
                                                     link: ScriptedLink) -> None:
    link.script = ["refused"]
    result = client.approve_card(10_000, keyed=KEYED)
    assert (result.status, result.sent, result.network_cancel) == ("F", False, None)
    assert "refused" in result.message
    assert link.sent == [] and rows(client.journal.db) == []


def test_a_pending_reversal_blocks_card_and_easy_pay_but_not_cash(
        client: VanClient, link: ScriptedLink) -> None:
    link.script = ["lost"] * 4  # the approval and the three in-line 0440s
    result = client.approve_card(10_000, keyed=KEYED)
    assert result.network_cancel is not None and result.network_cancel.status == "pending"
    assert [p.serial for p in client.pending_reversals()] == ["250615000001"]
    link.script = ["lost"]  # the host is still away: the retry before the sale fails
    with pytest.raises(VanReversalPending, match="망취소"):
        client.approve_card(5_000, keyed=KEYED)
    link.script = ["lost"]
    with pytest.raises(VanReversalPending):
        client.approve_easy_pay(5_000, code="2810061111222233")
    assert client.approve_cash_receipt(5_000).approved  # cash sales go on
    assert client.network_test().approved
    # the host is back: the next card sale first finishes the 망취소
    assert client.approve_card(5_000, keyed=KEYED).approved
    assert client.pending_reversals() == []
    txn = link.host.transaction(TID, "250615000001")
    assert txn is not None and txn.reversed


def test_resume_pending_respects_backoff_unless_forced(make_client: Callable[..., VanClient],
                                                       link: ScriptedLink) -> None:
    from kspos.van.client import ReversalPolicy

    client = make_client(policy=ReversalPolicy(immediate=(0.0,), base_s=3600.0))
    link.script = ["lost", "lost"]
    client.approve_card(10_000, keyed=KEYED)
    assert client.resume_pending(force=False) == []  # not due for an hour
    [outcome] = client.resume_pending(force=True)
    # the lost 0440 had reached the host: this one finds nothing left to reverse
    assert outcome.done and outcome.message == "원거래없음"
    [entry] = rows(client.journal.db)
    assert entry.attempts == 2 and entry.state == REVERSED


def test_an_interrupted_exchange_is_reversed_after_restart(
        make_client: Callable[..., VanClient], link: ScriptedLink, db: Any) -> None:
    class Crash(BaseException):
        pass

    def crash(_frame: bytes) -> None:
        link.host.handle(_frame)  # the host approves...
        raise Crash  # ...and the POS dies before the answer arrives

    link.on_send = crash
    with pytest.raises(Crash):
        make_client().approve_card(10_000, keyed=KEYED)
    link.on_send = None
    [entry] = rows(db)
    assert entry.state == INTENT
    with db.session() as session:  # the process that wrote it is gone
        session.get(VanReversal, entry.id).owner_pid = dead_pid()  # type: ignore[union-attr]
    restarted = make_client()
    assert [p.serial for p in restarted.pending_reversals()] == ["250615000001"]
    [outcome] = restarted.resume_pending()
    assert outcome.done and outcome.message == "망취소완료"
    txn = link.host.transaction(TID, "250615000001")
    assert txn is not None and txn.reversed


def test_a_live_exchange_of_another_process_is_left_alone_until_its_deadline(
        client: VanClient, link: ScriptedLink, db: Any) -> None:
    link.script = ["refused"]
    client.approve_card(10_000, keyed=KEYED)  # nothing journaled; now fake an in-flight one
    from kspos.van.telegram import Request

    draft = Request(klass="IC", type="0200", tid=TID, serial="", total=1_000, supply=909,
                    vat=91)
    _request, entry_id = client.journal.begin(draft, journal=True, deadline_s=60)
    assert client.pending_reversals() == []  # our pid is alive and the deadline is ahead
    with db.session() as session:
        session.get(VanReversal, entry_id).deadline = 0.0  # type: ignore[union-attr]
    assert len(client.pending_reversals()) == 1


# --- recording atomically ---------------------------------------------------------------------


def test_on_response_runs_in_the_transaction_that_clears_the_journal(
        client: VanClient, db: Any) -> None:
    def record(session: Any, result: Any) -> None:
        assert result.approved
        assert session.get(VanReversal, 1) is None  # already deleted in this transaction
        session.add(VanSerialCounter(tid="RECORDED01", day="250615", last_seq=1))

    client.approve_card(10_000, keyed=KEYED, on_response=record)
    with db.session() as session:
        assert session.get(VanSerialCounter, ("RECORDED01", "250615")) is not None
    assert rows(db) == []


def test_if_recording_fails_the_approval_is_reversed_and_nothing_is_half_written(
        client: VanClient, link: ScriptedLink, db: Any) -> None:
    def record(session: Any, result: Any) -> None:
        session.add(VanSerialCounter(tid="RECORDED01", day="250615", last_seq=1))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        client.approve_card(10_000, keyed=KEYED, on_response=record)
    with db.session() as session:
        assert session.get(VanSerialCounter, ("RECORDED01", "250615")) is None
    [entry] = rows(db)
    assert entry.state == REVERSED
    txn = link.host.transaction(TID, entry.serial)
    assert txn is not None and txn.reversed


# --- 8003 ---------------------------------------------------------------------------------------


def test_a_duplicate_serial_is_retried_once_with_the_next(client: VanClient,
                                                          link: ScriptedLink) -> None:
    # another terminal (or a wiped database) already used today's first serial at the host
    from kspos.van.telegram import Request, encode_request

    link.host.handle(encode_request(Request(klass="NT", type="0800", tid=TID,
                                            serial="250615000001")))
    result = client.approve_card(10_000, keyed=KEYED)
    assert result.approved and result.serial == "250615000002"
    assert [r.serial for r in link.sent] == ["250615000001", "250615000002"]
    assert rows(client.journal.db) == []


def test_a_second_duplicate_is_reported(client: VanClient, link: ScriptedLink) -> None:
    from kspos.van.telegram import Request, encode_request

    for n in (1, 2):
        link.host.handle(encode_request(Request(klass="NT", type="0800", tid=TID,
                                                serial=f"25061500000{n}")))
    result = client.approve_card(10_000, keyed=KEYED)
    assert (result.status, result.code, result.message) == ("F", "8003", "일련번호중복")
    assert len(link.sent) == 2 and rows(client.journal.db) == []


# --- cancels ------------------------------------------------------------------------------------


def test_cancel_and_partial_cancel_recompute_the_vat_split(client: VanClient,
                                                           link: ScriptedLink) -> None:
    approval = client.approve_card(33_000, keyed=KEYED, tax_free=0)
    partial = client.cancel_card(approval_no=approval.approval_no,
                                 approval_date=approval.approval_date, amount=11_000,
                                 partial=True, klass="KI")
    assert partial.approved and partial.type == "7430"
    sent = link.sent[-1]
    assert (sent.type, sent.total, sent.supply, sent.vat) == ("7420", 11_000, 10_000, 1_000)
    assert (sent.entry_mode, sent.track2) == ("", "")
    assert (sent.orig_approval_no, sent.orig_approval_date) == \
        (approval.approval_no, approval.approval_date)
    rest = client.cancel_card(approval_no=approval.approval_no,
                              approval_date=approval.approval_date, amount=22_000)
    assert rest.approved and rest.type == "0430"
    again = client.cancel_card(approval_no=approval.approval_no,
                               approval_date=approval.approval_date, amount=22_000)
    assert (again.status, again.code) == ("X", "7102")


def test_a_lost_cancel_answer_is_undone_by_0440(client: VanClient, link: ScriptedLink) -> None:
    approval = client.approve_card(20_000, keyed=KEYED)
    link.script = ["lost"]
    result = client.cancel_card(approval_no=approval.approval_no,
                                approval_date=approval.approval_date, amount=20_000)
    assert result.network_cancel is not None and result.network_cancel.status == "done"
    reversal = link.sent[-1]
    assert (reversal.type, reversal.orig_approval_no) == ("0440", approval.approval_no)
    # the cancel was undone: the approval can be cancelled again
    assert client.cancel_card(approval_no=approval.approval_no,
                              approval_date=approval.approval_date, amount=20_000).approved


# --- cash receipts and easy pay -----------------------------------------------------------------


def test_cash_receipts(client: VanClient, link: ScriptedLink) -> None:
    mine = client.approve_cash_receipt(10_000, identity="010-1234-5678", purpose="expense")
    assert mine.approved and len(mine.approval_no) == 9
    assert mine.masked_identity == "010****5678"
    assert (link.sent[-1].track2, link.sent[-1].installment) == ("01012345678", 1)
    self_issued = client.approve_cash_receipt(10_000)
    assert self_issued.approved
    assert (link.sent[-1].track2, link.sent[-1].installment) == ("0100001234", 0)
    business = client.approve_cash_receipt(10_000, identity="220-81-62517", purpose="01")
    assert business.approved
    cancel = client.cancel_cash_receipt(approval_no=mine.approval_no,
                                        approval_date=mine.approval_date, amount=10_000,
                                        identity="01012345678", purpose="01")
    assert cancel.approved and link.sent[-1].track2 == "01012345678"


def test_easy_pay_detects_the_wallet(client: VanClient, link: ScriptedLink) -> None:
    result = client.approve_easy_pay(7_000, code="2810061234567890")
    assert result.approved and result.wallet == "KAKA"
    sent = link.sent[-1]
    assert (sent.klass, sent.entry_mode, sent.company) == ("EP", "B", "KAKA")
    again = client.approve_easy_pay(7_000, code="2810061234567890")
    assert (again.status, again.code) == ("X", "8101")
    cancel = client.cancel_easy_pay(approval_no=result.approval_no,
                                    approval_date=result.approval_date, amount=2_000,
                                    wallet="KAKA", partial=True)
    assert cancel.approved and link.sent[-1].track2 == ""
    manual = client.approve_easy_pay(7_000, code="ABCDEF123", wallet="toss")
    assert manual.approved and manual.wallet == "TOSS"


# --- input that is refused before anything is written or sent ---------------------------------


@pytest.mark.parametrize(("call", "words"), [
    (lambda c: c.approve_card(10_000, keyed="4111111111111111"), "PAN=YYMM"),
    (lambda c: c.approve_card(10_000, keyed="4111=3012"), "PAN=YYMM"),
    (lambda c: c.approve_card(10_000, keyed="4111111111111111=3013"), "PAN=YYMM"),
    (lambda c: c.approve_card(0, keyed=KEYED), "amount"),
    (lambda c: c.approve_card(10_000, keyed=KEYED, installment=1), "할부"),
    (lambda c: c.approve_card(60_000, keyed=KEYED, installment=13, signature=INK), "할부"),
    (lambda c: c.approve_card(49_000, keyed=KEYED, installment=3), "50,000"),
    (lambda c: c.approve_card(60_000, keyed=KEYED), "signature"),
    (lambda c: c.approve_card(60_000, keyed=KEYED,
                              signature=Signature(bytes(Signature.SIZE))), "signature"),
    (lambda c: c.approve_card(10_000), "either"),
    (lambda c: c.approve_card(10_000, card=CardRead(ReadResult.TIMED_OUT)), "not read"),
    (lambda c: c.approve_card(10_000, keyed=KEYED, tax_free=20_000), "exceed"),
    (lambda c: c.approve_cash_receipt(10_000, identity="123-45-67890"), "identity"),
    (lambda c: c.approve_cash_receipt(10_000, purpose="02"), "purpose"),
    (lambda c: c.approve_cash_receipt(10_000, purpose="01"), "자진발급"),
    (lambda c: c.approve_easy_pay(10_000, code="ABCDEF"), "wallet"),
    (lambda c: c.approve_easy_pay(10_000, code="ABC", wallet="XXXX"), "wallet"),
    (lambda c: c.approve_easy_pay(10_000, code=""), "payment code"),
    (lambda c: c.cancel_card(approval_no="", approval_date="250615", amount=1), "approval"),
    (lambda c: c.cancel_card(approval_no="1", approval_date="251340", amount=1), "YYMMDD"),
    (lambda c: c.cancel_card(approval_no="1", approval_date="250615", amount=1, klass="HK"),
     "class"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_sent(
        client: VanClient, link: ScriptedLink, call: Callable[[VanClient], object],
        words: str) -> None:
    with pytest.raises(VanInputError, match=words):
        call(client)
    assert link.sent == [] and rows(client.journal.db) == []


def test_a_bad_tid_is_refused(make_client: Callable[..., VanClient]) -> None:
    with pytest.raises(VanInputError, match="TID"):
        make_client(tid="SHORT")


def test_pending_states_are_listed_oldest_first(client: VanClient, link: ScriptedLink) -> None:
    link.script = ["lost"] * 4
    client.approve_cash_receipt(1_000)
    link.script = ["lost"] * 4
    client.approve_cash_receipt(2_000)
    pending = client.pending_reversals()
    assert [(p.total, p.klass) for p in pending] == [(1_000, "HK"), (2_000, "HK")]
    assert all(p.state == PENDING for p in pending)
