"""The answers the technician's ``kspos van approve|cancel`` got, kept in ``van_record``.

:func:`keep_answer` is the ``on_response`` of those commands: it runs inside the transaction
that clears the request's 망취소 intent (see :mod:`kspos.van.client`), so once the host's answer
is known it is either kept here or the intent stays and the next run reverses the request.
:func:`recent` reads them back for ``kspos van list``, and :func:`network_cancels` the 망취소
journal beside them. No card data: the masked PAN at most.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.store import van_journal as stored

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit
    from kspos.van.result import VanResult

FIELDS = ("tid", "serial", "request_type", "klass", "mode", "status", "code", "message",
          "approval_no", "approval_date", "approved_at", "amount", "installment", "masked_pan",
          "wallet", "masked_identity", "van_txn_id", "orig_approval_no", "orig_approval_date")


def keep_answer(session: Unit, result: VanResult) -> None:
    """Add ``result`` (a valid answer) to the kept answers, in the caller's transaction."""
    values: dict[str, Any] = {name: getattr(result, name) for name in FIELDS}
    stored.keep_answer(session, {**values, "created_at": datetime.now()})


def recent(db: Database, tid: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The last ``limit`` kept answers (of ``tid``, or every TID), newest first."""
    rows = stored.recent_answers(db, ("created_at", *FIELDS), tid, limit)
    # "at" to the second, as the technician reads it (the column keeps microseconds)
    return [dict(zip(("at", *FIELDS), (str(row[0])[:19], *row[1:]), strict=True))
            for row in rows]


def to_json(row: dict[str, Any]) -> dict[str, Any]:
    """One kept answer with the ``kspos van --json`` names (``class`` for the class)."""
    data = dict(row)
    data["class"] = data.pop("klass")
    return data


def human(row: dict[str, Any]) -> str:
    """One line per kept answer for ``kspos van list``."""
    at = row["at"]
    what = f"{row['request_type']} {row['klass']}{' T' if row['mode'] == 'T' else ''}"
    line = (f"{at}  {row['tid']} {row['serial']}  {what}  {row['status']} {row['code']:<4}  "
            f"{row['amount']:>10,}원  {row['approval_no'] or '-':<12} {row['approval_date']}")
    extra = row["masked_pan"] or row["masked_identity"] or row["wallet"]
    if row["orig_approval_no"]:
        extra = f"{extra} 원거래 {row['orig_approval_no']} {row['orig_approval_date']}".strip()
    return f"{line}  {extra}  {row['message']}".rstrip()


_CANCEL_FIELDS = ("created_at", "tid", "serial", "state", "orig_type", "klass", "mode", "total",
                  "attempts", "last_error", "result_message")


def network_cancels(db: Database, tid: str | None = None, limit: int = 50
                    ) -> list[dict[str, Any]]:
    """The last ``limit`` entries of the 망취소 journal (of ``tid``, or every TID), newest
    first: what is owed (``intent``/``pending``) and what was reversed."""
    rows = stored.recent_entries(db, _CANCEL_FIELDS, tid, limit)
    found = []
    for at, tid_, serial, state, orig_type, klass, mode, total, attempts, error, result in rows:
        found.append({"at": str(at)[:19], "tid": tid_, "serial": serial, "state": state,
                      "request_type": orig_type, "class": klass, "mode": mode, "amount": total,
                      "attempts": attempts, "message": result or error})
    return found


def cancel_line(entry: dict[str, Any]) -> str:
    """One line per journal entry for ``kspos van list``."""
    return (f"{entry['at']}  {entry['tid']} {entry['serial']}  {entry['request_type']} "
            f"{entry['class']}  {entry['state']:<8} {entry['amount']:>10,}원  "
            f"tries {entry['attempts']}  {entry['message']}").rstrip()
