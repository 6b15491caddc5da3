"""The audit log: the ``audit_log`` table's writes (what an entry says: :mod:`kspos.sales.audit`).

Plain statements, never the ORM: every tender writes an entry, and a tap's entry (a login, a
discount) is written before SQLAlchemy is even imported.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kspos.store.sql import execute

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

_INSERT = ("INSERT INTO audit_log (at, staff_id, action, order_id, detail, uuid) "
           "VALUES (?, ?, ?, ?, ?, ?)")


def append(unit: Unit, at: datetime, staff_id: int | None, action: str, order_id: int | None,
           detail: str, uuid: str) -> None:
    """An entry in ``unit``'s transaction (it commits with what it records)."""
    execute(unit, _INSERT, (at, staff_id, action, order_id, detail, uuid))


def append_now(db: Database, at: datetime, staff_id: int | None, action: str,
               order_id: int | None, detail: str, uuid: str) -> None:
    """An entry committed on its own, on the plain connection."""
    db.write(_INSERT, (at.isoformat(sep=" "), staff_id, action, order_id, detail, uuid))
