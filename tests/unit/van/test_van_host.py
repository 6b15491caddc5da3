"""The host simulator's rules (specs/van-telegram.md §2-6), frame in, frame out, no network."""

from __future__ import annotations

import itertools
import random
from datetime import datetime

import pytest

from kspos.van.host import HostState, merchant_number
from kspos.van.telegram import Request, Response, decode_response, encode_request

NOW = datetime(2025, 6, 15, 12, 30, 45)
TID = "DPT0TEST03"
_serials = itertools.count(1)


@pytest.fixture
def host() -> HostState:
    return HostState(clock=lambda: NOW, rng=random.Random(7))


def req(klass: str = "IC", type_: str = "0200", total: int = 10_000, **changes: object) -> Request:
    vat = total - round(total / 1.1)
    fields: dict[str, object] = dict(
        klass=klass, type=type_, tid=TID, serial=f"250615{next(_serials):06d}",
        entry_mode={"IC": "I", "MS": "S", "KI": "K", "EP": "B", "HK": "K"}.get(klass, ""),
        total=total, supply=total - vat, vat=vat)
    if klass in ("IC", "MS", "KI") and type_ == "0200":
        fields["track2"] = "4111111111111111=2912"
    if klass == "EP":
        fields["company"] = "KAKA"
        if type_ == "0200":
            fields["track2"] = f"2810060000{next(_serials):08d}"
    if klass == "HK" and type_ != "0440":
        fields["track2"] = "01012345678"
    if klass == "NT":
        fields.update(total=0, supply=0, vat=0)
    fields.update(changes)
    return Request(**fields)  # type: ignore[arg-type]


def send(host: HostState, request: Request) -> Response:
    answer = host.handle(encode_request(request))
    assert answer is not None
    response = decode_response(answer)
    assert (response.klass, response.tid, response.serial) == \
        (request.klass, request.tid, request.serial)
    assert int(response.type) == int(request.type) + 10
    return response


def cancel_of(approval: Response, original: Request, total: int, partial: bool = False,
              **changes: object) -> Request:
    fields: dict[str, object] = dict(
        klass=original.klass, type_="7420" if partial else "0420", total=total,
        orig_approval_no=approval.approval_no, orig_approval_date=approval.host_time[:6],
        entry_mode="", track2="", mode=original.mode, company=original.company)
    fields.update(changes)
    return req(**fields)  # type: ignore[arg-type]


# --- card approvals and the §6 table ---------------------------------------------------------


def test_a_good_card_is_approved_with_everything_the_receipt_needs(host: HostState) -> None:
    pan = _luhn_complete("536510123456000")
    r = send(host, req(track2=f"{pan}=3012"))
    assert (r.status, r.code, r.message1) == ("O", "0000", "정상승인")
    assert len(r.approval_no) == 8 and r.approval_no.isdigit()
    assert r.host_time == "250615123045"
    assert r.card_type == "C"
    assert (r.issuer_code, r.issuer_name, r.acquirer_code, r.acquirer_name) == \
        ("25", "MASTER", "25", "MASTER")
    assert r.filler == f"536510******{pan[-4:]}"
    assert r.merchant_no == merchant_number(TID) and len(r.merchant_no) == 15
    assert len(r.van_txn_id) == 20


@pytest.mark.parametrize(("pan", "code", "message", "card_type"), [
    ("4000000000000002", "7001", "한도초과", "C"),
    ("4000000000009995", "7002", "잔액부족", "D"),
    ("4000000000000069", "7003", "유효기간경과", "C"),
    ("4000000000009987", "7004", "분실도난카드", "C"),
    ("4000000000000119", "9001", "호스트장애", "C"),
    ("4111111111111112", "7007", "카드번호오류", "C"),
])
def test_the_test_cards_get_their_answers(host: HostState, pan: str, code: str, message: str,
                                          card_type: str) -> None:
    r = send(host, req(track2=f"{pan}=3012"))
    assert (r.status, r.code, r.message1, r.card_type) == ("X", code, message, card_type)
    assert r.approval_no == ""
    assert r.filler == pan[:6] + "******" + pan[-4:]


@pytest.mark.parametrize(("bin_", "code", "name"), [
    ("9", "01", "BC카드"), ("4", "25", "VISA"), ("51", "25", "MASTER"), ("55", "25", "MASTER"),
    ("22", "25", "MASTER"), ("27", "25", "MASTER"), ("35", "25", "JCB"), ("34", "25", "AMEX"),
    ("37", "25", "AMEX"), ("6", "25", "해외카드"),
])
def test_issuer_and_acquirer_come_from_the_bin(host: HostState, bin_: str, code: str,
                                               name: str) -> None:
    pan = _luhn_complete(bin_.ljust(15, "1"))
    r = send(host, req(track2=f"{pan}=3012"))
    assert r.status == "O"
    assert (r.issuer_code, r.issuer_name, r.acquirer_code, r.acquirer_name) == \
        (code, name, code, name)


def _luhn_complete(body: str) -> str:
    from kspos.devices.cards import luhn_ok

    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def test_expiry_month_and_year(host: HostState) -> None:
    assert send(host, req(track2="4111111111111111=2506")).code == "0000"  # this month
    assert send(host, req(track2="4111111111111111=2505")).code == "7003"
    assert send(host, req(track2="4111111111111111=3013")).code == "8001"


def test_checks_run_in_the_order_of_the_spec(host: HostState) -> None:
    # Luhn before the table and expiry; the table before expiry; expiry before installment
    assert send(host, req(track2="4000000000000003=2001")).code == "7007"
    assert send(host, req(track2="4000000000000002=2001")).code == "7001"
    assert send(host, req(track2="4111111111111111=2001", installment=3)).code == "7003"
    assert send(host, req(track2="4111111111111111=2001", total=1, supply=1, vat=0,
                          installment=1)).code == "8001"


def test_installment_rules(host: HostState) -> None:
    assert send(host, req(total=50_000, installment=2)).code == "0000"
    assert send(host, req(total=49_999, installment=2)).code == "7005"
    assert send(host, req(total=60_000, installment=36)).code == "0000"
    assert send(host, req(total=60_000, installment=37)).code == "8001"
    assert send(host, req(total=60_000, installment=1)).code == "8001"


@pytest.mark.parametrize("changes", [
    {"supply": 1},  # amounts do not add up
    {"type": "0300"},  # unknown type
    {"klass": "ZZ"},  # unknown class
    {"mode": "Q"},
    {"track2": "4111111111111111"},  # no '='
    {"track2": ""},
])
def test_readable_frames_that_break_the_spec_get_f_8001(host: HostState,
                                                        changes: dict[str, object]) -> None:
    r = send(host, req(**changes))
    assert (r.status, r.code, r.message1) == ("F", "8001", "전문오류")
    assert r.approval_no == r.filler == r.merchant_no == r.issuer_code == ""


def test_a_partial_cancel_of_a_cash_receipt_is_an_unknown_pair(host: HostState) -> None:
    r = send(host, req("HK", "7420", orig_approval_no="123456789", orig_approval_date="250615"))
    assert r.code == "8001"


def test_unreadable_frames_get_no_answer(host: HostState) -> None:
    good = encode_request(req())
    assert host.handle(b"ABCD" + good[4:]) is None
    assert host.handle(good[:-1]) is None
    assert host.handle(good[:-2] + b"\x00\r") is None
    assert host.handle(b"0003\x02\x03\r") is None  # fits no layout


def test_a_field_error_is_answered_with_the_echo(host: HostState) -> None:
    frame = encode_request(req())
    broken = frame[:4 + 190] + b"0000000010X0" + frame[4 + 202:]
    answer = host.handle(broken)
    assert answer is not None
    r = decode_response(answer)
    assert (r.status, r.code, r.tid, r.type) == ("F", "8001", TID, "0210")


@pytest.mark.parametrize("tid", ["SHORT", "DPT0TEST0!", "DPT0 TEST3", "DPT0TEST0"])
def test_tids_that_are_not_10_letters_or_digits_are_unknown(host: HostState, tid: str) -> None:
    r = send(host, req(tid=tid))
    assert (r.status, r.code, r.message1) == ("F", "8002", "미등록단말기")


def test_a_serial_is_used_once_per_tid_and_day_except_by_0440(host: HostState) -> None:
    first = req()
    assert send(host, first).code == "0000"
    again = req(serial=first.serial)
    r = send(host, again)
    assert (r.status, r.code, r.message1) == ("F", "8003", "일련번호중복")
    other_tid = req(serial=first.serial, tid="OTHERTID01")
    assert send(host, other_tid).code == "0000"
    reversal = req(type_="0440", serial=first.serial, track2="", entry_mode="")
    assert send(host, reversal).message1 == "망취소완료"


def test_approval_numbers_are_unique_8_digits_for_cards_9_for_cash_receipts(
        host: HostState) -> None:
    numbers = {send(host, req()).approval_no for _ in range(50)}
    assert len(numbers) == 50 and all(len(n) == 8 for n in numbers)
    cash = {send(host, req("HK", installment=0)).approval_no for _ in range(20)}
    assert len(cash) == 20 and all(len(n) == 9 and n.isdigit() for n in cash)


def test_the_merchant_number_is_stable_per_tid() -> None:
    assert merchant_number("DPT0TEST03") == merchant_number("DPT0TEST03")
    assert merchant_number("DPT0TEST03") != merchant_number("DPT0TEST04")


# --- cancels ----------------------------------------------------------------------------------


def test_cancel_partial_cancel_and_what_remains(host: HostState) -> None:
    original = req(total=30_000)
    approval = send(host, original)
    assert approval.status == "O"
    p1 = send(host, cancel_of(approval, original, 10_000, partial=True))
    assert (p1.status, p1.code, p1.message1) == ("O", "0000", "정상승인")
    assert len(p1.approval_no) == 8 and p1.approval_no != approval.approval_no
    assert p1.filler == ""
    assert send(host, cancel_of(approval, original, 25_000, partial=True)).code == "7103"
    assert send(host, cancel_of(approval, original, 30_000)).code == "7103"  # 20,000 remain
    assert send(host, cancel_of(approval, original, 20_000)).code == "0000"
    assert send(host, cancel_of(approval, original, 20_000)).code == "7102"
    assert send(host, cancel_of(approval, original, 1, partial=True)).code == "7102"


def test_a_cancel_matches_card_classes_with_one_another_and_the_mode(host: HostState) -> None:
    original = req("IC", total=5_000)
    approval = send(host, original)
    keyed_cancel = cancel_of(approval, original, 5_000, klass="KI")
    test_cancel = cancel_of(approval, original, 5_000, mode="T")
    assert send(host, test_cancel).code == "7101"  # a T cancel finds only T originals
    assert send(host, keyed_cancel).code == "0000"


def test_a_cancel_of_an_unknown_or_reversed_original_is_7101(host: HostState) -> None:
    original = req(total=5_000)
    approval = send(host, original)
    wrong_date = cancel_of(approval, original, 5_000, orig_approval_date="250614")
    assert send(host, wrong_date).code == "7101"
    reversal = req(type_="0440", serial=original.serial, track2="", entry_mode="",
                   total=5_000, supply=original.supply, vat=original.vat)
    assert send(host, reversal).message1 == "망취소완료"
    assert send(host, cancel_of(approval, original, 5_000)).code == "7101"
    assert send(host, reversal).message1 == "원거래없음"  # idempotent


def test_a_network_cancel_of_a_cancel_undoes_the_cancel(host: HostState) -> None:
    original = req(total=8_000)
    approval = send(host, original)
    cancel = cancel_of(approval, original, 8_000)
    assert send(host, cancel).code == "0000"
    undo = req(type_="0440", serial=cancel.serial, track2="", entry_mode="", total=8_000,
               supply=cancel.supply, vat=cancel.vat, orig_approval_no=approval.approval_no,
               orig_approval_date=approval.host_time[:6])
    assert send(host, undo).message1 == "망취소완료"
    assert send(host, cancel_of(approval, original, 8_000)).code == "0000"


def test_a_network_cancel_of_a_decline_has_nothing_to_reverse(host: HostState) -> None:
    declined = req(track2="4000000000000002=3012")
    assert send(host, declined).code == "7001"
    r = send(host, req(type_="0440", serial=declined.serial, track2="", entry_mode=""))
    assert (r.status, r.code, r.message1, r.approval_no) == ("O", "0000", "원거래없음", "")


# --- easy pay, cash receipts, network test ----------------------------------------------------


def test_an_easy_pay_code_is_good_for_one_approval_request(host: HostState) -> None:
    first = req("EP", track2="2810061234567890")
    r = send(host, first)
    assert (r.status, r.code, len(r.approval_no), r.company) == ("O", "0000", 8, "KAKA")
    assert r.filler == ""
    assert send(host, req("EP", track2="2810061234567890")).code == "8101"
    undo = req("EP", "0440", serial=first.serial, track2="", entry_mode="")
    assert send(host, undo).message1 == "망취소완료"
    assert send(host, req("EP", track2="2810061234567890")).code == "8101"


def test_an_easy_pay_code_ending_in_0000_has_expired(host: HostState) -> None:
    r = send(host, req("EP", track2="134567890123450000", company="WCHT"))
    assert (r.status, r.code, r.message1) == ("X", "8101", "결제코드만료")


def test_an_easy_pay_request_needs_a_known_wallet(host: HostState) -> None:
    assert send(host, req("EP", company="XXXX")).code == "8001"


def test_easy_pay_cancel_and_partial_cancel(host: HostState) -> None:
    original = req("EP", total=20_000)
    approval = send(host, original)
    assert send(host, cancel_of(approval, original, 5_000, partial=True)).code == "0000"
    assert send(host, cancel_of(approval, original, 15_000)).code == "0000"


@pytest.mark.parametrize(("identity", "code"), [
    ("01012345678", "0000"), ("0101234567", "0000"), ("0100001234", "0000"),
    ("1234567890123", "0000"), ("1234567890123456789", "0000"), ("1248100998", "0000"),
    ("2208162517", "0000"), ("1234567890", "8102"), ("010123", "8102"),
    ("12345678901234567890", "8102"), ("0212345678", "8102"),
])
def test_cash_receipt_identities(host: HostState, identity: str, code: str) -> None:
    r = send(host, req("HK", track2=identity, installment=1))
    assert r.code == code
    if code == "0000":
        assert len(r.approval_no) == 9
    else:
        assert (r.status, r.message1) == ("X", "식별번호오류")


def test_a_cash_receipt_purpose_is_00_or_01(host: HostState) -> None:
    assert send(host, req("HK", installment=2)).code == "8001"


def test_cash_receipt_cancel(host: HostState) -> None:
    original = req("HK", total=15_000)
    approval = send(host, original)
    r = send(host, cancel_of(approval, original, 15_000, track2="01012345678"))
    assert (r.status, r.code, len(r.approval_no)) == ("O", "0000", 9)


def test_network_test(host: HostState) -> None:
    r = send(host, req("NT", "0800", entry_mode=""))
    assert (r.status, r.code, r.message1, r.approval_no) == ("O", "0000", "망점검정상", "")
    assert send(host, req("NT", "0800", total=10, supply=10, vat=0)).code == "8001"
    assert send(host, req("NT", "0200")).code == "8001"


@pytest.mark.parametrize("track2", ["４１１１１１１１１１１１１１１１=2912",
                                    "4111111111111111=２９１２"])
def test_a_track_ii_of_two_byte_digits_is_a_format_error(host: HostState, track2: str) -> None:
    """A real host reads ASCII digits only: full-width ones (EUC-KR 2 bytes each) are refused
    with 8001, never approved as the card they look like."""
    response = send(host, req("KI", track2=track2))
    assert (response.status, response.code) == ("F", "8001")
