"""Report speed on a year of demo data (365 days × ~800 orders, made through the sales core).

The dataset is generated once into a cache dir (``$KSPOS_BENCH_REPORTS_DIR`` or
/tmp/kspos-bench-reports) with ``kspos demo-data --days 365 --orders-per-day 800 --seed 1``;
generating it takes about half an hour on the 2-core VM, and the time it took is kept beside
it (generate.json) and reported. Later runs reuse it.

Figures: one business day and the whole year by item, in-process (what the 판매집계 screen
does on its worker thread) and as whole ``kspos report`` processes; the open day's live path;
the first year report on a store whose closed days were never sealed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# The full year takes ~36 min to generate on a 2-core VM the first time (then cached);
# KSPOS_BENCH_DAYS=30 gives a quick run whose year figures are not the goal's.
DAYS = int(os.environ.get("KSPOS_BENCH_DAYS", "365"))
ORDERS = int(os.environ.get("KSPOS_BENCH_ORDERS", "800"))
_SIZE = "" if (DAYS, ORDERS) == (365, 800) else f"-{DAYS}x{ORDERS}"
CACHE = Path(os.environ.get("KSPOS_BENCH_REPORTS_DIR", f"/tmp/kspos-bench-reports{_SIZE}"))


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "KSPOS_DATA_DIR": str(data_dir)}
    env.pop("KSPOS_CONFIG", None)
    # Bytecode cached, as on an installed POS (a sandbox may set PYTHONDONTWRITEBYTECODE).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# The installed `kspos` command, as an owner runs it (not `python -m`, which adds runpy).
_COMMAND = Path(sys.executable).with_name("kspos")
KSPOS = [str(_COMMAND)] if _COMMAND.exists() else [sys.executable, "-m", "kspos.cli"]


def _kspos(*args: str, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*KSPOS, *args], env=_env(data_dir), capture_output=True, check=True)


def dataset() -> tuple[Path, dict[str, float]]:
    """The cached year (generated on first use); returns its dir and generation figures."""
    marker = CACHE / "generate.json"
    if not marker.exists():
        if CACHE.exists():
            shutil.rmtree(CACHE)
        CACHE.mkdir(parents=True)
        print(f"  (reports: generating {DAYS}×{ORDERS} demo orders into {CACHE}; "
              "about half an hour, once)", flush=True)
        started = time.perf_counter()
        done = _kspos("demo-data", "--days", str(DAYS), "--orders-per-day", str(ORDERS),
                      "--seed", "1", data_dir=CACHE)
        seconds = time.perf_counter() - started
        last = done.stdout.decode().strip().splitlines()[-1]
        orders = int(last.split(" paid orders")[0].split()[-1].replace(",", ""))
        marker.write_text(json.dumps({"seconds": seconds, "orders": orders}))
    return CACHE, json.loads(marker.read_text())


def _days(path: Path) -> tuple[date, date]:
    from kspos.reports.connect import connect

    conn = connect(path)
    first, last = conn.execute("SELECT min(day), max(day) FROM business_day").fetchone()
    conn.close()
    return date.fromisoformat(first), date.fromisoformat(last)


def _best_ms(job: object, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def in_process(path: Path, first: date, last: date) -> dict[str, tuple[float, float]]:
    from kspos.reports.connect import connect
    from kspos.reports.summary import sales_summary

    conn = connect(path)
    sales_summary(conn, first, last)  # every closed day sealed (a no-op when already)
    middle = first.fromordinal((first.toordinal() + last.toordinal()) // 2)
    figures = {
        "day": _best_ms(lambda: sales_summary(conn, middle, middle).rows("item"), 30),
        "day_live": _best_ms(lambda: sales_summary(conn, middle, middle, seal=False,
                                                   use_rollups=False).rows("item"), 10),
        "year": _best_ms(lambda: sales_summary(conn, first, last).rows("item"), 5),
    }
    conn.close()
    return figures


STORE_CONFIG = """\
[store]
name = "카페 예시"
business_number = "220-81-62517"

[van]
spec = "tcp:127.0.0.1:9560"
tid = "DPT0TEST03"

[devices]
printer = "tcp:192.0.2.10:9100"
printer_mode = "raster"
card_reader = "pcsc"
scanner = "hid"

[ui]
lang = "ko"
"""


def _store_config(data_dir: Path) -> Path:
    path = data_dir / "store-config.toml"
    if not path.exists() or path.read_text(encoding="utf-8") != STORE_CONFIG:
        path.write_text(STORE_CONFIG, encoding="utf-8")
    return path


def as_process(path: Path, first: date, last: date) -> dict[str, tuple[float, float]]:
    """Whole ``kspos report`` processes (median, max), each run interleaved with a bare
    ``python -c pass`` so that the floor is measured under the same load."""
    middle = first.fromordinal((first.toordinal() + last.toordinal()) // 2).isoformat()
    runs = {
        "day": [*KSPOS, "report", "sales", "--from", middle, "--to", middle, "--by", "item",
                "--format", "json"],
        "year": [*KSPOS, "report", "sales", "--from", first.isoformat(), "--to",
                 last.isoformat(), "--by", "item", "--format", "json"],
        # A store's own config file (not demo mode), as on a real counter.
        "day_config": [*KSPOS, "--config", str(_store_config(path)), "report", "sales",
                       "--from", middle, "--to", middle, "--by", "item", "--format", "json"],
        # The first run after the config file was edited (nothing kept for its text yet).
        "day_config_edited": [*KSPOS, "--config", str(_store_config(path)), "report",
                              "sales", "--from", middle, "--to", middle, "--by", "item",
                              "--format", "json"],
        "python": [sys.executable, "-c", "pass"],
        # What any argparse command that reads SQLite and prints JSON imports before its
        # first line of work: this interpreter's floor for the figure above.
        "floor": [sys.executable, "-c", "import re, argparse, sqlite3, json"],
    }
    env = _env(path)
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for repeat in range(12):
        for name, command in runs.items():
            if name == "year" and repeat % 2:
                continue  # a year takes longer: every other round is enough
            if name == "day_config_edited":
                from kspos.config import keep_path

                Path(keep_path(str(_store_config(path)))).unlink(missing_ok=True)
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            if repeat:  # the first round only warms the bytecode and page caches
                samples[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(s), max(s)) for name, s in samples.items()}


def cold_year(path: Path, first: date, last: date) -> float:
    """The first year report on a copy of the store with no rollups (an upgraded store)."""
    from kspos.reports.connect import connect
    from kspos.reports.summary import sales_summary

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "kspos.sqlite3"
        source = connect(path)
        target = connect(copy)
        source.backup(target)
        source.close()
        target.execute("DELETE FROM report_rollup")
        target.execute("DELETE FROM report_day")
        started = time.perf_counter()
        sales_summary(target, first, last)
        seconds = time.perf_counter() - started
        target.close()
    return seconds


def run() -> list[tuple[str, str, str]]:
    path, made = dataset()
    db = path / "kspos.sqlite3"
    first, last = _days(db)
    inside = in_process(db, first, last)
    outside = as_process(path, first, last)
    cold = cold_year(db, first, last)
    rate = made["orders"] / made["seconds"]
    return [
        (f"demo-data {DAYS}×{ORDERS} through the core ({made['orders']:,} orders)",
         f"{made['seconds'] / 60:.1f} min ({rate:,.0f}/s)", "(figure)"),
        ("report: one day by item, in-process (sealed), p50 / max",
         f"{inside['day'][0]:.1f} / {inside['day'][1]:.1f} ms", "≤ 50 ms"),
        ("report: one day, live from base tables (the open day)",
         f"{inside['day_live'][0]:.1f} ms", "≤ 50 ms"),
        ("report: whole year by item, in-process, p50 / max",
         f"{inside['year'][0]:.0f} / {inside['year'][1]:.0f} ms", "≤ 1 s"),
        ("report: one day, whole `kspos report` process",
         f"{outside['day'][0]:.0f} ms", f"≤ 50 ms (python -c pass: "
                                         f"{outside['python'][0]:.0f} ms)"),
        ("report: one day, whole `kspos report` process, with the store's config file",
         f"{outside['day_config'][0]:.0f} ms", "≤ 50 ms"),
        ("report: the same, first run after the config file was edited",
         f"{outside['day_config_edited'][0]:.0f} ms", "(figure)"),
        ("  the demo-mode day over the interpreter's floor (python + re, argparse, sqlite3, json: "
         f"{outside['floor'][0]:.0f} ms)",
         f"{outside['day'][0] - outside['floor'][0]:.0f} ms", "(figure)"),
        ("report: whole year by item, whole `kspos report` process",
         f"{outside['year'][0]:.0f} ms", "≤ 1 s"),
        ("report: first year report with no rollups (seals 365 days)",
         f"{cold:.1f} s", "(figure, once per store)"),
    ]
