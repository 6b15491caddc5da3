"""The office link's speed on a throwaway PostgreSQL (tests/pg_rig.py; Debian's postgresql).

Figures: ingest through ``kspos office serve`` (one uvicorn process) from 4 concurrent pushers
(goal ≥ 5,000 orders/s; an order is its ``order`` and ``payment`` facts), and a week offline
(5,600 orders = 11,200 facts in the outbox) drained by the real pusher (goal ≤ 10 s).
The orders sell from a 40-item menu, as a store's do; the same ingest with every line a new
item (the sales rollups' worst case: a new row per line) is printed too.
``KSPOS_BENCH_OFFICE_ORDERS`` sets the orders per pusher, ``KSPOS_BENCH_OFFICE_MENU`` the items
on the menu (see MENU below).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ORDERS_PER_PUSHER = int(os.environ.get("KSPOS_BENCH_OFFICE_ORDERS", "5000"))
BATCH_ORDERS = 250  # 500 facts a request, what the pusher sends
WEEK = 5600
# Items on a store's menu: each line sells one of them, as at a real counter (the sales
# rollups then add to a few rows a day). 0: every line a new item (facts_data's orders), which
# makes the rollups insert an item row per line: the worst case, measured as well.
MENU = int(os.environ.get("KSPOS_BENCH_OFFICE_MENU", "40"))
_COMMAND = Path(sys.executable).with_name("kspos")
KSPOS = [str(_COMMAND)] if _COMMAND.exists() else [sys.executable, "-m", "kspos.cli"]


def _serve(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    from tests.pg_rig import free_port

    env = {**os.environ, "KSPOS_DATA_DIR": str(folder)}
    env.pop("KSPOS_CONFIG", None)
    subprocess.run([*KSPOS, "office", "init", "--database", url], env=env, check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen([*KSPOS, "office", "serve", "--port", str(port), "--database",
                               url], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1):
                return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the office did not start")


def _token(url: str, folder: Path, store: str, terminal: str) -> str:
    env = {**os.environ, "KSPOS_DATA_DIR": str(folder)}
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([*KSPOS, "office", "terminal", "add", store, terminal, "--database",
                           url], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def _orders(store: str, terminal: str, n: int, menu: int) -> list[dict[str, object]]:
    from tests.unit.office.facts_data import order, payment

    facts: list[dict[str, object]] = []
    for i in range(n):
        sold = order(store=store, terminal=terminal, seq=2 * i + 1)
        for k, line in enumerate(sold["body"]["lines"] if menu else ()):
            line["item_uuid"] = f"00000000-0000-4000-8000-{(2 * i + k) % menu:012d}"
        facts += [sold, payment(sold, seq=2 * i + 2)]
    return facts


def _post(base: str, token: str, payload: bytes) -> None:
    request = urllib.request.Request(f"{base}/api/v1/facts", data=payload, method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200


def _ingest(base: str, url: str, folder: Path, menu: int, prefix: str) -> float:
    """Orders/s from 4 pushers at once (payloads made before the clock starts)."""
    work: list[tuple[str, list[bytes]]] = []
    for number in range(1, 5):
        store, terminal = f"{prefix}{number:04d}", "01"
        facts = _orders(store, terminal, ORDERS_PER_PUSHER, menu)
        step = 2 * BATCH_ORDERS
        payloads = [json.dumps({"store": store, "terminal": terminal,
                                "facts": facts[i:i + step]}).encode()
                    for i in range(0, len(facts), step)]
        work.append((_token(url, folder, store, terminal), payloads))
    threads = [threading.Thread(target=lambda t=t, p=p: [_post(base, t, x) for x in p])
               for t, p in work]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return 4 * ORDERS_PER_PUSHER / (time.perf_counter() - started)


def _drain(base: str, url: str, folder: Path) -> float:
    """Seconds for the real pusher to send a week offline (5,600 orders)."""
    from kspos.store import Database
    from kspos.store import outbox as table
    from kspos.sync.identity import Identity
    from kspos.sync.pusher import Pusher

    identity = Identity("W0001", "01")
    db = Database(folder / "terminal" / "kspos.sqlite3", identity).open()
    try:
        with db.session() as s:
            for fact in _orders("W0001", "01", WEEK, MENU):
                table.append(s, str(fact["kind"]), str(fact["uuid"]), 1,
                             fact["body"], datetime(2026, 11, 25))  # type: ignore[arg-type]
            s.commit()
        pusher = Pusher(db, base, _token(url, folder, "W0001", "01"), identity)
        started = time.perf_counter()
        result = pusher.push_pending()
        took = time.perf_counter() - started
        assert result.error is None and result.sent == 2 * WEEK, result
        return took
    finally:
        db.close()


def run() -> list[tuple[str, str, str]]:
    from tests.pg_rig import PostgresRig, _bin_dir

    bin_dir = _bin_dir()
    if bin_dir is None:
        return [("office ingest on PostgreSQL", "skipped: no postgresql", "")]
    rig = PostgresRig(bin_dir)
    folder = Path(tempfile.mkdtemp(prefix="kspos-bench-office-"))
    try:
        rig.init()
        rig.start(fsync=True)  # durable commits, as a real office runs
        url = rig.create_database()
        server, base = _serve(url, folder)
        try:
            rate = _ingest(base, url, folder, MENU, "B")
            worst = _ingest(base, url, folder, 0, "C")
            drained = _drain(base, url, folder)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        rig.remove()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        (f"office ingest, 4 pushers × {ORDERS_PER_PUSHER} orders (PostgreSQL)"
         + (f", {MENU}-item menu" if MENU else ""),
         f"{rate:,.0f} orders/s", "≥ 5,000 orders/s"),
        ("  the same, every line a new item (the rollups' worst case)",
         f"{worst:,.0f} orders/s", "—"),
        ("a week offline (5,600 orders) drained by the pusher", f"{drained:.1f} s", "≤ 10 s"),
    ]
