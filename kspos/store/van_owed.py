"""Whether a network cancel (망취소) is owed, read from ``van_reversal`` on the plain
connection: the status line asks before any VAN client (and the ORM) is built.

The journal's own statements belong to the VAN's repository; this is the one read the first
paint makes of its table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.store.db import Database


def reversal_owed(db: Database, tid: str, now: float) -> bool:
    """An entry of ``tid`` pending, or an intent whose deadline (epoch seconds) passed
    before ``now`` (its exchange died: a crash)."""
    return bool(db.read("SELECT 1 FROM van_reversal WHERE tid = ? AND (state = 'pending' OR "
                        "(state = 'intent' AND deadline < ?)) LIMIT 1", (tid, now)))
