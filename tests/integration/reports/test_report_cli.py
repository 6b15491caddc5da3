"""`kspos report sales` and `kspos demo-data` as a user runs them: separate processes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest


def kspos(*args: str, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KSPOS_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kspos.cli", *args], capture_output=True,
                          env=env, timeout=120, check=False)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """Three closed days of demo data made by the command itself."""
    data = tmp_path_factory.mktemp("cli-data")
    done = kspos("demo-data", "--days", "3", "--orders-per-day", "12", "--seed", "4",
                 data_dir=data)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "3 days" in out and "paid orders" in out
    return data


def _range() -> tuple[str, str]:
    end = date.today() - timedelta(days=1)
    return (end - timedelta(days=2)).isoformat(), end.isoformat()


def test_json_rows_sum_to_net_sales_in_every_grouping(history) -> None:  # type: ignore[no-untyped-def]
    start, end = _range()
    totals = None
    for by in ("day", "hour", "category", "item", "tender"):
        done = kspos("report", "sales", "--from", start, "--to", end, "--by", by,
                     "--format", "json", data_dir=history)
        assert done.returncode == 0, done.stderr.decode()
        data = json.loads(done.stdout)
        assert (data["from"], data["to"], data["by"]) == (start, end, by)
        assert data["totals"]["orders"] > 0
        assert sum(r["net_sales"] for r in data["rows"]) == data["totals"]["net_sales"]
        assert totals in (None, data["totals"])
        totals = data["totals"]
    assert len(json.loads(kspos("report", "sales", "--from", start, "--to", end, "--format",
                                "json", data_dir=history).stdout)["rows"]) == 3


def test_csv_and_xlsx_files(history, tmp_path) -> None:  # type: ignore[no-untyped-def]
    start, end = _range()
    done = kspos("report", "sales", "--from", start, "--to", end, "--by", "item", "--format",
                 "csv", data_dir=history)
    assert done.returncode == 0
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert rows[0][1] == "메뉴명" and rows[-1][0] == "합계"
    out = tmp_path / "year.xlsx"
    done = kspos("report", "sales", "--from", start, "--to", end, "--format", "xlsx", "--out",
                 str(out), data_dir=history)
    assert done.returncode == 0 and out.stat().st_size > 1000


@pytest.mark.parametrize("args", [
    ("--from", "2026-13-01", "--to", "2026-12-31"),
    ("--from", "2026-03-05", "--to", "2026-03-01"),
    ("--from", "yesterday", "--to", "2026-03-01"),
    ("--from", "2026-03-01", "--to", "2026-03-02", "--format", "xlsx"),
    ("--from", "2026-03-01", "--to", "2026-03-02", "--by", "week"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, args) -> None:  # type: ignore[no-untyped-def]
    done = kspos("report", "sales", *args, data_dir=tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_empty_store_reports_zero(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = kspos("report", "sales", "--from", "2026-03-01", "--to", "2026-03-31", "--format",
                 "json", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["totals"]["net_sales"] == 0 and data["rows"] == []


def test_demo_data_bad_usage(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = kspos("demo-data", "--days", "0", "--orders-per-day", "5", data_dir=tmp_path)
    assert done.returncode == 2 and "--days" in done.stderr.decode()


# What a day's report must not load: each costs the ≤ 50 ms process several milliseconds
# (dataclasses ~13 ms, logging ~10, platformdirs ~10, pathlib ~6, typing ~5, tomllib ~4) or,
# for SQLAlchemy and Alembic, far more. csv and openpyxl belong to the other formats.
NOT_AT_START = ("dataclasses", "logging", "platformdirs", "pathlib", "typing", "tomllib",
                "csv", "openpyxl", "sqlalchemy", "alembic", "kspos.devices.specs")


def test_a_json_report_loads_only_what_it_needs(history, tmp_path) -> None:  # type: ignore[no-untyped-def]
    start, end = _range()
    script = ("import sys\nfrom kspos.cli import main\n"
              f"code = main(['report', 'sales', '--from', {start!r}, '--to', {end!r}, "
              "'--by', 'item', '--format', 'json'])\n"
              f"print(sorted(m for m in {NOT_AT_START!r} if m in sys.modules), file=sys.stderr)\n"
              "sys.exit(code)\n")
    env = {**os.environ, "KSPOS_DATA_DIR": str(history),
           "XDG_CONFIG_HOME": str(tmp_path / "no-config")}  # no config file: demo mode
    env.pop("KSPOS_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["totals"]["orders"] > 0
    assert done.stderr.decode().strip() == "[]"
