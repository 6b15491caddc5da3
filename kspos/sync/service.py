"""The pusher inside the running POS: a background thread and the status the screens show.

A sale never waits for it (it only reads committed outbox rows), and the cashier only sees a
short "본사 연결 끊김 · 미전송 N건" in the status line while the office cannot be reached.
The refused facts (with the office's reasons) are kept for 장치 점검.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.store.db import Database
    from kspos.sync.pusher import Pusher, PushResult

log = logging.getLogger("kspos.sync")


@dataclass(frozen=True)
class SyncStatus:
    """The link as the last pass left it. ``reachable`` is None before the first pass."""

    reachable: bool | None = None
    pending: int = 0
    last_error: str | None = None
    refused: tuple[dict[str, Any], ...] = field(default=())
    menu: str | None = None  # what the last menu pull did (a version kept, or an error)


class SyncService:
    """Runs a :class:`~kspos.sync.pusher.Pusher` on a daemon thread until :meth:`stop`."""

    def __init__(self, pusher: Pusher) -> None:
        self.pusher = pusher
        self._status = SyncStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_settings(cls, settings: Settings, db: Database) -> SyncService | None:
        """The service for ``[office]``, or None when the config names no office."""
        office = settings.office
        if not office.url or not office.token:
            return None
        from kspos.sync.menus import MenuPuller
        from kspos.sync.pusher import Pusher

        return cls(Pusher(db, office.url, office.token, settings.identity,
                          menus=MenuPuller(db, office.url, office.token)))

    def status(self) -> SyncStatus:
        """The latest status (cheap: the screens call it on every refresh)."""
        return self._status

    def _passed(self, result: PushResult) -> None:
        try:
            pending = self.pusher.pending_count()
        except Exception:  # noqa: BLE001 - a busy store: keep the last count
            pending = self._status.pending
        self._status = SyncStatus(reachable=result.error is None, pending=pending,
                                  last_error=result.error, refused=tuple(result.refused),
                                  menu=result.menu)

    def _loop(self) -> None:
        try:
            self.pusher.run(self._stop, on_pass=self._passed)
        except Exception:  # noqa: BLE001 - the link must never take the POS down
            log.exception("the office pusher stopped")
            self._status = SyncStatus(reachable=False, pending=self._status.pending,
                                      last_error="the office pusher stopped (see the log)")

    def start(self) -> SyncService:
        """Start pushing on a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="office-pusher",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the request in flight (bounded by the pusher's timeout)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
