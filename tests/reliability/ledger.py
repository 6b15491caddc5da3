"""The "nothing lost" invariants, checked from outside: the SQLite file on one side, the VAN
host simulator's memory on the other.

``problems(db_path, host, tid)`` returns every broken invariant in words (empty = all good):

- ``PRAGMA integrity_check`` is ``ok``; no network cancel is left owed (intent/pending);
- every approval the host holds un-reversed with money left on it is a recorded tender:
  a card/easy-pay Payment with that approval number and amount, or the cash receipt of a cash
  Payment;
- every recorded card/easy-pay Payment is approved at the host, with the same amount, and the
  host's cancelled part equals what the store says it refunded;
- every refund of a card/easy-pay tender is a cancel the host holds, of that approval, for
  that amount;
- every cash receipt the store says it issued is live at the host for the cash kept;
- per order: tenders never exceed the total, a paid/refunded order is fully paid, refunds add
  up per tender and per order, no line refunds more than it sold;
- refunds: never more than the tenders took; the state says what was refunded (paid: nothing,
  partly refunded: some, refunded: all); a voided order keeps no money; no refund claim is
  left once the register that held it is gone (after every restart);
- receipt numbers and approval numbers are unique;
- the outbox: no fact without its outbox row, no outbox row without its fact
  (:func:`outbox_mismatches`).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CARD_CLASSES = {"IC", "MS", "KI"}
SETTLED = ("paid", "partly_refunded", "refunded")


@dataclass
class Tally:
    orders: int = 0
    paid: int = 0
    open_with_money: int = 0
    payments: int = 0
    refunds: int = 0
    host_live: int = 0
    unprinted: int = 0  # paid orders with no sale slip queued (the crash came in between)


# Every fact and the outbox kind it is sent as (kspos/sync/outbox.py): a settled or voided
# order, each tender and refund, a 망취소 the host answered, and the audited facts.
_FACTS = ("SELECT 'payment', uuid FROM payment UNION ALL SELECT 'refund', uuid FROM refund "
          "UNION ALL SELECT 'order', uuid FROM sale_order WHERE state IN ('paid', "
          "'partly_refunded', 'refunded', 'voided') UNION ALL SELECT 'reversal', uuid FROM "
          "van_reversal WHERE state = 'reversed' UNION ALL SELECT 'audit:' || action, uuid "
          "FROM audit_log")


def outbox_mismatches(conn: sqlite3.Connection) -> list[str]:
    """A store made at schema 0012 or later: every fact has exactly its outbox row (same
    UUID, same kind) and every outbox row is a fact of its kind that is in the store."""
    from kspos.sync.outbox import AUDIT_KINDS

    facts = {}
    for kind, uuid in conn.execute(_FACTS):
        if kind in ("payment", "refund", "order", "reversal"):
            facts[uuid] = kind
        elif kind.removeprefix("audit:") in AUDIT_KINDS:
            facts[uuid] = AUDIT_KINDS[kind.removeprefix("audit:")]
    rows = dict(conn.execute("SELECT uuid, kind FROM outbox").fetchall())
    found = [f"{kind} {uuid} has no outbox row" for uuid, kind in facts.items()
             if uuid not in rows]
    found += [f"outbox row {uuid} ({kind}) has no fact" if uuid not in facts else
              f"outbox row {uuid} is a {kind}, its fact a {facts[uuid]}"
              for uuid, kind in rows.items() if facts.get(uuid) != kind]
    return found


def read_rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def problems(db_path: Path, host: Any, tid: str, tally: Tally | None = None) -> list[str]:
    found: list[str] = []
    conn = sqlite3.connect(db_path, timeout=10)
    conn.row_factory = sqlite3.Row
    try:
        integrity = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
        if integrity != "ok":
            found.append(f"integrity_check: {integrity}")
        owed = conn.execute("SELECT serial, state, last_error FROM van_reversal "
                            "WHERE state IN ('intent', 'pending')").fetchall()
        found += [f"망취소 still owed: serial {r['serial']} {r['state']} ({r['last_error']})"
                  for r in owed]
        orders = {r["id"]: r for r in conn.execute("SELECT * FROM sale_order")}
        payments = conn.execute("SELECT * FROM payment WHERE training = 0").fetchall()
        refunds = conn.execute("SELECT * FROM refund WHERE training = 0").fetchall()
        lines = conn.execute("SELECT * FROM order_line").fetchall()
        slips = {r[0] for r in conn.execute("SELECT ref FROM print_job WHERE kind = 'sale'")}
        found += outbox_mismatches(conn)
    finally:
        conn.close()
    found += _against_host(payments, refunds, host, tid)
    found += _orders(orders, payments, refunds, lines)
    receipts = Counter(o["receipt_no"] for o in orders.values())
    found += [f"receipt number {no} used {n} times" for no, n in receipts.items() if n > 1]
    if tally is not None:
        tally.orders, tally.payments, tally.refunds = len(orders), len(payments), len(refunds)
        tally.paid = sum(o["state"] in SETTLED for o in orders.values())
        with_money = {p["order_id"] for p in payments}
        tally.open_with_money = sum(o["state"] == "open" and o["id"] in with_money
                                    for o in orders.values())
        tally.host_live = len(host.live_approvals())
        tally.unprinted = sum(o["state"] in SETTLED and o["receipt_no"] not in slips
                              for o in orders.values())
    return found


def _against_host(payments: list[Any], refunds: list[Any], host: Any, tid: str) -> list[str]:
    found: list[str] = []
    by_approval = {p["approval_no"]: p for p in payments
                   if p["method"] in ("card", "easypay") and p["approval_no"]}
    dupes = Counter(p["approval_no"] for p in payments
                    if p["method"] in ("card", "easypay") and p["approval_no"])
    found += [f"approval {no} recorded {n} times" for no, n in dupes.items() if n > 1]
    receipts = {p["cash_receipt_approval_no"]: p for p in payments
                if p["cash_receipt_approval_no"]}
    for txn in host.live_approvals():
        if txn.tid != tid:
            continue
        if txn.klass == "HK":
            if txn.approval_no not in receipts:
                found.append(f"host holds cash receipt {txn.approval_no} ({txn.total:,}원) that "
                             "no payment records")
            continue
        payment = by_approval.get(txn.approval_no)
        if payment is None:
            found.append(f"host holds {txn.klass} approval {txn.approval_no} ({txn.total:,}원, "
                         f"serial {txn.serial}) that no payment records: money taken, not "
                         "recorded")
    for no, p in by_approval.items():
        txn = host.by_approval(no)
        if txn is None or txn.reversed or txn.type != "0200":
            found.append(f"payment {p['id']} ({p['method']} {p['amount']:,}원, approval {no}) is "
                         "not an approval the host holds: recorded, not taken")
            continue
        if txn.total != p["amount"]:
            found.append(f"payment {p['id']}: host approved {txn.total:,}원, store recorded "
                         f"{p['amount']:,}원")
        if txn.total - txn.remaining != p["refunded"]:
            found.append(f"payment {p['id']} (approval {no}): host cancelled "
                         f"{txn.total - txn.remaining:,}원, store says refunded {p['refunded']:,}원")
    for no, p in receipts.items():
        txn = host.by_approval(no)
        kept = p["amount"] - p["refunded"]
        if kept == 0:  # refunded in full: the receipt must be cancelled at the host
            if txn is not None and not txn.reversed and txn.remaining > 0:
                found.append(f"payment {p['id']}: refunded in full but its cash receipt {no} "
                             f"is still live at the host for {txn.remaining:,}원")
            continue
        if txn is None or txn.reversed or txn.remaining <= 0:
            found.append(f"payment {p['id']}: cash receipt {no} is not live at the host "
                         f"(the customer has no receipt for {kept:,}원)")
        elif txn.total != kept:
            found.append(f"payment {p['id']}: cash receipt {no} is for {txn.total:,}원, the "
                         f"customer kept {kept:,}원")
    payments_by_id = {p["id"]: p for p in payments}
    for r in refunds:
        p = payments_by_id.get(r["payment_id"])
        if p is None or p["method"] not in ("card", "easypay"):
            continue
        txn = host.by_approval(r["approval_no"] or "")
        if txn is None or txn.reversed or txn.original is None \
                or txn.original.approval_no != p["approval_no"] or txn.total != r["amount"]:
            found.append(f"refund {r['id']} ({r['amount']:,}원 on approval {p['approval_no']}) "
                         "is not a cancel the host holds")
    return found


def _orders(orders: dict[int, Any], payments: list[Any], refunds: list[Any],
            lines: list[Any]) -> list[str]:
    found: list[str] = []
    paid: dict[int, int] = defaultdict(int)
    for p in payments:
        paid[p["order_id"]] += p["amount"]
    refunded_by_order: dict[int, int] = defaultdict(int)
    refunded_by_payment: dict[int, int] = defaultdict(int)
    for r in refunds:
        refunded_by_order[r["order_id"]] += r["amount"]
        refunded_by_payment[r["payment_id"]] += r["amount"]
    for oid, o in orders.items():
        if o["training"]:
            continue
        total, got = o["total"], paid.get(oid, 0)
        if got > total:
            found.append(f"order {o['receipt_no']}: tenders {got:,}원 over the total {total:,}원 "
                         "(a sale recorded twice?)")
        if o["state"] in SETTLED and got != total:
            found.append(f"order {o['receipt_no']} is {o['state']} with {got:,}원 of "
                         f"{total:,}원 paid")
        if o["state"] in ("open", "held") and total > 0 and got >= total:
            found.append(f"order {o['receipt_no']} is {o['state']} yet fully paid")
        if o["refunded"] != refunded_by_order.get(oid, 0):
            found.append(f"order {o['receipt_no']}: refunded {o['refunded']:,}원 but refund rows "
                         f"say {refunded_by_order.get(oid, 0):,}원")
        found += _refund_state(o, got)
    for p in payments:
        if p["refunded"] != refunded_by_payment.get(p["id"], 0):
            found.append(f"payment {p['id']}: refunded {p['refunded']:,}원 but refund rows say "
                         f"{refunded_by_payment.get(p['id'], 0):,}원")
        if p["refunded"] > p["amount"]:
            found.append(f"payment {p['id']}: refunded more than it took")
    for ln in lines:
        if not 0 <= ln["refunded_qty"] <= ln["qty"]:
            found.append(f"order line {ln['id']}: refunded {ln['refunded_qty']} of {ln['qty']}")
    return found


def _refund_state(o: Any, got: int) -> list[str]:
    """An order's refund bookkeeping against its state (after any crash and recovery)."""
    found: list[str] = []
    name, state, refunded, total = o["receipt_no"], o["state"], o["refunded"], o["total"]
    if refunded > got:
        found.append(f"order {name}: refunded {refunded:,}원 of {got:,}원 taken (paid back "
                     "twice?)")
    expected = {"paid": refunded == 0, "partly_refunded": 0 < refunded < total,
                "refunded": refunded == total, "voided": got - refunded == 0}
    if not expected.get(state, True):
        found.append(f"order {name} is {state} with {refunded:,}원 of {total:,}원 refunded "
                     f"({got:,}원 taken)")
    if o["refund_claim"] is not None:
        found.append(f"order {name}: refund claim {o['refund_claim']} left after a restart")
    return found
