"""The durable print queue: a receipt is written to the database before the printer is asked.

A sale never waits on paper: when the printer is out of paper, offline or unplugged the job
stays ``pending`` with its error, and ``retry_pending()`` prints it later (the cashier's "다시
인쇄"). A job that was being sent when the program died stays pending too. Printing calls
block on device I/O: the UI runs them on the printer's worker thread; ``enqueue`` only touches
the database.

The drawer kick is never stored in a job: a retried receipt an hour later must not open the
drawer. ``submit(..., open_drawer=True)`` sends it once, right after the first attempt.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kspos.ports import DeviceError, PrinterStatus, ReceiptPrinter
from kspos.receipts import escpos
from kspos.receipts.layout import Layout
from kspos.receipts.model import Receipt
from kspos.store import print_queue as jobs

if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

PENDING, DONE, DISCARDED = "pending", "done", "discarded"
SKIPPED = "skipped"  # kept, not printed: the store prints card slips only on request
DEFLATE = "deflate"  # print_job.encoding: the payload is zlib-compressed printer bytes


@dataclass(frozen=True, slots=True)
class PrintJob:
    """One queued receipt (without its bytes)."""

    id: int
    kind: str
    ref: str
    state: str
    attempts: int
    last_error: str | None
    created_at: datetime
    printed_at: datetime | None
    size: int  # bytes as stored (deflated for raster slips)
    target: str = ""  # the printer: '' the receipt printer, else a [[kitchen]] printer's name

    @property
    def printed(self) -> bool:
        return self.state == DONE


class PrintQueue:
    """Jobs for one printer, rendered with one mode and width (the config's printer_*).

    ``target`` is the printer's name in ``print_job.target``: '' the receipt printer, else a
    ``[[kitchen]]`` printer (:mod:`kspos.receipts.kitchen_queue`); each queue reads only its
    own jobs."""

    def __init__(self, db: Database, printer: ReceiptPrinter | None, *, mode: str = "raster",
                 columns: int = 48,
                 profile: escpos.PrinterProfile = escpos.DEFAULT_PROFILE,
                 target: str = jobs.RECEIPT_PRINTER) -> None:
        self.db = db
        self.target = target
        self.printer = printer
        self.mode = mode
        self.columns = columns
        self.profile = profile
        self._print_lock = threading.Lock()

    # --- writing jobs -----------------------------------------------------------------------

    def render(self, receipt: Receipt | Layout) -> bytes:
        """The bytes a job stores; a missing font becomes a DeviceError for the screens."""
        from kspos.receipts.fonts import ReceiptFontMissing
        from kspos.receipts.render import render

        try:
            return render(receipt, self.mode, self.columns, profile=self.profile)
        except ReceiptFontMissing as exc:
            raise DeviceError(str(exc)) from None

    def enqueue(self, job: bytes | Receipt | Layout, kind: str, ref: str = "",
                skip: str | None = None) -> int:
        """Store a job (rendering a receipt first); returns its id. Database only, no device.
        ``skip``: keep it unprinted (state ``skipped``), this being why."""
        payload = job if isinstance(job, bytes) else self.render(job)
        packed, encoding = _packed(payload)
        return jobs.add_job_now(self.db, kind, ref, packed, encoding,
                                SKIPPED if skip else PENDING, skip, datetime.now())

    def enqueue_in(self, unit: Unit, payload: bytes, kind: str, ref: str = "",
                   skip: str | None = None) -> int:
        """Store rendered bytes in the caller's transaction (``unit``: a Session or a Core
        connection); returns the job id. It commits, or not, with the caller's work."""
        packed, encoding = _packed(payload)
        return jobs.add_job(unit, kind, ref, packed, encoding, SKIPPED if skip else PENDING,
                            skip, datetime.now())

    def submit(self, job: bytes | Receipt | Layout, kind: str, ref: str = "", *,
               open_drawer: bool = False) -> PrintJob:
        """Store the job, then print it (blocking). Never raises for a printer problem: the
        returned job says ``pending`` with ``last_error`` and stays queued for a retry."""
        job_id = self.enqueue(job, kind, ref)
        result = self.print_job(job_id)
        if open_drawer:
            self.kick_drawer()
        return result

    # --- printing ---------------------------------------------------------------------------

    def print_job(self, job_id: int) -> PrintJob:
        """Send one job to the printer (blocking); the outcome is recorded on the job."""
        with self._print_lock:
            row = self._row(job_id)
            if row is None:
                raise KeyError(f"no print job {job_id}")
            if row.state != PENDING:
                return self.get(job_id)  # type: ignore[return-value]
            self._update(job_id, attempts=row.attempts + 1, last_attempt_at=datetime.now())
            try:
                payload = self._bytes_of(row)
            except DeviceError as exc:  # bytes that cannot be had now: kept, tried again
                error: str | None = str(exc) or type(exc).__name__
            else:
                error = self._send(payload)
            if error is None:
                self._update(job_id, state=DONE, last_error=None, printed_at=datetime.now())
            else:
                self._update(job_id, last_error=error)
            return self.get(job_id)  # type: ignore[return-value]

    def _bytes_of(self, row: Any) -> bytes:
        """The printer bytes of a job row; DeviceError when they cannot be had."""
        return _unpacked(row)

    def _send(self, payload: bytes) -> str | None:
        """Print ``payload``; the error message, or None when it went out."""
        printer = self.printer
        if printer is None:
            return "프린터 없음 (no printer configured)"
        try:
            before = printer.status()
            if before.known and not before.ok:
                return _not_ready(before)
            printer.write(payload)
            after = printer.status()  # paper may run out half-way: print it again then
            if after.known and after.paper_out:
                return "인쇄 중 용지 없음 (paper ran out while printing): " + _not_ready(after)
        except DeviceError as exc:
            return str(exc) or type(exc).__name__
        return None

    def retry_pending(self) -> list[PrintJob]:
        """Print the pending jobs, oldest first; stop at the first that fails (the printer
        is not ready yet, the rest would fail the same way). Returns the jobs tried."""
        tried: list[PrintJob] = []
        for job in self.pending():
            result = self.print_job(job.id)
            tried.append(result)
            if not result.printed:
                break
        return tried

    def kick_drawer(self) -> None:
        """Open the cash drawer through the printer; a failure is logged, never raised."""
        import logging

        try:
            if self.printer is None:
                raise DeviceError("프린터 없음 (no printer configured)")
            self.printer.write(escpos.DRAWER_KICK)
        except DeviceError as exc:
            logging.getLogger(__name__).warning("drawer kick failed: %s", exc)

    # --- reading ----------------------------------------------------------------------------

    def pending(self) -> list[PrintJob]:
        """Jobs not printed yet (never tried, failed, or interrupted), oldest first."""
        return [self._job(row) for row in jobs.jobs_in_state(self.db, PENDING, self.target)]

    def get(self, job_id: int) -> PrintJob | None:
        row = jobs.job_listing(self.db, job_id)
        return None if row is None else self._job(row)

    def payload(self, job_id: int) -> bytes:
        """A job's stored bytes (reprints, previews)."""
        row = self._row(job_id)
        if row is None:
            raise KeyError(f"no print job {job_id}")
        return _unpacked(row)

    def release(self, job_id: int) -> bool:
        """A kept (skipped) job is wanted after all: it becomes pending, to print with the
        others. One conditional update, so of two callers only one releases it; False when
        the job was not skipped (released already, printed, or another state)."""
        return jobs.set_state_if(self.db, job_id, SKIPPED, PENDING)

    def discard(self, job_id: int) -> None:
        """The cashier gives up on a pending job; it is kept, marked discarded."""
        self._update(job_id, state=DISCARDED)

    # --- rows -------------------------------------------------------------------------------

    def _row(self, job_id: int) -> Any:
        return jobs.job_row(self.db, job_id)

    def _update(self, job_id: int, **values: Any) -> None:
        jobs.update_job(self.db, job_id, **values)

    @staticmethod
    def _job(row: Any) -> PrintJob:
        return PrintJob(id=row.id, kind=row.kind, ref=row.ref, state=row.state,
                        attempts=row.attempts, last_error=row.last_error,
                        created_at=row.created_at, printed_at=row.printed_at, size=row.size,
                        target=row.target)


# Raster slips are mostly blank paper: deflated (fastest level, ~1 ms) they shrink ~9×, which
# keeps a sale's commit and the write-ahead log small. Short text-mode jobs stay as they are.
_PACK_FROM = 4096


def packed(payload: bytes) -> tuple[bytes, str | None]:
    """``payload`` as stored, and its ``print_job.encoding`` (None: as it is)."""
    return _packed(payload)


def _packed(payload: bytes) -> tuple[bytes, str | None]:
    if len(payload) < _PACK_FROM:
        return payload, None
    import zlib

    return zlib.compress(payload, 1), DEFLATE


def _unpacked(row: Any) -> bytes:
    """The printer bytes of a stored job row (``payload`` + ``encoding``)."""
    if row.encoding is None:
        return bytes(row.payload)
    if row.encoding != DEFLATE:
        raise DeviceError(f"print job {row.id}: unknown payload encoding {row.encoding!r}")
    import zlib

    return zlib.decompress(row.payload)


def _not_ready(status: PrinterStatus) -> str:
    return f"프린터 준비 안 됨 (printer not ready): {status.detail or 'offline'}"
