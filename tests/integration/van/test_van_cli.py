"""The ``kspos van-sim`` and ``kspos van`` commands as subprocesses: the CLI contract, a client
killed mid-exchange, and card data that never lands on disk or in the output."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kspos.van.simulator import Fault, SimulatorThread
from kspos.van.store import REVERSED, VanReversal
from tests.integration.van.conftest import TID, kspos_command

PAN = "4111111111111111"
Run = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def sim_process(data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``kspos van-sim --port 0`` in its own process; the port is read from what it prints."""
    proc = subprocess.Popen([*kspos_command(), "van-sim", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "listening on 127.0.0.1:" in line, line + (proc.stderr.read() if proc.stderr else "")
    port = int(line.rsplit(":", 1)[1].split()[0])
    yield proc, port
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def as_json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_the_cli_against_a_van_sim_process(
        sim_process: tuple[subprocess.Popen[str], int], run_kspos: Run) -> None:
    proc, port = sim_process
    van = ["--van", f"tcp:127.0.0.1:{port}", "--tid", TID, "--json"]
    test = run_kspos("van", "test", *van)
    assert test.returncode == 0, test.stderr
    assert as_json(test)["type"] == "0810" and as_json(test)["message"] == "망점검정상"

    approve = run_kspos("van", "approve", "--amount", "60000", "--card", f"{PAN}=3012",
                        "--installment", "3", *van)
    assert approve.returncode == 0, approve.stderr
    data = as_json(approve)
    assert (data["type"], data["status"], data["code"], data["masked_pan"]) == \
        ("0210", "O", "0000", "411111******1111")
    for name in ("approval_no", "approval_date", "approved_at", "serial", "issuer_code",
                 "issuer", "acquirer_code", "acquirer", "merchant_no", "van_txn_id"):
        assert data[name], name
    assert data["network_cancel"] is None

    partial = run_kspos("van", "cancel", "--approval", data["approval_no"], "--date",
                        data["approval_date"], "--amount", "10000", "--partial", "--card",
                        f"{PAN}=3012", *van)
    assert partial.returncode == 0, partial.stderr
    assert as_json(partial)["type"] == "7430"

    declined = run_kspos("van", "approve", "--amount", "1000", "--card",
                         "4000000000000002=3012", *van)
    assert declined.returncode == 1
    assert (as_json(declined)["status"], as_json(declined)["code"]) == ("X", "7001")

    bad = run_kspos("van", "approve", "--amount", "1000", "--card", f"{PAN}=30", *van)
    assert bad.returncode == 2 and bad.stdout == ""
    assert "PAN=YYMM" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert PAN not in bad.stderr and "Traceback" not in bad.stderr

    proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and "stopped" in out


def test_van_sim_refuses_a_bad_fault(run_kspos: Run) -> None:
    done = run_kspos("van-sim", "--port", "0", "--fault", "sometimes")
    assert done.returncode == 2 and "--fault" in done.stderr


def rows(db_path: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM van_reversal")]


def kill_mid_exchange(sim: SimulatorThread, data_dir: Path) -> str:
    """Start ``kspos van approve`` against a host that never answers and SIGKILL it once the
    host has the request (and approved it). Returns the serial left in the journal."""
    sim.sim.fault = Fault("timeout")
    proc = subprocess.Popen([*kspos_command(), "van", "approve", "--amount", "15000", "--card",
                             f"{PAN}=3012", "--van", f"tcp:127.0.0.1:{sim.port}", "--tid", TID,
                             "--timeout", "60", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert sim.sim.wait_for_requests(1, timeout_s=30), "the request never arrived"
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    [entry] = rows(data_dir / "kspos.sqlite3")
    assert entry["state"] == "intent" and entry["tid"] == TID
    txn = sim.sim.state.transaction(TID, entry["serial"])
    assert txn is not None and not txn.reversed  # approved at the host, unknown to the POS
    sim.sim.fault = Fault()
    return str(entry["serial"])


def test_a_client_killed_mid_exchange_is_reversed_by_the_next_van_test(
        sim: SimulatorThread, data_dir: Path, run_kspos: Run) -> None:
    serial = kill_mid_exchange(sim, data_dir)
    after = run_kspos("van", "test", "--van", f"tcp:127.0.0.1:{sim.port}", "--tid", TID)
    assert after.returncode == 0, after.stderr
    assert f"망취소 serial {serial}: done (망취소완료)" in after.stderr
    txn = sim.sim.state.transaction(TID, serial)
    assert txn is not None and txn.reversed
    [entry] = rows(data_dir / "kspos.sqlite3")
    assert entry["state"] == REVERSED


def test_a_client_killed_mid_exchange_is_reversed_by_resume_pending_at_start_up(
        sim: SimulatorThread, data_dir: Path, db: Any) -> None:
    from kspos.van.client import Timeouts, VanClient
    from kspos.van.link import TcpVanLink

    serial = kill_mid_exchange(sim, data_dir)
    client = VanClient(db, TcpVanLink("127.0.0.1", sim.port), TID, Timeouts(1.0, 1.0))
    assert [p.serial for p in client.pending_reversals()] == [serial]
    [outcome] = client.resume_pending()
    assert outcome.done and outcome.message == "망취소완료"
    txn = sim.sim.state.transaction(TID, serial)
    assert txn is not None and txn.reversed
    assert sim.sim.state.live_approvals() == []
    with db.session() as session:
        entry = session.get(VanReversal, 1)
        assert entry is not None and entry.state == REVERSED


def test_no_full_card_number_in_the_database_wal_log_or_json(
        sim: SimulatorThread, data_dir: Path, db: Any, run_kspos: Run) -> None:
    from kspos.van.client import ReversalPolicy, Timeouts, VanClient
    from kspos.van.link import TcpVanLink

    keep_wal = sqlite3.connect(data_dir / "kspos.sqlite3")  # keeps the -wal file alive
    keep_wal.execute("SELECT count(*) FROM van_serial").fetchall()
    van = ["--van", f"tcp:127.0.0.1:{sim.port}", "--tid", TID, "--json", "-v"]
    outputs = [run_kspos("van", "approve", "--amount", "55000", "--card", f"{PAN}=3012", *van),
               run_kspos("van", "approve", "--amount", "1000", "--card",
                         "4000000000009995=3012", *van)]
    sim.sim.fault = Fault("drop")
    outputs.append(run_kspos("van", "approve", "--amount", "2000", "--card", f"{PAN}=3012",
                             "--timeout", "0.3", *van))
    assert as_json(outputs[-1])["network_cancel"]["status"] == "pending"
    sim.sim.fault = Fault()
    client = VanClient(db, TcpVanLink("127.0.0.1", sim.port), TID, Timeouts(1.0, 1.0),
                       policy=ReversalPolicy(immediate=(0.0,)))
    assert client.approve_card(3_000, keyed=f"{PAN}=3012").approved  # resumes the 망취소 first
    sim.sim.fault = Fault("garble")
    client.approve_card(3_000, keyed=f"{PAN}=3012")
    sim.sim.fault = Fault()
    client.resume_pending()
    assert client.pending_reversals() == []
    assert [o.returncode for o in outputs] == [0, 1, 1]
    assert any(as_json(o)["masked_pan"] == "411111******1111" for o in outputs)

    files = [p for p in data_dir.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"kspos.sqlite3", "kspos.sqlite3-wal", "kspos.log"} <= names, names
    log_text = (data_dir / "logs" / "kspos.log").read_text(encoding="utf-8")
    assert "VAN KI 0200" in log_text  # the exchanges were logged, masked
    for secret in (PAN, "4000000000009995"):
        for path in files:
            assert secret.encode() not in path.read_bytes(), path
        for done in outputs:
            assert secret not in done.stdout and secret not in done.stderr
    keep_wal.close()
