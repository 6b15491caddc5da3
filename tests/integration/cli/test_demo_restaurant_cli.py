"""`kspos demo-data --kind restaurant --print`: a restaurant's history through the check core,
its kitchen slips printed, and `kspos report sales` counting its guests, zones and tables."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tests.integration.cli.test_cli_contract import run


def test_a_restaurant_history_reports_guests_zones_and_tables(tmp_path: Path) -> None:
    data = tmp_path / "restaurant"
    made = run("--data-dir", str(data), "demo-data", "--days", "2", "--orders-per-day", "40",
               "--kind", "restaurant", "--print", "--seed", "7", data_dir=tmp_path,
               timeout=120)
    assert made.returncode == 0, made.stderr
    assert "kitchen slips: all printed" in made.stdout
    yesterday = date.today() - timedelta(days=1)
    first = yesterday - timedelta(days=1)
    report = run("--data-dir", str(data), "report", "sales", "--from", first.isoformat(),
                 "--to", yesterday.isoformat(), "--by", "table", "--format", "json",
                 data_dir=tmp_path)
    assert report.returncode == 0, report.stderr
    summary = json.loads(report.stdout)
    totals, rows = summary["totals"], summary["rows"]
    assert totals["orders"] >= 40 and totals["guests"] >= totals["orders"]
    assert abs(totals["per_guest"] - totals["net_sales"] / totals["guests"]) <= 0.5
    assert sum(r["net_sales"] for r in rows) == totals["net_sales"]
    assert sum(r["guests"] for r in rows) == totals["guests"]
    assert {r["label"].split()[0] for r in rows} <= {"홀", "룸", "테라스"}
    zones = run("--data-dir", str(data), "report", "sales", "--from", first.isoformat(),
                "--to", yesterday.isoformat(), "--by", "zone", "--format", "json",
                data_dir=tmp_path)
    assert {r["key"] for r in json.loads(zones.stdout)["rows"]} <= {"홀", "룸", "테라스"}


def test_print_without_kitchen_printers_is_bad_usage(tmp_path: Path) -> None:
    refused = run("demo-data", "--days", "1", "--orders-per-day", "5", "--print",
                  data_dir=tmp_path)
    assert refused.returncode == 2 and "--print" in refused.stderr
    assert "Traceback" not in refused.stderr
