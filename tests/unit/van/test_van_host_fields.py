"""What a host sends back is not trusted: a card number echoed in any field is masked in the
result, its --json, the journal, the logs and the traffic monitor; control bytes never reach a
log line; an answer that contradicts itself (O with a decline code) is malformed; and a keyed
PAN that is not 13-19 ASCII digits is never sent."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest

from kspos.devices.cards import split_track2
from kspos.logs import CardDataFilter
from kspos.van.client import VanClient, VanInputError
from kspos.van.host import HostState
from kspos.van.rules import parse_keyed
from kspos.van.telegram import Response, decode_request, decode_response, encode_response
from tests.unit.van.van_fakes import TID, ScriptedLink

PAN = "4111111111111111"
KEYED = f"{PAN}=3012"


class RogueLink(ScriptedLink):
    """The host's real answer, then ``doctor(request, response)`` rewrites it."""

    def __init__(self, host: HostState, doctor: Any) -> None:
        super().__init__(host)
        self.doctor = doctor

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        answer = super().exchange(frame, connect_timeout_s=connect_timeout_s,
                                  response_timeout_s=response_timeout_s)
        response = self.doctor(decode_request(frame), decode_response(answer))
        return encode_response(response)


def _client(make_client: Any, link: RogueLink) -> VanClient:
    client: VanClient = make_client()
    client.link = link
    return client


def _echo_pan(_request: Any, response: Response) -> Response:
    return replace(response, filler=PAN, message2=PAN, notice1=f"card {PAN}",
                   issuer_name=PAN[:16], van_reserved=f"pan={PAN}")


def test_a_host_that_echoes_the_card_number_never_gets_it_printed(
        make_client: Any, host: HostState, caplog: pytest.LogCaptureFixture) -> None:
    client = _client(make_client, RogueLink(host, _echo_pan))
    approved = client.approve_card(12_000, keyed=KEYED)
    assert approved.approved
    cancelled = client.cancel_card(approval_no=approved.approval_no,
                                   approval_date=approved.approval_date, amount=12_000)
    assert cancelled.approved
    for result in (approved, cancelled):
        assert result.masked_pan == "411111******1111"
        assert PAN not in repr(result.to_json()) and PAN not in repr(result)


def _control_bytes(request: Any, response: Response) -> Response:
    if request.type == "0440":
        return replace(response, message1="망취소\n완료\x1b[2J")
    return replace(response, message1="OK\r\n2026 FAKE LINE", issuer_name="VISA\x00\x07")


def test_control_bytes_from_the_host_never_reach_a_log_line(
        make_client: Any, host: HostState, caplog: pytest.LogCaptureFixture) -> None:
    client = _client(make_client, RogueLink(host, _control_bytes))
    with caplog.at_level(logging.INFO):
        result = client.approve_card(12_000, keyed=KEYED)
        client.link.script = ["lost"]  # type: ignore[attr-defined]
        client.approve_card(13_000, keyed=KEYED)  # its 0440's answer has control bytes too
    assert result.approved and "\n" not in result.message and "\r" not in result.message
    assert "\x00" not in result.issuer and "\x07" not in result.issuer
    assert "2026 FAKE" in result.message  # escaped, not dropped: the technician sees it
    for record in caplog.records:
        text = record.getMessage()
        assert not any(c in text for c in "\r\n\x00\x07\x1b"), text
    [entry] = client.journal.history()
    assert "\n" not in entry.result_message and "\x1b" not in entry.result_message


def test_the_log_filter_escapes_control_bytes_whoever_logs_them() -> None:
    record = logging.LogRecord("kspos.x", logging.INFO, __file__, 1, "host said %s",
                               ("hi\n2026-01-01 ERROR forged",), None)
    assert CardDataFilter().filter(record)
    assert "\n" not in record.getMessage() and "forged" in record.getMessage()


@pytest.mark.parametrize("code", ["7001", "8001", "9001"])
def test_status_o_with_a_decline_code_is_malformed_and_reversed(
        make_client: Any, host: HostState, code: str) -> None:
    client = _client(make_client, RogueLink(
        host, lambda req, resp: resp if req.type == "0440" else replace(resp, code=code)))
    result = client.approve_card(12_000, keyed=KEYED)
    assert not result.approved and result.network_cancel is not None
    assert result.network_cancel.status == "done"
    txn = host.transaction(TID, result.serial)
    assert txn is not None and txn.reversed  # whatever the host meant, nothing is charged


def test_an_approval_number_with_control_bytes_is_malformed(
        make_client: Any, host: HostState) -> None:
    client = _client(make_client, RogueLink(
        host, lambda req, resp: resp if req.type == "0440" else replace(
            resp, approval_no="1234\n5678")))
    result = client.approve_card(12_000, keyed=KEYED)
    assert not result.approved and result.network_cancel is not None


@pytest.mark.parametrize("pan", ["4" * 26, "411111111111", "4111111111111111111111"])
def test_a_pan_outside_13_to_19_digits_is_refused(pan: str) -> None:
    with pytest.raises(VanInputError):
        parse_keyed(f"{pan}=3012")
    with pytest.raises(ValueError):
        split_track2(f"{pan}=3012")


def test_full_width_digits_are_read_as_digits_and_sent_as_ascii(
        client: VanClient, link: ScriptedLink) -> None:
    wide = "".join(chr(ord(c) - ord("0") + 0xFF10) for c in PAN) + "=３０１２"
    assert parse_keyed(wide) == KEYED
    assert client.approve_card(5_000, keyed=wide).approved
    assert link.sent[-1].track2 == KEYED
    for odd in ("٤١١١١١١١١١١١١١١١=3012", "4111111111111111=３０¹２"):  # Arabic-Indic, superscript
        with pytest.raises(VanInputError):
            parse_keyed(odd)
    with pytest.raises(ValueError):
        split_track2("٤١١١١١١١١١١١١١١١=3012")


def test_an_approval_dated_on_no_calendar_day_is_malformed(
        make_client: Any, host: HostState) -> None:
    """The approval date (host time's YYMMDD) is what a later cancel must send back: an
    approval whose date is no date could never be cancelled, so it is reversed at once."""
    client = _client(make_client, RogueLink(
        host, lambda req, resp: resp if req.type == "0440" else replace(
            resp, host_time="251399123045")))
    result = client.approve_card(12_000, keyed=KEYED)
    assert not result.approved and result.network_cancel is not None
    assert result.network_cancel.status == "done"


def test_a_decline_carrying_an_approval_number_is_malformed_and_reversed(
        make_client: Any, host: HostState) -> None:
    """X with an approval number may be an approval after all: nothing is left charged."""
    client = _client(make_client, RogueLink(
        host, lambda req, resp: resp if req.type == "0440" else replace(
            resp, status="X", code="7001", approval_no=resp.approval_no)))
    result = client.approve_card(12_000, keyed=KEYED)
    assert not result.approved and result.network_cancel is not None
    assert result.network_cancel.status == "done"
    txn = host.transaction(TID, result.serial)
    assert txn is not None and txn.reversed
