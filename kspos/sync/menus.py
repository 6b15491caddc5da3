"""Menus from the office: the pusher's loop asks for a newer version and says which it applied.

``GET /api/v1/menu?have=N`` answers 204 (nothing newer) or the newest version for this
terminal's store (docs/office-api.md); the version is kept as pending
(:func:`kspos.menu.updates.receive`) and applied by the POS between orders or at 개점. An
applied version is reported with ``POST /api/v1/menu/applied`` until the office has it. A pull
is one small request at most once a minute (50,000 stores asking every 5 s would be 10,000
requests a second at the office for nothing), and never holds up a sale: it runs on the
pusher's thread.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING, Any

from kspos.menu import updates
from kspos.sync.pusher import OfficeRefused, OfficeUnreachable, request_json

if TYPE_CHECKING:
    from kspos.store.db import Database

log = logging.getLogger("kspos.sync")

MENU_PATH = "/api/v1/menu"
TIMEOUT_S = 30.0
EVERY_S = 60.0
"""How often the running pusher asks for a newer menu."""


class MenuPuller:
    """Pulls ``db``'s store's menu versions from the office at ``url`` with ``token``."""

    def __init__(self, db: Database, url: str, token: str, timeout: float = TIMEOUT_S,
                 every_s: float = EVERY_S) -> None:
        self.db, self.token, self.timeout, self.every_s = db, token, timeout, every_s
        self.base = url.rstrip("/") + MENU_PATH
        self._said: str | None = None  # the last problem logged (once, not every pass)
        self._asked = float("-inf")  # monotonic time of the last pull

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

    def sync(self, force: bool = False) -> str | None:
        """:meth:`report`, then :meth:`pull` when :attr:`every_s` has passed since the last
        one (``force``: now); a problem is logged once and returned as ``"error: ..."`` (the
        facts' push goes on regardless)."""
        try:
            self.report()
            if not force and time.monotonic() - self._asked < self.every_s:
                return None
            self._asked = time.monotonic()
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
