"""Giving money back on an order, one register at a time.

Two registers (two processes) on one SQLite file must never both pay back the same money. A
refund therefore *claims* the order first: one conditional UPDATE (``refund_claim IS NULL``)
in the transaction that also works out the amount, committed before any card cancel is sent
or any cash leaves the drawer. A second register finds the claim taken and is refused before
it sends anything. The claim is released when the refund ends, however it ends (declined,
an error); a claim left by a process that died (kill -9, the power) is stale and released at
the next start or taken over by the next refund.

Recording each tender's refund checks again, inside its own transaction, with conditional
UPDATEs: the claim is still ours, the tender and the order are not refunded past what was
paid, no line past what was sold. If that fails the transaction rolls back (and for the VAN,
the client reverses the cancel it just made), so nothing is ever given back twice.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.sales.audit import audit, audit_now
from kspos.sales.orders import OrderError, OrderState, changed_elsewhere
from kspos.store import refunds as table

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

CLAIM_STALE_S = 600  # longer than any refund (VAN timeouts, 현금영수증 re-issue) can take
REFUNDABLE = ("paid", "partly_refunded")
BUSY = ("이미 다른 계산대에서 이 주문을 환불하고 있습니다: 끝난 뒤 다시 시도하세요 "
        "(another register is refunding this order; try again when it is done)")


def new_claim() -> str:
    """A claim token: host, process, a nonce (two threads of one process differ) and when."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:10]}:{int(time.time())}"


def is_stale(token: str, now: float | None = None) -> bool:
    """Whether the claim's holder is surely gone: its process on this host has ended, or the
    claim is older than any refund can take (another host's process cannot be asked)."""
    try:
        host, pid, _nonce, at = token.rsplit(":", 3)
        started, process = int(at), int(pid)
    except ValueError:
        return True  # not a claim this code wrote
    if (now if now is not None else time.time()) - started > CLAIM_STALE_S:
        return True
    if host != socket.gethostname():
        return False
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def claim(s: Unit, order_id: int, token: str, states: tuple[str, ...] = REFUNDABLE,
          staff_id: int | None = None) -> None:
    """Take the order for a refund in ``s``'s transaction (commit it before giving money back).

    Raises OrderError when the order is not in ``states`` or another register holds it."""
    if table.take_claim(s, order_id, token, states):
        return
    found = table.claim_of(s, order_id)
    if found is None:
        raise OrderError("주문을 찾을 수 없습니다 (order not found)")
    state, held_by = found
    if state not in states and states == REFUNDABLE:
        raise OrderError("결제가 끝난 주문만 환불할 수 있습니다 (only paid orders can be "
                         f"refunded; this one is {state})")
    if state not in states:
        raise changed_elsewhere(state)
    if held_by is not None and is_stale(held_by) and table.take_claim(
            s, order_id, token, states, held_by):
        audit(s, "refund_claim_released", staff_id, order_id, claim=held_by,
              reason="stale: its register stopped")
        return
    raise OrderError(BUSY)


def release(db: Database, order_id: int, token: str) -> None:
    """Give the order back (only if the claim is still ours)."""
    table.release_claim(db, order_id, token)


def release_stale(db: Database) -> int:
    """At start-up: release the claims whose register died mid-refund (what it recorded
    stands; a cancel in flight is reversed by the 망취소 journal). Returns how many."""
    released = 0
    for order_id, token in table.claims(db):
        if is_stale(token):
            release(db, order_id, token)
            audit_now(db, "refund_claim_released", None, order_id, claim=token,
                      reason="stale at start-up")
            released += 1
    return released


class Given:
    """One tender's refund to record: ``amount`` back on payment ``payment_id``."""

    def __init__(self, order_id: int, payment_id: int, amount: int,
                 marks: list[tuple[int, int]], token: str, unpaid: bool = False) -> None:
        self.order_id, self.payment_id, self.amount = order_id, payment_id, amount
        self.marks, self.token = marks, token
        self.unpaid = unpaid  # the tenders of an order never paid (an abandoned split)


def _refused(what: str) -> OrderError:
    return OrderError(f"이미 다른 계산대에서 환불되었습니다: {what} "
                      f"(already refunded elsewhere: {what})")


def record(s: Unit, given: Given, *, staff_id: int | None, reason: str, training: bool,
           approval_no: str | None, approval_date: str | None, at: datetime) -> OrderState:
    """Record ``given`` in ``s``'s transaction, checking again with conditional UPDATEs that
    nothing is given back twice; raises OrderError (the caller's transaction rolls back).
    Returns the order's state after it."""
    amount = given.amount
    if not table.give_back_on_payment(s, given.payment_id, given.order_id, amount):
        raise _refused("결제 금액보다 많이 환불할 수 없습니다 (more than the tender took)")
    state, total, refunded, held_by = table.refund_state(s, given.order_id)
    if held_by != given.token:
        raise OrderError(BUSY)
    if refunded + amount > total:
        raise _refused("주문 금액보다 많이 환불할 수 없습니다 (more than the order's total)")
    if given.unpaid:
        new_state = OrderState(state)  # its tenders are undone; voiding it comes after
    else:
        new_state = OrderState.REFUNDED if refunded + amount >= total \
            else OrderState.PARTLY_REFUNDED
    table.add_refunded(s, given.order_id, amount, new_state.value)
    for line_id, qty in given.marks:
        if not table.mark_line(s, line_id, qty):
            raise _refused("남은 수량보다 많이 환불할 수 없습니다 (more than remains)")
    refund_id = table.insert_refund(s, dict(
        order_id=given.order_id, payment_id=given.payment_id, amount=amount,
        lines_json=json.dumps(given.marks), reason=reason, staff_id=staff_id, created_at=at,
        training=training, approval_no=approval_no, approval_date=approval_date))
    from kspos.sync.outbox import record_refund

    record_refund(s, refund_id, at)  # the refund's outbox row, in its transaction
    return new_state
