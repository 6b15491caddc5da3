"""Outbox rows as a terminal writes them (docs/outbox.md), for the office's unit tests."""

from __future__ import annotations

import uuid
from typing import Any


def new_uuid() -> str:
    return str(uuid.uuid4())


def order(store: str = "S0001", terminal: str = "01", total: int = 9000,
          seq: int = 1) -> dict[str, Any]:
    """An ``order`` row: two lines, VAT 10 % of a taxable total."""
    fact = new_uuid()
    vat = total // 11
    body = {"store": store, "terminal": terminal, "uuid": fact,
            "receipt_no": f"20261125-{terminal}-{seq:04d}", "business_day": "2026-11-25",
            "day_uuid": new_uuid(), "state": "paid", "training": False, "table_no": None,
            "created_at": "2026-11-25T12:29:00.000000", "paid_at": "2026-11-25T12:30:00.000000",
            "staff_uuid": None, "gross": total, "discount_total": 0, "service_total": 0,
            "total": total, "supply": total - vat, "vat": vat, "tax_free": 0,
            "lines": [{"uuid": new_uuid(), "position": i, "item_uuid": new_uuid(),
                       "category": "커피", "name": name, "name_en": None, "options": [],
                       "unit_price": total // 2, "qty": 1, "discount": 0,
                       "complimentary": False, "tax_free": False, "amount": total // 2}
                      for i, name in enumerate(("아메리카노", "카페라떼"))]}
    return {"seq": seq, "uuid": fact, "kind": "order", "version": 1, "body": body}


def payment(of: dict[str, Any], seq: int = 2, method: str = "card") -> dict[str, Any]:
    """The ``payment`` that paid order row ``of`` in full."""
    fact, b = new_uuid(), of["body"]
    body = {"store": b["store"], "terminal": b["terminal"], "uuid": fact,
            "order_uuid": of["uuid"], "receipt_no": b["receipt_no"], "method": method,
            "amount": b["total"], "tendered": 0, "change": 0, "training": False,
            "created_at": "2026-11-25T12:30:00.000000", "approval_no": "12345678",
            "approval_date": "261125", "approved_at": "261125123000",
            "masked_pan": "536510******0006" if method == "card" else None,
            "card_bin": "536510" if method == "card" else None, "brand": None,
            "issuer_code": None, "issuer": "국민카드", "acquirer_code": None, "acquirer": None,
            "merchant_no": None, "installment": 0, "wallet": None, "van_txn_id": None,
            "cash_receipt_purpose": None, "cash_receipt_id_masked": None,
            "cash_receipt_approval_no": None}
    return {"seq": seq, "uuid": fact, "kind": "payment", "version": 1, "body": body}


def refund(of: dict[str, Any], paid: dict[str, Any], amount: int, seq: int = 3) -> dict[str, Any]:
    fact, b = new_uuid(), of["body"]
    body = {"store": b["store"], "terminal": b["terminal"], "uuid": fact,
            "order_uuid": of["uuid"], "receipt_no": b["receipt_no"],
            "payment_uuid": paid["uuid"], "method": paid["body"]["method"], "amount": amount,
            "lines": [], "reason": "고객 변심", "staff_uuid": None,
            "created_at": "2026-11-25T13:00:00.000000", "training": False,
            "approval_no": None, "approval_date": None}
    return {"seq": seq, "uuid": fact, "kind": "refund", "version": 1, "body": body}


def batch(*facts: dict[str, Any], store: str = "S0001", terminal: str = "01") -> dict[str, Any]:
    return {"store": store, "terminal": terminal, "facts": list(facts)}
