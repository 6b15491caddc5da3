"""The kitchen printers' journaled queues: a slip is written before it is sent, and sent until
it prints.

:func:`enqueue_slip` writes one ``print_job`` per kitchen printer the slip has lines for, in
the caller's transaction: the round (or the cancel) and its slips commit together, so a
committed round always has its slips, and a round rolled back leaves none. A
:class:`KitchenWorker` per printer (a thread; no Qt) then sends its printer's pending jobs,
oldest first; when the printer is down the job stays pending with its error and is tried
again after 1 s, 2 s, 4 s... (at most 30 s apart). Nothing here ever waits on a printer in
the caller's thread, so a printer that is off never holds up an order or a payment.

:class:`KitchenDesk` composes it for the app: ``on_kitchen`` (the check service's hook),
``start``/``stop``, ``status`` (per printer: how many slips are failing and why, for the
table screen's 주방 출력 실패), ``reprint`` (재출력) and ``redirect`` (다른 프린터로).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.ports import DeviceError, ReceiptPrinter
from kspos.receipts.kitchen import as_reprint, render_slip, route, slip_from_json, slip_to_json
from kspos.receipts.queue import DISCARDED, PENDING, PrintJob, PrintQueue, packed
from kspos.store import print_queue as jobs

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.config.kitchen import KitchenSettings
    from kspos.receipts.kitchen_slip import KitchenSlip
    from kspos.store.db import Database
    from kspos.store.unit import Unit

log = logging.getLogger(__name__)

KIND = "kitchen"  # print_job.kind of a kitchen slip
FIRST_BACKOFF_S, MAX_BACKOFF_S = 1.0, 30.0
NOT_CONFIGURED = "설정에 없는 프린터: 다른 프린터로 보내 주세요 (printer not in the config)"
IDLE_POLL_S = 0.5  # how soon a committed round's slip is picked up (the hook runs pre-commit)

PrinterFactory = Callable[[str], ReceiptPrinter]


def _stored(kitchen: KitchenSettings, slip: KitchenSlip) -> tuple[bytes, str | None]:
    """The bytes to store for ``slip`` on ``kitchen``; empty when they cannot be drawn now
    (raster without its font): the worker draws them from the slip at send time, and the
    round is never refused for it."""
    from kspos.receipts.fonts import ReceiptFontMissing

    try:
        return packed(render_slip(slip, kitchen.mode, kitchen.width))
    except (ReceiptFontMissing, ValueError) as exc:
        log.warning("kitchen slip for %s drawn at send time: %s", kitchen.name, exc)
        return b"", None


def enqueue_slip(unit: Unit, slip: KitchenSlip, kitchens: Iterable[KitchenSettings],
                 at: datetime) -> list[int]:
    """Queue ``slip`` for every kitchen printer that has lines in it, in ``unit``'s
    transaction (it commits, or not, with the caller's work); returns the job ids."""
    ids = []
    for kitchen, part in route(slip, kitchens):
        payload, encoding = _stored(kitchen, part)
        ids.append(jobs.add_job(unit, KIND, part.order_ref, payload, encoding, PENDING, None,
                                at, target=kitchen.name, slip_json=slip_to_json(part)))
    return ids


class KitchenQueue(PrintQueue):
    """One kitchen printer's jobs; a job stored without bytes is drawn from its slip."""

    def __init__(self, db: Database, printer: ReceiptPrinter | None,
                 kitchen: KitchenSettings) -> None:
        super().__init__(db, printer, mode=kitchen.mode, columns=kitchen.width,
                         target=kitchen.name)
        self.kitchen = kitchen

    def _bytes_of(self, row: Any) -> bytes:
        if row.payload or not row.slip_json:
            return super()._bytes_of(row)
        from kspos.receipts.fonts import ReceiptFontMissing

        try:
            return render_slip(slip_from_json(row.slip_json), self.mode, self.columns)
        except ReceiptFontMissing as exc:
            raise DeviceError(str(exc)) from None


def next_backoff(previous: float | None) -> float:
    """1 s after the first failure, then twice as long each time, at most 30 s."""
    return FIRST_BACKOFF_S if previous is None else min(previous * 2, MAX_BACKOFF_S)


class KitchenWorker:
    """Sends one kitchen printer's pending jobs on a thread of its own, with backoff."""

    def __init__(self, queue: KitchenQueue, idle_poll_s: float = IDLE_POLL_S) -> None:
        self.queue = queue
        self.idle_poll_s = idle_poll_s
        self.backoff: float | None = None  # None while the printer is fine
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> KitchenWorker:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name=f"kitchen-{self.queue.target}")
            self._thread.start()
        return self

    def stop(self, timeout_s: float = 20.0) -> None:
        """Ask the thread to end and wait for it (a send under way is let finish)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
        self._thread = None

    def wake(self) -> None:
        """Try now (a new, reprinted or redirected slip, or 재시도 from the screen)."""
        self.backoff = None
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                failed = self.drain()
            except Exception:  # noqa: BLE001 - a store hiccup: the jobs stay, tried again
                log.exception("kitchen printer %s", self.queue.target)
                failed = True
            self.backoff = next_backoff(self.backoff) if failed else None
            self._wake.wait(self.backoff or self.idle_poll_s)
            self._wake.clear()

    def drain(self) -> bool:
        """Send the pending jobs, oldest first, stopping at the first that fails (the rest
        would fail the same way); True when one failed."""
        for job in self.queue.pending():
            if self._stop.is_set():
                return False
            if not self.queue.print_job(job.id).printed:
                return True
        return False


@dataclass(frozen=True, slots=True)
class KitchenStatus:
    """How one kitchen printer is doing, for the screens."""

    name: str
    printer: str  # its device spec
    pending: int  # slips not printed yet
    failing: int  # of those, slips tried and not printed
    last_error: str | None

    @property
    def ok(self) -> bool:
        return self.failing == 0


class KitchenDesk:
    """Every ``[[kitchen]]`` printer: its queue and worker, and what the screens ask of them."""

    def __init__(self, kitchens: Iterable[KitchenSettings], db: Database,
                 printer_factory: PrinterFactory | None,
                 idle_poll_s: float = IDLE_POLL_S) -> None:
        self.db = db
        self.kitchens = tuple(kitchens)
        self.problems: dict[str, str] = {}  # printers that could not be built, and why
        self.queues: dict[str, KitchenQueue] = {}
        for kitchen in self.kitchens:
            self.queues[kitchen.name] = KitchenQueue(db, self._build(kitchen, printer_factory),
                                                     kitchen)
        self.workers = {name: KitchenWorker(queue, idle_poll_s)
                        for name, queue in self.queues.items()}

    @classmethod
    def from_settings(cls, settings: Settings, db: Database,
                      printer_factory: PrinterFactory | None) -> KitchenDesk | None:
        """The desk for ``[[kitchen]]``; None when no kitchen printer is configured."""
        if not settings.kitchens:
            return None
        return cls(settings.kitchens, db, printer_factory)

    def _build(self, kitchen: KitchenSettings,
               factory: PrinterFactory | None) -> ReceiptPrinter | None:
        if factory is None:
            self.problems[kitchen.name] = "no printer driver"
            return None
        try:
            return factory(kitchen.printer)
        except Exception as exc:  # noqa: BLE001 - a printer that cannot be built is a status
            self.problems[kitchen.name] = str(exc) or type(exc).__name__
            log.warning("kitchen printer %s (%s): %s", kitchen.name, kitchen.printer, exc)
            return None

    # --- the check service's hook ------------------------------------------------------------

    def on_kitchen(self, unit: Unit, slip: KitchenSlip) -> list[int]:
        """Queue ``slip`` in the caller's transaction; the workers pick it up once committed."""
        return enqueue_slip(unit, slip, self.kitchens, datetime.now())

    # --- running ----------------------------------------------------------------------------

    def start(self) -> KitchenDesk:
        for worker in self.workers.values():
            worker.start()
        return self

    def wake(self) -> None:
        """Send now rather than at the next poll (after a commit, or 재시도 on the screen)."""
        for worker in self.workers.values():
            worker.wake()

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()
        for queue in self.queues.values():
            close = getattr(queue.printer, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001 - closing never stops the shutdown
                    log.exception("closing kitchen printer %s", queue.target)

    # --- for the screens --------------------------------------------------------------------

    def pending(self, name: str | None = None) -> list[PrintJob]:
        """Slips not printed yet, of printer ``name`` or of all (those of a printer no longer
        in the config too: see :meth:`status`), oldest first."""
        rows = jobs.jobs_in_state(self.db, PENDING, name)
        return [PrintQueue._job(row) for row in rows if row.kind == KIND]

    def status(self) -> list[KitchenStatus]:
        """Each kitchen printer, in config order: pending and failing slips, the last error."""
        out = []
        for kitchen in self.kitchens:
            waiting = self.queues[kitchen.name].pending()
            failing = [job for job in waiting if job.attempts and job.last_error]
            error = failing[-1].last_error if failing else self.problems.get(kitchen.name)
            out.append(KitchenStatus(kitchen.name, kitchen.printer, len(waiting), len(failing),
                                     error if waiting or kitchen.name in self.problems
                                     else None))
        stranded: dict[str, int] = {}  # a printer taken out of the config with slips unsent
        for job in self.pending():
            if job.target not in self.queues:
                stranded[job.target] = stranded.get(job.target, 0) + 1
        out += [KitchenStatus(name, "", count, count, NOT_CONFIGURED)
                for name, count in stranded.items()]
        return out

    def failing(self) -> list[KitchenStatus]:
        """The printers with slips that did not print (주방 출력 실패)."""
        return [s for s in self.status() if not s.ok]

    def reprint(self, job_id: int) -> int:
        """Queue the job's slip again on the same printer, marked 재출력; the new job's id."""
        row = jobs.job_row(self.db, job_id)
        if row is None or row.kind != KIND:
            raise KeyError(f"no kitchen slip {job_id}")
        return self._requeue(row, row.target, reprint=True)

    def redirect(self, job_id: int, other: str) -> int:
        """Send the job's slip to printer ``other`` instead (다른 프린터로): a pending job is
        withdrawn from its printer, and the slip queued on ``other``, drawn for that printer
        (marked 재출력 when it had printed already). The new job's id."""
        self._queue(other)
        row = jobs.job_row(self.db, job_id)
        if row is None or row.kind != KIND:
            raise KeyError(f"no kitchen slip {job_id}")
        source = self.queues.get(row.target)
        lock = source._print_lock if source is not None else threading.Lock()
        with lock:  # not while its worker is sending it: the slip would print twice
            row = jobs.job_row(self.db, job_id)
            printed = row.state != PENDING
            new_id = self._requeue(row, other, reprint=printed, withdraw=not printed)
        return new_id

    def _requeue(self, row: Any, target: str, reprint: bool, withdraw: bool = False) -> int:
        kitchen = self._queue(target).kitchen
        slip = slip_from_json(row.slip_json) if row.slip_json else None
        if slip is not None:
            slip = as_reprint(slip) if reprint else slip
            payload, encoding = _stored(kitchen, slip)
            slip_json: str | None = slip_to_json(slip)
        else:  # a job without its slip: the bytes as they were
            payload, encoding, slip_json = bytes(row.payload), row.encoding, None
        new_id = jobs.add_job_withdrawing(
            self.db, row.id if withdraw else None, DISCARDED,
            f"다른 프린터로 (moved to {target})", KIND, row.ref, payload, encoding,
            datetime.now(), target, slip_json)
        self.workers[target].wake()
        return new_id

    def _queue(self, name: str) -> KitchenQueue:
        queue = self.queues.get(name)
        if queue is None:
            raise KeyError(f"no kitchen printer named {name!r}")
        return queue

