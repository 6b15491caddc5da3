"""``kspos van approve|cancel`` keep every host answer durably (in the transaction that clears
the 망취소 intent) and ``kspos van list`` shows them: a technician's approval killed after the
answer is never an approval nobody can name."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kspos.van.simulator import SimulatorThread
from tests.integration.van.conftest import TID, kspos_command

PAN = "4111111111111111"
Run = Callable[..., "subprocess.CompletedProcess[str]"]


def _van(sim: SimulatorThread) -> list[str]:
    return ["--van", f"tcp:127.0.0.1:{sim.port}", "--tid", TID]


def _listed(run_kspos: Run) -> dict[str, Any]:
    done = run_kspos("van", "list", "--json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_van_list_shows_what_the_host_approved_and_cancelled(
        sim: SimulatorThread, run_kspos: Run, data_dir: Path) -> None:
    approve = run_kspos("van", "approve", "--amount", "12000", "--card", f"{PAN}=3012",
                        *_van(sim), "--json")
    assert approve.returncode == 0, approve.stderr
    approved = json.loads(approve.stdout)
    cancel = run_kspos("van", "cancel", "--approval", approved["approval_no"], "--date",
                       approved["approval_date"], "--amount", "12000", *_van(sim), "--json")
    assert cancel.returncode == 0, cancel.stderr
    declined = run_kspos("van", "approve", "--amount", "1000", "--card",
                         "4000000000000002=3012", *_van(sim))
    assert declined.returncode == 1
    rows = _listed(run_kspos)["transactions"]
    assert [(r["request_type"], r["status"], r["code"]) for r in rows] == \
        [("0200", "X", "7001"), ("0420", "O", "0000"), ("0200", "O", "0000")]  # newest first
    first = rows[-1]
    assert (first["approval_no"], first["approval_date"], first["amount"], first["masked_pan"],
            first["tid"], first["serial"]) == \
        (approved["approval_no"], approved["approval_date"], 12_000, "411111******1111", TID,
         approved["serial"])
    assert rows[1]["orig_approval_no"] == approved["approval_no"]
    human = run_kspos("van", "list")
    assert human.returncode == 0 and approved["approval_no"] in human.stdout
    assert PAN not in human.stdout + json.dumps(rows)
    with sqlite3.connect(data_dir / "kspos.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
    assert PAN not in dump and approved["approval_no"] in dump


def test_kill_9_after_the_answer_never_loses_an_approval(
        sim: SimulatorThread, run_kspos: Run) -> None:
    """SIGKILL `kspos van approve` at random moments around the answer: afterwards every
    approval the host still holds is one `kspos van list` names (the rest were reversed)."""
    rng = random.Random(15)
    for _ in range(12):
        seen = sim.sim.requests_seen
        proc = subprocess.Popen([*kspos_command(), "van", "approve", "--amount", "5000",
                                 "--card", f"{PAN}=3012", *_van(sim), "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert sim.sim.wait_for_requests(seen + 1, timeout_s=30)
            time.sleep(rng.uniform(0.0, 0.04))  # the answer, the commit, the printing
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=10)
    finish = run_kspos("van", "test", *_van(sim))  # finishes what the kills left owed
    assert finish.returncode == 0, finish.stderr
    listed = {r["approval_no"] for r in _listed(run_kspos)["transactions"] if r["status"] == "O"}
    live = {t.approval_no for t in sim.sim.state.live_approvals()}
    assert live <= listed, live - listed


def test_van_list_shows_the_network_cancels_too(sim: SimulatorThread, run_kspos: Run) -> None:
    from kspos.van.simulator import Fault

    sim.sim.fault = Fault("drop")  # every answer lost: the 0200 and its in-line 0440s
    lost = run_kspos("van", "approve", "--amount", "7000", "--card", f"{PAN}=3012", *_van(sim),
                     "--timeout", "0.5", "--json")
    assert lost.returncode == 1
    serial = json.loads(lost.stdout)["serial"]
    [entry] = _listed(run_kspos)["network_cancels"]
    assert (entry["serial"], entry["state"], entry["amount"], entry["request_type"]) == \
        (serial, "pending", 7_000, "0200")
    sim.sim.fault = Fault()
    assert run_kspos("van", "test", *_van(sim)).returncode == 0  # finishes it
    [entry] = _listed(run_kspos)["network_cancels"]
    assert (entry["state"], entry["message"]) == ("reversed", "원거래없음")
    human = run_kspos("van", "list")
    assert serial in human.stdout and "망취소" in human.stdout
