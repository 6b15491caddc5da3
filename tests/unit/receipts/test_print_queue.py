"""The print queue keeps a receipt the printer could not print, and prints it on retry."""

from __future__ import annotations

from pathlib import Path

from drivers.sim.printer import SimPrinter
from kspos.ports import DeviceError, PrinterStatus
from kspos.receipts.queue import DISCARDED, PrintQueue
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from kspos.store import Database


class RunsOutMidway:
    """A printer (our ReceiptPrinter port) whose paper ends while the receipt prints."""

    spec = "fake"

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def open(self) -> None: ...
    def close(self) -> None: ...

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def status(self) -> PrinterStatus:
        out = bool(self.written)
        return PrinterStatus(online=not out, paper_out=out, detail="용지 없음 (paper out)" * out)


class Unplugged(RunsOutMidway):
    def status(self) -> PrinterStatus:
        return PrinterStatus(known=False)

    def write(self, data: bytes) -> None:
        raise DeviceError("프린터 연결 실패 (cannot connect to printer)")


def test_a_paper_out_keeps_the_job_and_a_retry_prints_it(db: Database) -> None:
    printer = SimPrinter()
    queue = PrintQueue(db, printer, mode="text", columns=48)
    printer.paper_out = True
    job = queue.submit(sample_receipt(), "sale", "20261125-0042")
    assert not job.printed and job.attempts == 1
    assert job.last_error is not None and "paper out" in job.last_error
    assert printer.sent == []
    assert [j.id for j in queue.pending()] == [job.id]

    printer.paper_out = False  # the cashier loads a new roll
    [retried] = queue.retry_pending()
    assert retried.printed and retried.attempts == 2 and retried.last_error is None
    assert queue.pending() == []
    assert printer.output == render(sample_receipt(), "text", 48)
    assert "신용카드" in "\n".join(printer.printout().rows)


def test_the_job_survives_a_restart(db: Database, data_dir: Path) -> None:
    printer = SimPrinter()
    printer.offline = True
    PrintQueue(db, printer, mode="text").submit(sample_receipt(), "sale", "20261125-0042")
    db.close()
    reopened = Database(data_dir / "kspos.sqlite3").open()
    try:
        printer.offline = False
        queue = PrintQueue(reopened, printer, mode="text")
        [pending] = queue.pending()
        assert pending.ref == "20261125-0042" and pending.kind == "sale"
        assert queue.retry_pending()[0].printed
    finally:
        reopened.close()


def test_retry_stops_at_the_first_failure_and_keeps_order(db: Database) -> None:
    printer = RunsOutMidway()
    queue = PrintQueue(db, None, mode="text")
    first = queue.enqueue(b"first", "sale", "1")
    second = queue.enqueue(b"second", "sale", "2")
    assert [j.id for j in queue.pending()] == [first, second]
    queue.printer = Unplugged()
    tried = queue.retry_pending()
    assert [j.id for j in tried] == [first]  # the second was not tried against a dead printer
    assert "cannot connect" in (tried[0].last_error or "")
    queue.printer = printer
    tried = queue.retry_pending()  # paper ends while printing the first: print it again later
    assert [j.id for j in tried] == [first] and not tried[0].printed
    assert "paper ran out" in (tried[0].last_error or "")
    assert printer.written == [b"first"]


def test_no_printer_configured_keeps_the_job(db: Database) -> None:
    queue = PrintQueue(db, None, mode="text")
    job = queue.submit(b"data", "sale", "x")
    assert not job.printed and "no printer" in (job.last_error or "")


def test_drawer_kick_is_sent_once_and_never_stored(db: Database) -> None:
    printer = SimPrinter()
    queue = PrintQueue(db, printer, mode="text")
    printer.paper_out = True
    job = queue.submit(sample_receipt(), "sale", "r", open_drawer=True)
    assert b"\x1bp" not in queue.payload(job.id)
    printer.paper_out = False
    queue.retry_pending()
    assert printer.drawer_kicks == 0  # a reprint later must not open the drawer
    queue.submit(b"x", "sale", "r2", open_drawer=True)
    assert printer.drawer_kicks == 1


def test_discarded_jobs_leave_the_queue(db: Database) -> None:
    queue = PrintQueue(db, Unplugged(), mode="text")
    job = queue.submit(b"x", "sale", "r")
    queue.discard(job.id)
    assert queue.pending() == []
    assert queue.get(job.id).state == DISCARDED  # type: ignore[union-attr]
    assert queue.print_job(job.id).state == DISCARDED


def test_a_raster_slip_is_stored_small_and_prints_byte_for_byte(db: Database) -> None:
    printer = SimPrinter()
    queue = PrintQueue(db, printer, mode="raster", columns=48)
    expected = render(sample_receipt(), "raster", 48)
    job = queue.submit(sample_receipt(), "sale", "20261125-0042")
    assert job.printed
    assert printer.output == expected
    assert queue.payload(job.id) == expected
    assert job.size < len(expected) // 4  # deflated in the database


def test_a_job_stored_before_compression_still_prints(db: Database) -> None:
    """A store upgraded with raw jobs pending (encoding NULL) prints them unchanged."""
    import sqlalchemy as sa

    printer = SimPrinter()
    queue = PrintQueue(db, printer, mode="raster", columns=48)
    raw = render(sample_receipt(), "raster", 48)
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO print_job (kind, ref, payload, state, attempts, "
                             "created_at) VALUES ('sale', 'old', :p, 'pending', 0, "
                             "'2026-11-24 10:00:00')"), {"p": raw})
    [job] = queue.retry_pending()
    assert job.printed and printer.output == raw
