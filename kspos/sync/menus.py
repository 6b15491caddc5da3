"""Menus from the office: the pusher's loop asks for a newer version and says which it applied.

``GET /api/v1/menu?have=N`` answers 204 (nothing newer) or the newest version for this
terminal's store (docs/office-api.md); the version is kept as pending
(:func:`kspos.menu.updates.receive`) and applied by the POS between orders or at 개점. An
applied version is reported with ``POST /api/v1/menu/applied`` until the office has it. A pull
costs one small request per pass, and never holds up a sale: it runs on the pusher's thread.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from kspos.menu import updates
from kspos.sync.pusher import OfficeRefused, OfficeUnreachable, request_json

if TYPE_CHECKING:
    from kspos.store.db import Database

log = logging.getLogger("kspos.sync")

MENU_PATH = "/api/v1/menu"
TIMEOUT_S = 30.0


class MenuPuller:
    """Pulls ``db``'s store's menu versions from the office at ``url`` with ``token``."""

    def __init__(self, db: Database, url: str, token: str, timeout: float = TIMEOUT_S) -> None:
        self.db, self.token, self.timeout = db, token, timeout
        self.base = url.rstrip("/") + MENU_PATH
        self._said: str | None = None  # the last problem logged (once, not every pass)

    def pull(self) -> str | None:
        """Ask for a version newer than the newest received; what became of it
        (``pending``/``refused``/``old``), or None when there is none."""
        have = updates.newest_known(self.db)
        status, answer = request_json(f"{self.base}?have={have}", self.token, None,
                                      self.timeout, method="GET")
        if status == 204 or answer is None:
            return None
        if not isinstance(answer, dict) or isinstance(answer.get("version"), bool) \
                or not isinstance(answer.get("version"), int) or answer["version"] < 1:
            raise OfficeUnreachable("office answered something that is not a menu version")
        state = updates.receive(self.db, answer["version"], str(answer.get("apply")),
                                answer.get("document"), str(answer.get("published_at") or ""),
                                str(answer.get("published_by") or ""))
        log.info("menu version %s from the office: %s", answer["version"], state)
        return state

    def report(self) -> int:
        """Tell the office which versions were applied here; returns how many it took."""
        told = 0
        for version in updates.unreported(self.db):
            payload = json.dumps({"version": version}).encode("utf-8")
            request_json(f"{self.base}/applied", self.token, payload, self.timeout)
            updates.mark_reported(self.db, version)
            told += 1
        return told

    def sync(self) -> str | None:
        """:meth:`report`, then :meth:`pull`; a problem is logged once and returned as
        ``"error: ..."`` (the facts' push goes on regardless)."""
        try:
            self.report()
            return self.pull()
        except (OfficeUnreachable, OfficeRefused) as exc:
            text = f"menu: {exc}"
        except ValueError as exc:  # a version number that is not one
            text = f"menu: {exc}"
        if text != self._said:
            self._said = text
            log.warning("%s", text)
        return f"error: {text}"


def status_of(db: Database) -> dict[str, Any]:
    """The newest version received and whether one waits (for ``kspos sync --json``)."""
    return {"have": updates.newest_known(db), "due": updates.due(db)}
