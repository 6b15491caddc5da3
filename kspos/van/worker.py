"""The background retry of pending 망취소: :class:`ReversalWorker` (re-exported by
:mod:`kspos.van.client`)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.van.client import VanClient

log = logging.getLogger(__name__)


class ReversalWorker:
    """A daemon thread that, every ``interval_s``, lets each client that owes a 망취소 send
    what is due (``resume_pending(force=False)``, with its backoff).

    The app starts one for its clients (the live TID and 연습 모드's) so pending 망취소 finish
    without the cashier doing anything; a client owing nothing costs one plain read a round.
    ``stop()`` ends it.
    """

    def __init__(self, *clients: VanClient, interval_s: float = 5.0) -> None:
        self.clients, self.interval_s = clients, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="van-reversals", daemon=True)

    def start(self) -> ReversalWorker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for client in self.clients:
                try:
                    if client.reversal_owed():
                        client.resume_pending(force=False)
                except Exception:  # a store hiccup must not end the worker
                    log.exception("VAN reversal worker (%s)", client.tid)
