"""Two terminals of one store, each with its own data dir and `kspos demo-data` run as a user
runs it: their receipt numbers and UUIDs never collide, and every fact has its outbox row."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from tests.integration.cli.test_cli_contract import KSPOS
from tests.reliability.ledger import outbox_mismatches

# Menu items are not facts: terminals seeded with one menu share its items' UUIDs (as they
# share a menu the office publishes), so the office counts one 아메리카노, not one per counter.
FACT_UUIDS = ("SELECT uuid FROM sale_order UNION ALL SELECT uuid FROM order_line UNION ALL "
              "SELECT uuid FROM payment UNION ALL SELECT uuid FROM refund UNION ALL "
              "SELECT uuid FROM business_day UNION ALL SELECT uuid FROM staff UNION ALL "
              "SELECT uuid FROM audit_log")
ITEM_UUIDS = "SELECT uuid FROM item ORDER BY name"


def _terminal(tmp_path: Path, number: str) -> Path:
    folder = tmp_path / f"pos{number}"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text(f'[store]\ncode = "S0001"\nterminal = "{number}"\n', encoding="utf-8")
    env = dict(os.environ, KSPOS_CONFIG=str(config), KSPOS_DATA_DIR=str(folder / "data"),
               XDG_CONFIG_HOME=str(folder / "xdg"))
    done = subprocess.run([*KSPOS, "demo-data", "--days", "2", "--orders-per-day", "25",
                           "--seed", "7"], env=env, text=True, capture_output=True,
                          timeout=300, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return folder / "data" / "kspos.sqlite3"


def test_two_terminals_of_one_store_make_disjoint_receipt_numbers_and_uuids(
        tmp_path: Path) -> None:
    first, second = _terminal(tmp_path, "01"), _terminal(tmp_path, "02")
    seen: list[tuple[set[str], set[str]]] = []
    for path, number in ((first, "01"), (second, "02")):
        with sqlite3.connect(path) as conn:
            receipts = {r for (r,) in conn.execute("SELECT receipt_no FROM sale_order")}
            uuids = [u for (u,) in conn.execute(FACT_UUIDS)]
            bodies = [json.loads(b) for (b,) in conn.execute("SELECT body FROM outbox")]
            assert outbox_mismatches(conn) == []  # every fact its row, every row its fact
        assert receipts and all(r.split("-")[1] == number for r in receipts)
        assert len(uuids) == len(set(uuids)) and None not in uuids
        assert {(b["store"], b["terminal"]) for b in bodies} == {("S0001", number)}
        seen.append((receipts, set(uuids)))
    # the same seed sold the same days on both: only the terminal tells the numbers apart
    assert {r.replace("-01-", "-") for r in seen[0][0]} == \
        {r.replace("-02-", "-") for r in seen[1][0]}
    assert not seen[0][0] & seen[1][0]
    assert not seen[0][1] & seen[1][1]
    with sqlite3.connect(first) as one, sqlite3.connect(second) as two:
        assert list(one.execute(ITEM_UUIDS)) == list(two.execute(ITEM_UUIDS))
