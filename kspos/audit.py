"""The audit log: voids, refunds, discounts, drawer opens, price changes, logins."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from kspos.store.models import AuditEntry


def audit(session: Session, action: str, staff_id: int | None = None,
          order_id: int | None = None, **detail: Any) -> None:
    """Add an entry in the caller's transaction (so it commits with what it records)."""
    session.add(AuditEntry(action=action, staff_id=staff_id, order_id=order_id,
                           detail=json.dumps(detail, ensure_ascii=False, default=str)))
