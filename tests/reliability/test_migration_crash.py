"""SIGKILL ``kspos db upgrade`` at random moments, many times, and check after every kill that
the next start succeeds and no sale was lost.

The store is a real one (demo-data through the sales core, then grown to ~40,000 orders by
copying them) brought back to the first schema revision, so every migration after it runs on
data. Every fifth life starts from no database at all (the first start of a new store). The
upgrade runs in ``migration_driver`` (the real ``kspos db upgrade``, its imports done before
``READY``) and is killed, on alternate lives, after a random delay spread over one whole
upgrade's length, or by itself right after a random one of the upgrade's SQL statements (so
the short gaps between two statements of a migration are hit as often as the long ones).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

KILLS = int(os.environ.get("KSPOS_MIGRATION_KILLS", "30"))
OLD = "0001_core"
TABLES = ("sale_order", "order_line", "payment", "refund", "audit_log", "business_day", "staff")


def _fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(path) as conn:
        found = {t: conn.execute(f"SELECT count(*), coalesce(sum(id), 0) FROM {t}").fetchone()
                 for t in TABLES}
        found["money"] = conn.execute("SELECT count(*), sum(total) FROM sale_order").fetchone()
    return found


def _grow(path: Path, copies: int) -> None:
    """Copy every order (and its lines and payments) ``copies`` times under new receipt
    numbers: a store of a few months, in seconds."""
    conn = sqlite3.connect(path)
    with conn:
        top = conn.execute("SELECT max(id) FROM sale_order").fetchone()[0]
        cols = [r[1] for r in conn.execute("PRAGMA table_info(sale_order)") if r[1] != "id"]
        line_cols = [r[1] for r in conn.execute("PRAGMA table_info(order_line)")
                     if r[1] not in ("id", "order_id")]
        pay_cols = [r[1] for r in conn.execute("PRAGMA table_info(payment)")
                    if r[1] not in ("id", "order_id")]
        for n in range(1, copies + 1):
            shift = n * top
            picked = ", ".join("receipt_no || '-c" + str(n) + "'" if c == "receipt_no" else c
                               for c in cols)
            conn.execute(f"INSERT INTO sale_order (id, {', '.join(cols)}) SELECT id + {shift}, "
                         f"{picked} FROM sale_order WHERE id <= {top}")
            conn.execute(f"INSERT INTO order_line (order_id, {', '.join(line_cols)}) SELECT "
                         f"order_id + {shift}, {', '.join(line_cols)} FROM order_line "
                         f"WHERE order_id <= {top}")
            conn.execute(f"INSERT INTO payment (order_id, {', '.join(pay_cols)}) SELECT "
                         f"order_id + {shift}, {', '.join(pay_cols)} FROM payment "
                         f"WHERE order_id <= {top}")
    conn.close()


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with real sales, at schema revision 0001_core."""
    from alembic import command

    from kspos.sales.demo_data import generate
    from kspos.store import Database
    from kspos.store.db import _alembic_config, _migration_engine

    folder = tmp_path_factory.mktemp("old-store")
    db = Database(folder / "kspos.sqlite3").open()
    try:
        generate(db, days=4, orders_per_day=120, seed=7)
    finally:
        db.close()
    # as the upgrade runs: one transaction, foreign keys off while tables are rebuilt
    migrator = _migration_engine(folder / "kspos.sqlite3")
    try:
        with migrator.connect() as conn:
            conn.begin()
            command.downgrade(_alembic_config(connection=conn), OLD)
            conn.commit()
    finally:
        migrator.dispose()
    _grow(folder / "kspos.sqlite3", copies=80)
    with sqlite3.connect(folder / "kspos.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLD
        assert conn.execute("SELECT count(*) FROM sale_order").fetchone()[0] > 30_000
    return folder / "kspos.sqlite3"


def _upgrade(data_dir: Path, kill_after: int = 0) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(data_dir / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    hook = ["--kill-after", str(kill_after)] if kill_after else []
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.migration_driver",
                             "--data-dir", str(data_dir), *hook], cwd=ROOT, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "READY", (line, proc.stderr.read() if proc.stderr else "")


def _one_upgrade(old_store: Path, tmp_path: Path) -> tuple[float, int]:
    """How long one whole upgrade of the old store takes, and how many statements it runs."""
    data = tmp_path / "calibrate"
    data.mkdir()
    shutil.copy(old_store, data / "kspos.sqlite3")
    proc = _upgrade(data)
    _ready(proc)
    started = time.monotonic()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    statements = int(out.split("STATEMENTS ")[1].split()[0])
    assert statements > 20, out
    from kspos.store.db import known_revisions

    kept = data / f"kspos.sqlite3.before-{known_revisions()[1]}"  # the copy before upgrading
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLD
    assert _fingerprint(kept) == _fingerprint(old_store)
    return time.monotonic() - started, statements


def _start_is_fine(data: Path) -> None:
    """What the next start of the store does: open (and finish migrating), at head, intact."""
    from kspos.store import Database
    from kspos.store.db import check

    db = Database(data / "kspos.sqlite3").open()
    try:
        result = check(db.engine)
        assert result.ok, result
    finally:
        db.close()


def test_killing_the_upgrade_at_any_moment_never_bricks_the_store(old_store: Path,
                                                                  tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("KSPOS_MIGRATION_SEED", "15")))
    length, statements = _one_upgrade(old_store, tmp_path)
    before = _fingerprint(old_store)
    killed = 0
    for life in range(KILLS):
        data = tmp_path / f"life-{life}"
        data.mkdir()
        fresh = life % 5 == 4
        if not fresh:
            shutil.copy(old_store, data / "kspos.sqlite3")
        timed = life % 2 == 1
        proc = _upgrade(data, 0 if timed else rng.randint(1, statements))
        _ready(proc)
        if timed:
            time.sleep(rng.uniform(0, length * 1.1))
            proc.kill()
        _, err = proc.communicate(timeout=60)
        killed += proc.returncode == -9
        assert proc.returncode in (0, -9), err
        _start_is_fine(data)
        assert not list(data.glob(".*.tmp*")), f"life {life}: a half copy was left"
        if not fresh:
            assert _fingerprint(data / "kspos.sqlite3") == before, f"life {life}"
        shutil.rmtree(data)
    assert killed >= KILLS * 2 // 3, f"only {killed} of {KILLS} upgrades were cut short"
