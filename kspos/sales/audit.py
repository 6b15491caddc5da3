"""The audit log: voids, refunds, discounts, drawer opens, price changes, logins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit


def audit(session: Unit, action: str, staff_id: int | None = None,
          order_id: int | None = None, **detail: Any) -> None:
    """Add an entry in the caller's transaction (so it commits with what it records).

    An entry that is a fact for the office (a void, a day close, a staff or menu change:
    ``kspos.sync.outbox.AUDIT_KINDS``) gets its outbox row in the same transaction.
    A plain statement on the session's connection, not an ORM object: every tender writes one.
    """
    from kspos.store import audit as table
    from kspos.sync.identity import new_uuid
    from kspos.sync.outbox import AUDIT_KINDS

    at, uuid = datetime.now(), new_uuid()
    table.append(session, at, staff_id, action, order_id,
                 json.dumps(detail, ensure_ascii=False, default=str), uuid)
    if action in AUDIT_KINDS:
        from kspos.sync.outbox import record_audited

        record_audited(session, uuid, at, action, staff_id, order_id, detail)


def audit_now(db: Database, action: str, staff_id: int | None = None,
              order_id: int | None = None, **detail: Any) -> None:
    """Write an entry on its own (a login, a discount tap), without loading the ORM.

    Never a fact for the office: those are written with what they record (:func:`audit`)."""
    from kspos.store import audit as table
    from kspos.sync.identity import new_uuid
    from kspos.sync.outbox import AUDIT_KINDS

    if action in AUDIT_KINDS:  # its outbox row must commit with the change it records
        raise ValueError(f"{action} is a fact: audit it in the change's own transaction")
    table.append_now(db, datetime.now(), staff_id, action, order_id,
                     json.dumps(detail, ensure_ascii=False, default=str), new_uuid())
