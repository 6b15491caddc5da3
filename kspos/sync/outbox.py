"""Facts as the office reads them: one function per kind, the reader and the compaction.

Each ``*_body`` function maps the stored rows of one fact to the JSON the office is sent
(docs/outbox.md, field by field): the store code and terminal, UUIDs, amounts in won, times,
and nothing more. No card data beyond the masked PAN and the BIN, no PIN hash, no claim
tokens, no row ids (they mean nothing on another machine). The ``record_*`` functions read
the fact's rows and append its outbox row in the caller's transaction, so the fact and its
row commit together or not at all.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kspos.store import outbox as table

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.outbox import Unit
    from kspos.sync.identity import Identity

VERSION = 1  # of every kind's body; a reader refuses a version it does not know

# The audit actions that are facts the office needs, by the kind of fact they are.
AUDIT_KINDS = {
    "void": "void", "day_close": "day_close",
    "staff_add": "staff_change", "staff_rename": "staff_change", "staff_role": "staff_change",
    "staff_deactivate": "staff_change", "staff_pin": "staff_change",
    "menu_item_add": "menu_change", "price_change": "menu_change", "sold_out": "menu_change",
    "menu_item_delete": "menu_change", "menu_category_save": "menu_change",
    "option_group_save": "menu_change", "option_group_delete": "menu_change",
    "menu_apply": "menu_change",
}

SENT_KEPT = timedelta(days=30)  # compact() leaves sent rows this long (a re-send, a look)


def _time(value: object) -> str | None:
    """A stored time as ISO text (local wall time, as the store keeps it)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return datetime.fromisoformat(str(value)).isoformat(timespec="microseconds")


def _who(identity: Identity, uuid: str) -> dict[str, Any]:
    return {"store": identity.store_code, "terminal": identity.terminal, "uuid": uuid}


# --- one function per kind ---------------------------------------------------------------------


def order_body(identity: Identity, order: Any, lines: list[Any]) -> dict[str, Any]:
    """``order``: a sale as it was settled (paid), or an unpaid one voided, with its lines."""
    return {
        **_who(identity, order.uuid), "receipt_no": order.receipt_no,
        "business_day": order.business_day, "day_uuid": order.day_uuid,
        "state": order.state, "training": bool(order.training), "table_no": order.table_no,
        "created_at": _time(order.created_at), "paid_at": _time(order.paid_at),
        "staff_uuid": order.staff_uuid, "gross": order.gross,
        "discount_total": order.discount_total, "service_total": order.service_total,
        "total": order.total, "supply": order.supply, "vat": order.vat,
        "tax_free": order.tax_free,
        # restaurant mode (additive): 객수, and the table and zone of a check on a table
        "guests": order.guests, "table": order.table_no if order.table_id is not None else None,
        "zone": order.zone or None,
        "lines": [{
            "uuid": ln.uuid, "position": ln.position, "item_uuid": ln.item_uuid,
            "category": ln.category_name, "name": ln.name, "name_en": ln.name_en,
            "options": [{"group": g, "name": n, "price_delta": d}
                        for g, n, _en, d in json.loads(ln.options_json)],
            "unit_price": ln.unit_price, "qty": ln.qty, "discount": ln.discount_amount,
            "complimentary": bool(ln.complimentary), "tax_free": bool(ln.tax_free),
            "amount": ln.amount} for ln in lines]}


_PAYMENT_FIELDS = ("method", "amount", "tendered", "change", "wallet", "approval_no",
                   "approval_date", "approved_at", "masked_pan", "card_bin", "brand",
                   "issuer_code", "issuer", "acquirer_code", "acquirer", "merchant_no",
                   "installment", "van_txn_id", "cash_receipt_purpose", "cash_receipt_id_masked",
                   "cash_receipt_approval_no")


def payment_body(identity: Identity, payment: Any) -> dict[str, Any]:
    """``payment``: one tender taken on an order (card: the masked PAN and BIN only)."""
    body = {**_who(identity, payment.uuid), "order_uuid": payment.order_uuid,
            "receipt_no": payment.receipt_no, "training": bool(payment.training),
            "created_at": _time(payment.created_at)}
    body.update({name: getattr(payment, name) for name in _PAYMENT_FIELDS})
    return body


def refund_body(identity: Identity, refund: Any, lines: dict[int, str]) -> dict[str, Any]:
    """``refund``: money given back on one tender (``lines``: order_line id → its UUID)."""
    return {
        **_who(identity, refund.uuid), "order_uuid": refund.order_uuid,
        "receipt_no": refund.receipt_no, "payment_uuid": refund.payment_uuid,
        "method": refund.method, "amount": refund.amount,
        "lines": [{"line_uuid": lines.get(line_id), "qty": qty}
                  for line_id, qty in json.loads(refund.lines_json)],
        "reason": refund.reason, "staff_uuid": refund.staff_uuid,
        "created_at": _time(refund.created_at), "training": bool(refund.training),
        "approval_no": refund.approval_no, "approval_date": refund.approval_date,
        # the report date it counts on: the business day open then, else its calendar date
        "business_day": refund.report_day or str(refund.created_at)[:10]}


def reversal_body(identity: Identity, entry: Any) -> dict[str, Any]:
    """``reversal``: a 망취소 (0440) the host answered: what it cancelled and what it said."""
    return {
        **_who(identity, entry.uuid), "at": _time(entry.finished_at),
        "receipt_no": entry.pos_ref, "tid": entry.tid, "serial": entry.serial,
        "klass": entry.klass, "orig_type": entry.orig_type, "mode": entry.mode,
        "installment": entry.installment, "total": entry.total, "service": entry.service,
        "vat": entry.vat, "supply": entry.supply, "tax_free": entry.tax_free,
        "orig_approval_no": entry.orig_approval_no,
        "orig_approval_date": entry.orig_approval_date,
        "result_message": entry.result_message, "attempts": entry.attempts}


def void_body(identity: Identity, uuid: str, at: datetime, order: Any, by: str | None,
              detail: dict[str, Any]) -> dict[str, Any]:
    """``void``: an order cancelled (주문취소), paid ones after their refunds."""
    return {**_who(identity, uuid), "at": _time(at), "order_uuid": order.uuid,
            "receipt_no": order.receipt_no, "staff_uuid": by,
            "reason": str(detail.get("reason", "")), "total": detail.get("total"),
            "after_payment": bool(detail.get("after_payment", False))}


def day_close_body(identity: Identity, uuid: str, at: datetime, day: Any, by: str | None,
                   detail: dict[str, Any]) -> dict[str, Any]:
    """``day_close``: a 영업일 closed with its cash count (pieces by denomination)."""
    return {**_who(identity, uuid), "at": _time(at), "day_uuid": day.uuid,
            "business_day": day.day, "opening_float": day.opening_float,
            "opened_at": _time(day.opened_at), "closed_at": _time(day.closed_at),
            "staff_uuid": by, "expected_cash": detail.get("expected"),
            "counted_cash": detail.get("counted"), "over_short": detail.get("over_short"),
            "pieces": {str(k): int(v) for k, v in dict(detail.get("pieces") or {}).items()}}


_STAFF_FIELDS = ("name", "role", "via")  # never a PIN, never its hash


def staff_change_body(identity: Identity, uuid: str, at: datetime, action: str,
                      subject: str | None, by: str | None,
                      detail: dict[str, Any]) -> dict[str, Any]:
    """``staff_change``: a member added, renamed, given a role, deactivated, or given a new
    PIN (that it happened, never the PIN)."""
    return {**_who(identity, uuid), "at": _time(at), "action": action,
            "staff_uuid": subject, "by_uuid": by,
            **{k: detail[k] for k in _STAFF_FIELDS if k in detail}}


_MENU_SUBJECTS = {"item_id": ("item", "item_uuid"), "category_id": ("category", "category_uuid"),
                  "group_id": ("option_group", "group_uuid")}
_MENU_FIELDS = ("name", "price", "old", "new", "on", "required", "multi", "choices", "items",
                "menu_version", "published_by", "added", "kept", "removed")


def menu_change_body(identity: Identity, uuid: str, at: datetime, action: str,
                     subjects: dict[str, str | None], by: str | None,
                     detail: dict[str, Any]) -> dict[str, Any]:
    """``menu_change``: an item added, repriced, sold out, removed; a category or an option
    group saved or removed (``subjects``: ``item_uuid`` / ``category_uuid`` / ``group_uuid``)."""
    return {**_who(identity, uuid), "at": _time(at), "action": action, "by_uuid": by,
            **subjects, **{k: detail[k] for k in _MENU_FIELDS if k in detail}}


# --- appending, in the fact's transaction ---------------------------------------------------------


def record_order(unit: Unit, order_id: int, at: datetime) -> None:
    order, lines = table.order_rows(unit, order_id)
    table.append(unit, "order", order.uuid, VERSION,
                 order_body(table.identity_of(unit), order, lines), at)


def record_payment(unit: Unit, payment_id: int, at: datetime) -> None:
    payment = table.payment_row(unit, payment_id)
    table.append(unit, "payment", payment.uuid, VERSION,
                 payment_body(table.identity_of(unit), payment), at)


def record_refund(unit: Unit, refund_id: int, at: datetime) -> None:
    refund = table.refund_row(unit, refund_id)
    lines = table.line_uuids(unit, [line_id for line_id, _ in json.loads(refund.lines_json)])
    table.append(unit, "refund", refund.uuid, VERSION,
                 refund_body(table.identity_of(unit), refund, lines), at)


def record_reversal(unit: Unit, entry_id: int, at: datetime) -> None:
    entry = table.reversal_row(unit, entry_id)
    table.append(unit, "reversal", entry.uuid, VERSION,
                 reversal_body(table.identity_of(unit), entry), at)


def record_audited(unit: Unit, uuid: str, at: datetime, action: str, staff_id: int | None,
                   order_id: int | None, detail: dict[str, Any]) -> None:
    """The outbox row of an audited change that is a fact (:data:`AUDIT_KINDS`)."""
    kind = AUDIT_KINDS[action]
    identity = table.identity_of(unit)
    by = table.uuid_of(unit, "staff", staff_id)
    if kind == "void":
        assert order_id is not None
        order, _lines = table.order_rows(unit, order_id)
        body = void_body(identity, uuid, at, order, by, detail)
    elif kind == "day_close":
        body = day_close_body(identity, uuid, at, table.day_of(unit, str(detail["day"])), by,
                              detail)
    elif kind == "staff_change":
        body = staff_change_body(identity, uuid, at, action,
                                 table.uuid_of(unit, "staff", detail.get("target")), by, detail)
    else:
        # a deleted group is gone from its table: its save passes the UUID along
        subjects = {name: detail.get(name) or table.uuid_of(unit, of, detail[key])
                    for key, (of, name) in _MENU_SUBJECTS.items() if key in detail}
        body = menu_change_body(identity, uuid, at, action, subjects, by, detail)
    table.append(unit, kind, uuid, VERSION, body, at)


# --- the pusher's side (the office issue sends them) -----------------------------------------------


def pending(db: Database, limit: int = 500, after_seq: int = 0) -> list[dict[str, Any]]:
    """The next facts to send, oldest first: ``{seq, uuid, kind, version, body}`` each, the
    body parsed (the office reads exactly this; docs/outbox.md)."""
    with db.session() as s:
        rows = table.unsent(s, after_seq, limit)
    return [{"seq": r.seq, "uuid": r.uuid, "kind": r.kind, "version": r.version,
             "body": json.loads(r.body)} for r in rows]


def mark_sent(db: Database, seqs: list[int], at: datetime | None = None) -> int:
    """The office acknowledged these rows; returns how many were still unsent."""
    with db.session() as s:
        return table.mark_sent(s, seqs, at or datetime.now())


def mark_refused(db: Database, refusals: list[tuple[int, str]],
                 at: datetime | None = None) -> int:
    """Keep the office's reasons on the refused rows ``(seq, reason)``; they stay unsent."""
    from kspos.store import menu_sync

    with db.session() as s:
        return menu_sync.mark_refused(s, refusals, at or datetime.now())


def refused(db: Database, limit: int = 20) -> tuple[int, list[dict[str, Any]]]:
    """How many unsent facts the office refuses, and the newest ``limit`` of them:
    ``{seq, kind, reason, at}`` each (장치 점검 shows them)."""
    from kspos.store import menu_sync

    count, rows = menu_sync.refused_rows(db, limit)
    return count, [{"seq": seq, "kind": kind, "reason": reason, "at": str(at)[:19]}
                   for seq, kind, reason, at in rows]


def compact(db: Database, now: datetime | None = None, keep: timedelta = SENT_KEPT) -> int:
    """Delete outbox rows the office has had for longer than ``keep``; returns how many.

    Only outbox rows go: an unsent one never (a trigger refuses it too), and the facts
    themselves stay in their tables, where the retention triggers keep every one younger
    than five years (kspos/store/retention.py)."""
    with db.session() as s:
        return table.delete_sent(s, (now or datetime.now()) - keep)
