"""What the VAN client accepts from a host, and what it says when the store fails it.

A host's answer is checked (:func:`check_answer`: the echo, status and code agreeing, an
approval number and a real approval date) and then cleaned (:func:`cleaned`): nothing a host
sends is shown, kept or logged as it came. A card number it echoes is masked, control bytes
are escaped (they would forge log lines), and field 33 is masked again by our own rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.devices.cards import ascii_digits, remask_pan
from kspos.logs import outside_text
from kspos.van import codes
from kspos.van.telegram import Request, Response, TelegramError

if TYPE_CHECKING:
    from kspos.van.result import ReversalOutcome, VanResult


def store_trouble(exc: BaseException) -> str | None:
    """What went wrong with the store, in a few words; None when ``exc`` is not the store's."""
    from kspos.store.errors import StoreError, humanize_db_error, is_database_error

    if not is_database_error(exc):
        return None
    cause = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ else exc
    return humanize_db_error(cause).split(":")[0]  # the words, not "nothing was saved"


def unrecorded_message(result: VanResult, outcome: ReversalOutcome, trouble: str) -> str:
    """The one line for an answer the store could not keep (see VanAnswerNotRecorded)."""
    if result.status == "O" and result.approval_no:
        what = f"승인 {result.approval_no} ({result.amount:,}원) 저장 실패: {trouble}"
    else:
        what = f"응답 {result.status}/{result.code} 저장 실패: {trouble}"
    if outcome.done:
        return (f"{what}; 망취소 완료 — 결제되지 않았습니다 (the host's answer could not be "
                "saved, so it was reversed at the host: nothing is charged)")
    return (f"{what}; 망취소 대기 — the host's answer could not be saved and its network "
            f"cancel (serial {outcome.serial}) is not confirmed yet: it is retried until it is, "
            "so do not charge again before `kspos van test` shows no 망취소 pending")


def check_answer(request: Request, response: Response) -> None:
    """TelegramError for a malformed answer: one that does not echo the request, whose status
    and code disagree, a decline with an approval number, or an approval without an approval
    number of letters and digits or with a host time that is no calendar day."""
    expected = {"type": codes.response_type(request.type), "klass": request.klass,
                "job": request.job, "mode": request.mode, "tid": request.tid,
                "company": request.company.rstrip(" "), "serial": request.serial}
    for name, value in expected.items():
        if getattr(response, name) != value:
            raise TelegramError(f"the answer's {name} is {getattr(response, name)!r}, "
                                f"the request's {value!r}")
    if response.status == "O" and request.type in codes.REVERSIBLE_TYPES \
            and not response.approval_no:
        raise TelegramError("an approval without an approval number")
    # O is 0000 and 0000 is O (§4): an O with a decline code may be an approval or not, so it
    # is malformed, and a 0200/0420/7420 gets its 망취소 (nothing charged either way).
    if (response.status == "O") != (response.code == codes.OK):
        raise TelegramError(f"status {response.status} with code {response.code!r}")
    if response.status == "O" and request.type in codes.REVERSIBLE_TYPES \
            and not _a_day(response.host_time[:6]):
        # the approval date a cancel must send back: no date, no cancel
        raise TelegramError(f"an approval dated {response.host_time[:6]!r}, not a day")
    if response.status != "O" and response.approval_no \
            and request.type in codes.REVERSIBLE_TYPES:
        # a decline with an approval number may be an approval after all (§3: X/F carry none)
        raise TelegramError(f"status {response.status} with approval number "
                            f"{response.approval_no!r}")
    if response.approval_no and not (response.approval_no.isascii()
                                     and response.approval_no.isalnum()):
        raise TelegramError(f"the approval number {response.approval_no!r} is not letters and "
                            "digits")


def _a_day(yymmdd: str) -> bool:
    """Whether 6 digits are a calendar day (the date constructor: no strptime import on a
    sale's path)."""
    try:
        datetime(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


# Host text that reaches the screen, receipts, --json, the journal and the logs; the echo
# fields are compared with the request instead, the approval number checked, N fields are
# digits by decoding, the merchant number is digits (else text too).
_HOST_TEXT = ("code", "issuer_reply", "card_type", "message1", "message2", "van_txn_id",
              "issuer_code", "issuer_name", "acquirer_code", "acquirer_name", "wk_index",
              "working_key", "notice1", "notice2", "reserved", "van_reserved")


def cleaned(response: Response) -> Response:
    """The host's answer with nothing we would not show: card-like digit runs masked, control
    characters escaped, and field 33 (the masked PAN) masked again by our own rule, whatever
    the host put there (one that echoes the whole number)."""
    changes: dict[str, Any] = {}
    for name in _HOST_TEXT:
        value = getattr(response, name)
        if value:
            clean = outside_text(value)
            if clean != value:
                changes[name] = clean
    if response.filler:
        filler = remask_pan(response.filler)
        if filler != response.filler:
            changes["filler"] = filler
    if response.merchant_no and not ascii_digits(response.merchant_no):
        changes["merchant_no"] = outside_text(response.merchant_no)
    return replace(response, **changes) if changes else response
