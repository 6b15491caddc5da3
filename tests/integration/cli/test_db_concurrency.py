"""Two processes on one new store at once: the migrations and `demo-data`.

One waits for the other, or says in one line that the store is in use; never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from kspos.store.db import known_revisions
from tests.integration.cli.test_cli_contract import KSPOS


def _start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, KSPOS_DATA_DIR=str(data_dir), XDG_CONFIG_HOME=str(data_dir / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    return subprocess.Popen([*KSPOS, *args], env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _both(data_dir: Path, *args: str) -> list[tuple[int, str]]:
    procs = [_start(data_dir, *args), _start(data_dir, *args)]
    results = []
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        results.append((proc.returncode, err))
    return results


def test_two_processes_creating_a_new_store_both_end_at_head(tmp_path: Path) -> None:
    for attempt in range(4):  # the race is narrow: run it a few times on fresh folders
        data = tmp_path / f"store-{attempt}"
        data.mkdir()
        for code, err in _both(data, "db", "upgrade"):
            assert "Traceback" not in err and code == 0, err
        with sqlite3.connect(data / "kspos.sqlite3") as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert revision == [(known_revisions()[1],)]


def test_two_demo_data_runs_one_waits_or_says_in_use(tmp_path: Path) -> None:
    results = _both(tmp_path, "demo-data", "--days", "5", "--orders-per-day", "80")
    assert sorted(code for code, _ in results)[0] == 0, results
    for code, err in results:
        assert "Traceback" not in err and "unexpected error" not in err, err
        if code != 0:
            assert code == 1 and len(err.strip().splitlines()) == 1
            assert "in use" in err or "사용 중" in err
    with sqlite3.connect(tmp_path / "kspos.sqlite3") as conn:  # each day once
        days = conn.execute("SELECT day, count(*) FROM business_day GROUP BY day").fetchall()
    assert len(days) == 5 and all(n == 1 for _, n in days)
