"""``kspos office serve --demo``: three demo stores whose history went through real terminals.

The demo office is started as a user would start it; the test waits for its "ready" line and
then checks what an owner would: every demo terminal's paid sales reached the office (per
store, the same count and the same 순매출 as the terminals' own reports), nothing is left in
any outbox, and today's sales keep arriving while it runs.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.integration.cli.test_cli_contract import KSPOS
from tests.integration.office_link.rig import _env, kspos
from tests.pg_rig import free_port

pytestmark = pytest.mark.timeout(300)


def _serve_demo(folder: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen([*KSPOS, "office", "serve", "--demo", "--port", str(port)],
                            env=_env(folder), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _wait_ready(process: subprocess.Popen[str]) -> list[str]:
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            raise AssertionError("the demo office ended:\n" + "".join(lines))
        lines.append(line)
        if line.startswith("demo: ready") or "did not finish" in line:
            return lines
    raise AssertionError("the demo office never got ready:\n" + "".join(lines))


def _terminal_report(folder: Path, terminal_dir: Path, start: date, end: date) -> dict:
    done = kspos("--config", str(terminal_dir / "kspos.toml"), "--data-dir", str(terminal_dir),
                 "report", "sales", "--from", start.isoformat(), "--to", end.isoformat(),
                 "--format", "json", folder=folder)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _office_figures(db: Path, store: str, start: date, end: date) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        count, total = conn.execute(
            "SELECT count(*), coalesce(sum(total), 0) FROM orders WHERE store_code = ? AND "
            "NOT training AND paid_at IS NOT NULL AND business_day BETWEEN ? AND ?",
            (store, start.isoformat(), end.isoformat())).fetchone()
        return int(count), int(total)
    finally:
        conn.close()


def test_demo_office_holds_every_terminals_sales(tmp_path: Path) -> None:
    port = free_port()
    process = _serve_demo(tmp_path, port)
    try:
        lines = _wait_ready(process)
        assert any(line.startswith("demo: ready") for line in lines), "".join(lines)
        assert all("pending 0" in line for line in lines if "sync:" in line), "".join(lines)
        base = tmp_path / "data" / "office-demo"
        office_db = base / "office.sqlite3"
        start, end = date.today() - timedelta(days=41), date.today() - timedelta(days=1)
        for store, terminals in (("S0001", ("01", "02")), ("S0002", ("01",)),
                                 ("S0003", ("01",))):
            reports = [_terminal_report(tmp_path, base / f"{store}-{n}", start, end)
                       for n in terminals]
            orders = sum(r["totals"]["orders"] for r in reports)
            gross = sum(r["totals"]["gross"] - r["totals"]["discounts"] - r["totals"]["service"]
                        for r in reports)
            assert orders > 1000
            assert _office_figures(office_db, store, start, end) == (orders, gross)
        # today's sales keep coming while the demo runs (a sale every few seconds)
        before = sum(_office_figures(office_db, s, date.today(), date.today())[0]
                     for s in ("S0001", "S0002", "S0003"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = sum(_office_figures(office_db, s, date.today(), date.today())[0]
                      for s in ("S0001", "S0002", "S0003"))
            if now > before:
                break
            time.sleep(1)
        else:
            raise AssertionError("no live sale reached the demo office in a minute")
    finally:
        process.terminate()
        process.wait(timeout=30)
