"""SIGKILL the store at 200+ points while it takes payments, refunds and prints, and check
after every restart that nothing was lost (tests/reliability/ledger.py says what that means).

The VAN host simulator lives in this process, so its memory (what it approved, cancelled and
reversed) survives every kill and is held against the SQLite file. The store runs in
``crash_driver``: one zygote process imports the stack once and forks one worker per life;
each worker opens the data dir, runs the start-up recovery, stops itself so the test can
check, then works until it is killed, either by the test after a random delay or by itself
at a chosen point (before a frame is sent, after it is sent, after the answer is read,
before/after a COMMIT, half-way through a receipt, around a fact's outbox row; also during a
recovery). After every restart the outbox holds a row for every fact and no other. The last restart
is a plain, freshly exec'd process.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from kspos.van.simulator import SimulatorThread
from tests.conftest import ROOT
from tests.reliability.ledger import Tally, problems

TID = "DPT0TEST03"
LIVES = int(os.environ.get("KSPOS_CRASH_LIVES", "205"))
WORK_OPS = ("card", "easypay", "cash_receipt", "mixed", "refund_lines", "refund_whole",
            "undo_split")
GIVING_BACK = ("refund_lines", "refund_whole", "undo_split")
WARM_UP = 8  # lives of plain work first, so refunds find paid orders
POINTS = ("link_before", "link_after_send", "link_after_response", "commit_before",
          "commit_after", "print_mid", "refund_claimed", "refund_before_release",
          "outbox_before", "outbox_after")
REFUND_POINTS = ("refund_claimed", "refund_before_release")


class Driver:
    """The zygote subprocess and its stdout lines."""

    def __init__(self, data_dir: Path, port: int, seed: int, log: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        self.stderr = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_driver", "zygote",
             "--data-dir", str(data_dir), "--van-port", str(port), "--seed", str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT,
            env=env, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("EOF")

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def expect(self, *prefixes: str, timeout: float = 20.0) -> list[str]:
        """The next line starting with one of ``prefixes`` (other lines are kept in seen)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {prefixes} from the driver in {timeout} s; "
                                     f"last lines: {self.seen[-5:]}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if line == "EOF":
                raise AssertionError(f"the driver ended; last lines: {self.seen[-8:]}")
            words = line.split(maxsplit=3)
            if words[0] in prefixes:
                return words

    def close(self) -> None:
        try:
            self.send("QUIT")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


def wait_stopped(pid: int, timeout: float = 10.0) -> None:
    """Until ``pid`` has stopped itself (it says READY just before its SIGSTOP)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] in ("T", "t"):
            return
        time.sleep(0.001)
    raise AssertionError(f"life {pid} did not stop after READY")


def choose_plan(rng: random.Random, n: int) -> str:
    """The first lives walk every point in every kind of work; then a random mix."""
    targets = [(point, op) for point in POINTS for op in WORK_OPS
               if not (point == "print_mid" and op in GIVING_BACK)
               and (point not in REFUND_POINTS or op in GIVING_BACK)]
    if n < WARM_UP:
        return "time"
    if n - WARM_UP < len(targets):
        point, op = targets[n - WARM_UP]
        return f"hook:{point}:{op}:1"
    roll = rng.random()
    if roll < 0.45:
        return "time"
    if roll < 0.55:
        points = ("link_before", "link_after_response", "commit_before", "outbox_before")
        return f"recovery:{rng.choice(points)}:1"
    point = rng.choice(POINTS)
    count = rng.randint(1, 8 if point.startswith("commit") else 3)
    return f"hook:{point}:any:{count}"


def check(data_dir: Path, sim: SimulatorThread, when: str, tally: Tally | None = None) -> None:
    broken = problems(data_dir / "kspos.sqlite3", sim.sim.state, TID, tally)
    assert not broken, f"after {when}:\n  " + "\n  ".join(broken[:20])


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_sigkill_anywhere_loses_no_money(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    rng = random.Random(20251125)
    started = time.monotonic()
    deaths: Counter[str] = Counter()
    kills = 0
    with SimulatorThread(seed=3) as sim:
        driver = Driver(data_dir, sim.port, 7, tmp_path / "driver.err")
        try:
            driver.expect("ZYGOTE")
            for n in range(LIVES):
                plan = choose_plan(rng, n)
                driver.send(f"LIFE {n} {plan}")
                words = driver.expect("READY", "EXIT", "DIE")
                if words[0] == "DIE":  # killed itself during the start-up recovery
                    deaths[f"{words[2]}@{words[3]}"] += 1
                    driver.expect("EXIT")
                    kills += 1
                    continue
                assert words[0] == "READY", f"life {n} ended before it was ready: {words}"
                pid = int(words[2])
                wait_stopped(pid)
                check(data_dir, sim, f"restart {n} (plan before: {plan})")
                os.kill(pid, signal.SIGCONT)
                if plan == "time":
                    time.sleep(rng.uniform(0.005, 0.35))
                    os.kill(pid, signal.SIGKILL)
                    deaths["time"] += 1
                    driver.expect("EXIT")
                else:
                    try:
                        words = driver.expect("DIE", timeout=2.5)
                        deaths[f"{words[2]}@{words[3]}"] += 1
                    except AssertionError:
                        os.kill(pid, signal.SIGKILL)  # the hook never came: end it anyway
                        deaths["time (hook not reached)"] += 1
                    driver.expect("EXIT")
                kills += 1
        finally:
            driver.close()
        tally = Tally()
        fresh = subprocess.run(
            [sys.executable, "-m", "tests.reliability.crash_driver", "recover",
             "--data-dir", str(data_dir), "--van-port", str(sim.port)],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
            text=True, timeout=60, check=False)
        assert fresh.returncode == 0 and "READY" in fresh.stdout, fresh.stderr[-2000:]
        check(data_dir, sim, "the final, freshly exec'd restart", tally)
    elapsed = time.monotonic() - started
    unexpected = [line for line in driver.seen if line.startswith("EXC")]
    assert not unexpected, "unexpected exceptions in the store:\n" + "\n".join(unexpected[:10])
    print(f"\n{kills} SIGKILLs in {elapsed:.0f} s; {tally}; deaths: {dict(deaths)}")
    refusals = Counter(line.split(maxsplit=3)[2] for line in driver.seen
                       if line.startswith("REFUSED"))
    print(f"refused (clear messages): {dict(refusals)}")
    assert kills >= 200
    for point in POINTS:
        assert any(key.startswith(point) for key in deaths), f"never died at {point}"
    assert any(key.endswith(("refund_lines", "refund_whole")) for key in deaths)
    assert any(key.endswith("undo_split") for key in deaths)
    assert any(key.endswith("recovery") for key in deaths)
    assert tally.paid > 100 and tally.refunds > 20  # the store did real work between kills


def test_an_order_interrupted_mid_split_can_be_finished_after_a_restart(tmp_path: Path) -> None:
    from kspos.config import demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices
    from kspos.sales.orders import OrderState
    from kspos.sales.staff import Role
    from kspos.store import Database

    settings = demo_settings(tmp_path / "data")

    def start() -> AppContext:
        return AppContext.create(settings, Database(settings.db_path).open(), Devices(),
                                 start_workers=False)

    context = start()
    owner = context.staff.first(Role.OWNER)
    context.register.staff = context.staff.first(Role.CASHIER)
    context.sales.days.open(owner, 50_000)
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    context.register.add_item(item.id, qty=3)
    context.register.pay_cash(item.price, amount=item.price)  # the first part of a split
    interrupted = context.register.order.id
    context.close()  # the power goes: the register's order in memory is gone

    context = start()
    try:
        context.register.staff = context.staff.first(Role.CASHIER)
        assert interrupted in [h.id for h in context.sales.held()], \
            "the interrupted order is not in 보류목록 (nor anywhere the cashier can reach)"
        context.register.recall(interrupted)
        assert context.register.remaining() == 2 * item.price
        context.register.pay_cash(2 * item.price)
        assert context.sales.load(interrupted).state is OrderState.PAID
        context.sales.days.close(owner, 50_000 + 3 * item.price)
    finally:
        context.close()
