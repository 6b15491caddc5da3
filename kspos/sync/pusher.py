"""The pusher: sends the outbox to the office in batches and marks what the office took.

A sale never waits for it: it reads rows already committed, sends them, and marks a row sent
only after the office answered that it has the fact. If the pusher dies between the office's
commit and its own mark, the rows go again and the office (idempotent by UUID) stores nothing
twice. When the office cannot be reached it backs off with jitter (1 s doubling to 5 min), so
thousands of terminals coming back after an outage do not arrive together.

A fact the office refuses (its reason is logged and kept in :attr:`PushResult.refused`) stays
in the outbox, unsent: nothing is lost, and a later office or a fixed terminal can send it.
The HTTP client is the standard library's, imported on the first push (start-up stays lean).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kspos.store import outbox as table
from kspos.sync import outbox

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.sync.identity import Identity
    from kspos.sync.menus import MenuPuller

log = logging.getLogger("kspos.sync")

BATCH = 500
"""Facts per request (the office takes up to 5,000)."""
TIMEOUT_S = 30.0
BACKOFF_FIRST_S, BACKOFF_CAP_S = 1.0, 300.0
IDLE_S = 5.0
"""How often a running pusher looks for new facts when the outbox was empty."""
PATH = "/api/v1/facts"


class OfficeUnreachable(Exception):
    """The office did not answer, or answered that it cannot take the batch now (5xx, 429):
    try again later. ``str()`` is one line."""


class OfficeRefused(Exception):
    """The office refused the request itself (a bad or revoked token, another store's facts,
    a malformed batch): trying again will not help until someone fixes the config."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class PushResult:
    """What one pass over the outbox did."""

    sent: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    menu: str | None = None  # what the menu pull did (kspos.sync.menus.MenuPuller.sync)


def backoff_s(failures: int, rng: Callable[[], float] = random.random) -> float:
    """How long to wait after ``failures`` failed passes in a row: doubling from
    :data:`BACKOFF_FIRST_S` to :data:`BACKOFF_CAP_S`, the second half of it random."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_FIRST_S * 2 ** min(max(failures - 1, 0), 20))
    return float(ceiling / 2 + rng() * ceiling / 2)


def request_json(url: str, token: str, payload: bytes | None, timeout: float,
                 method: str = "POST") -> tuple[int, Any]:
    """One request to the office with the terminal's token: ``(status, JSON answer)`` (None
    for a 204), or OfficeUnreachable / OfficeRefused."""
    import http.client
    import urllib.error
    import urllib.request

    from kspos import __version__

    headers = {"Authorization": f"Bearer {token}", "User-Agent": f"KSPOS/{__version__}"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=payload, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
            answer = json.loads(raw.decode("utf-8")) if raw else None
    except urllib.error.HTTPError as exc:
        try:
            reason = str(json.loads(exc.read().decode("utf-8")).get("error", ""))[:200]
        except (ValueError, AttributeError, OSError):
            reason = ""
        message = f"office answered {exc.code}{': ' + reason if reason else ''}"
        if exc.code >= 500 or exc.code in (408, 429):
            raise OfficeUnreachable(message) from None
        raise OfficeRefused(message, exc.code) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError is an OSError
        cause = getattr(exc, "reason", None) or exc
        raise OfficeUnreachable(f"office not reachable: {str(cause)[:200]}") from None
    return status, answer


def _post(url: str, token: str, payload: bytes, timeout: float) -> dict[str, Any]:
    """POST a batch to the office; its receipt, or OfficeUnreachable/OfficeRefused."""
    _status, answer = request_json(url, token, payload, timeout)
    if not isinstance(answer, dict) or not isinstance(answer.get("accepted"), list):
        raise OfficeUnreachable("office answered something that is not a batch receipt")
    return answer


class Pusher:
    """Sends ``db``'s outbox to the office at ``url`` as terminal ``identity`` with ``token``."""

    def __init__(self, db: Database, url: str, token: str, identity: Identity,
                 batch: int = BATCH, timeout: float = TIMEOUT_S,
                 menus: MenuPuller | None = None) -> None:
        self.db, self.identity = db, identity
        self.url = url.rstrip("/") + PATH
        self.token, self.batch, self.timeout = token, max(1, batch), timeout
        self.menus = menus  # pulled after each pass that reached the office
        self.failures = 0
        self._told: set[str] = set()  # refused UUIDs already logged (once each, not per pass)

    def pending_count(self) -> int:
        """Facts still in the outbox, unsent (refused ones included)."""
        with self.db.session() as s:
            return table.count_unsent(s)

    def _send(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        payload = json.dumps({"store": self.identity.store_code,
                              "terminal": self.identity.terminal, "facts": rows},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return _post(self.url, self.token, payload, self.timeout)

    def push_pending(self) -> PushResult:
        """One pass: every unsent row, oldest first, in batches. Stops at the first failure
        of the link (``error`` says why); refused facts are skipped over, not retried."""
        result, cursor, size = PushResult(), 0, self.batch
        while True:
            rows = outbox.pending(self.db, limit=size, after_seq=cursor)
            if not rows:
                return result
            try:
                answer = self._send(rows)
            except OfficeRefused as exc:
                if exc.status == 413 and size > 1:  # too big for this office: smaller batches
                    size = max(1, size // 2)
                    continue
                result.error = str(exc)
                return result
            except OfficeUnreachable as exc:
                result.error = str(exc)
                return result
            taken = {str(u) for u in answer["accepted"]}
            seqs = [r["seq"] for r in rows if r["uuid"] in taken]
            outbox.mark_sent(self.db, seqs)
            result.sent += len(seqs)
            self._refused(rows, answer.get("refused"), result)
            cursor = rows[-1]["seq"]

    def _refused(self, rows: list[dict[str, Any]], refused: Any, result: PushResult) -> None:
        """Log each refused fact once and keep the office's reason on its outbox row (for
        장치 점검 and ``kspos doctor``); the row stays unsent."""
        if not isinstance(refused, list):
            return
        ours = {r["uuid"]: r["seq"] for r in rows}
        kept: list[tuple[int, str]] = []
        for item in refused:
            if not isinstance(item, dict) or str(item.get("uuid")) not in ours:
                continue
            reason = str(item.get("reason") or "refused")[:500]
            if str(item.get("uuid")) not in self._told:
                self._told.add(str(item.get("uuid")))
                log.warning("office refused fact seq %s (%s): %s", item.get("seq"),
                            item.get("uuid"), reason)
            kept.append((ours[str(item["uuid"])], reason))
            result.refused.append(item)
        if kept:
            outbox.mark_refused(self.db, kept)

    def run(self, stop: threading.Event, idle_s: float | None = None,
            on_pass: Callable[[PushResult], None] | None = None) -> None:
        """Push until ``stop`` is set: at once, then every ``idle_s`` while the office
        answers, with :func:`backoff_s` between failures."""
        while not stop.is_set():
            result = self.push_pending()
            if self.menus is not None and result.error is None:
                try:
                    result.menu = self.menus.sync()
                except Exception as exc:  # noqa: BLE001 - a busy store: the push goes on
                    log.warning("menu pull: %s", exc)
                    result.menu = f"error: menu: {exc}"
            if on_pass is not None:
                on_pass(result)
            if result.error:
                self.failures += 1
                wait = backoff_s(self.failures)
                log.warning("%s; next try in %.0f s", result.error, wait)
            else:
                self.failures = 0
                wait = IDLE_S if idle_s is None else idle_s
            stop.wait(wait)
