"""The audit log: voids, refunds, discounts, drawer opens, price changes, logins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from kspos.store.db import Database


_INSERT = ("INSERT INTO audit_log (at, staff_id, action, order_id, detail) "
           "VALUES (?, ?, ?, ?, ?)")


def audit(session: Session, action: str, staff_id: int | None = None,
          order_id: int | None = None, **detail: Any) -> None:
    """Add an entry in the caller's transaction (so it commits with what it records).

    A plain statement on the session's connection, not an ORM object: every tender writes one.
    """
    from kspos.store.sql import execute

    execute(session, _INSERT, (datetime.now(), staff_id, action, order_id,
                               json.dumps(detail, ensure_ascii=False, default=str)))


def audit_now(db: Database, action: str, staff_id: int | None = None,
              order_id: int | None = None, **detail: Any) -> None:
    """Write an entry on its own (a login, a discount tap), without loading the ORM."""
    db.write(_INSERT, (datetime.now().isoformat(sep=" "), staff_id, action, order_id,
                       json.dumps(detail, ensure_ascii=False, default=str)))
