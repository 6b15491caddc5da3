"""SIGKILL in a kitchen send and in a split payment (tests/reliability/restaurant_driver.py),
then a restart that settles the evening: every committed round has exactly its kitchen slip,
nothing is paid twice, and every check ends paid to the won."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kspos.store import Database

ROOT = Path(__file__).resolve().parents[2]


def life(data_dir: Path, *args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-m", "tests.reliability.restaurant_driver",
                           "--data-dir", str(data_dir), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stdout.splitlines()


def check_books(data_dir: Path, told: list[str]) -> None:
    with Database(data_dir / "kspos.sqlite3").open() as db:
        rounds = set(db.read("SELECT o.receipt_no, r.round_no FROM check_round r JOIN "
                             "sale_order o ON o.id = r.order_id"))
        slips = db.read("SELECT order_ref, round_no FROM test_kitchen_slip WHERE cancel = 0")
        assert sorted(slips) == sorted(rounds)  # one slip per committed round, no orphan
        for line in told:  # what the cashier saw succeed is there
            kind, order, *rest = line.split()
            if kind == "SENT":
                assert db.read("SELECT 1 FROM check_round WHERE order_id = ? AND round_no = ?",
                               (int(order), int(rest[0])))
            elif kind == "PAID":
                assert db.read("SELECT 1 FROM payment WHERE order_id = ? AND split_part = ?",
                               (int(order), int(rest[0])))
        for order_id, total, state in db.read("SELECT id, total, state FROM sale_order"):
            taken = db.read("SELECT coalesce(sum(amount), 0) FROM payment WHERE order_id = ?",
                            (order_id,))[0][0]
            assert taken <= total, f"order {order_id} paid {taken} of {total}"
            if state == "paid":
                assert taken == total
            split = db.read("SELECT parts_json FROM check_split WHERE order_id = ?",
                            (order_id,))
            if split:
                for index, part in enumerate(json.loads(split[0][0])):
                    paid = db.read("SELECT coalesce(sum(amount), 0) FROM payment WHERE "
                                   "order_id = ? AND split_part = ?", (order_id, index))[0][0]
                    assert paid <= part["amount"]


@pytest.mark.parametrize("point", ["round_before_commit", "round_after_commit",
                                   "split_before_commit", "split_after_commit"])
def test_a_kill_in_a_round_or_a_split_payment_loses_and_doubles_nothing(
        tmp_path: Path, point: str) -> None:
    told: list[str] = []
    for seed, count in ((1, 3), (2, 5), (3, 2)):
        code, out = life(tmp_path, "--seed", str(seed), "--die", f"{point}:{count}")
        assert code == -9 and out[-1] == f"DIE {point}", out[-5:]
        told += [ln for ln in out if ln.startswith(("SENT", "PAID"))]
        if point.endswith("after_commit"):
            told.pop()  # killed before it could say so
            told.append(next(ln for ln in reversed(out) if ln.startswith(("SENT", "PAID"))))
        check_books(tmp_path, told)
    code, out = life(tmp_path, "--settle")
    assert code == 0 and out[-1] == "SETTLED"
    check_books(tmp_path, told)
    with Database(tmp_path / "kspos.sqlite3").open() as db:
        assert db.read("SELECT count(*) FROM sale_order WHERE state = 'open'") == [(0,)]
        assert db.read("SELECT count(*) FROM sale_order WHERE state = 'paid'")[0][0] > 0
