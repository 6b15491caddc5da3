"""The office link as 장치 점검 and ``kspos doctor`` show it: the address, whether the last
push reached the office, what is unsent, and the facts the office refuses with its reasons
(kept on their outbox rows, which stay unsent: nothing is lost)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kspos.diagnostics import Check

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.store.db import Database
    from kspos.sync.service import SyncStatus

SHOWN = 5  # refused facts named on the screen and in the doctor's line


@dataclass(frozen=True)
class OfficeLink:
    """What the screen shows of the link (``url`` "" when no office is configured)."""

    url: str
    reachable: bool | None = None
    pending: int = 0
    refused: int = 0
    reasons: tuple[dict[str, Any], ...] = field(default=())
    last_error: str | None = None
    menus: tuple[dict[str, Any], ...] = field(default=())  # the latest versions received


def office_link(settings: Settings, db: Database, status: SyncStatus | None) -> OfficeLink:
    """The link now: the refusals from the outbox, reachability from the running pusher."""
    from kspos.menu.updates import history
    from kspos.sync.outbox import refused

    count, rows = refused(db, SHOWN)
    menus = tuple(v for v in history(db, 5) if v["state"] != "superseded")[:2]
    return OfficeLink(settings.office.url or "", status.reachable if status else None,
                      status.pending if status else 0, count, tuple(rows),
                      status.last_error if status else None, menus)


def reason_line(row: dict[str, Any]) -> str:
    """One refused fact: ``#seq kind: the office's reason`` (its reasons name the kind
    already: then once)."""
    reason = str(row["reason"])
    if reason.startswith(f"{row['kind']}:"):
        return f"#{row['seq']} {reason}"
    return f"#{row['seq']} {row['kind']}: {reason}"


def check_office(settings: Settings) -> Check:
    """``kspos doctor``'s line for the link: fails while the office refuses any fact."""
    from kspos.store.errors import StoreError
    from kspos.store.menu_sync import refused_in_file

    if not settings.office.url:
        return Check("office", True, "no office set ([office] url): a standalone store")
    try:
        count, rows = refused_in_file(settings.db_path, SHOWN)
    except StoreError as exc:
        return Check("office", False, f"cannot read the outbox: {exc}")
    if not count:
        return Check("office", True, f"{settings.office.url}: nothing refused")
    named = "; ".join(reason_line({"seq": s, "kind": k, "reason": r}) for s, k, r, _at in rows)
    return Check("office", False, f"본사 전송 거부 {count}건 (kept in the outbox, unsent): "
                                  f"{named}")
