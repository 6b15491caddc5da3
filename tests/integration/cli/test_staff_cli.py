"""`kspos staff` as a technician installing a store runs it: PINs on stdin (never argv),
--json for list, exit codes per the contract, every change audited."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

KSPOS = [str(Path(sys.executable).with_name("kspos"))]


def staff(*args: str, data_dir: Path, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KSPOS_DATA_DIR=str(data_dir), XDG_CONFIG_HOME=str(data_dir / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([*KSPOS, "staff", *args], env=env, capture_output=True, text=True,
                          input="" if pin is None else pin + "\n", timeout=60)


def listed(data_dir: Path) -> list[dict[str, object]]:
    result = staff("list", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    members: list[dict[str, object]] = json.loads(result.stdout)["staff"]
    return members


def test_a_technician_sets_up_the_staff_without_demo_pins(tmp_path: Path) -> None:
    added = staff("add", "홍길동", "--role", "owner", data_dir=tmp_path, pin="8642")
    assert added.returncode == 0, added.stderr
    assert "8642" not in added.stdout + added.stderr
    assert staff("add", "김민지", "--role", "cashier", data_dir=tmp_path, pin="2468"
                 ).returncode == 0
    assert [(m["name"], m["role"], m["active"], m["demo_pin"]) for m in listed(tmp_path)] == [
        ("홍길동", "owner", True, False), ("김민지", "cashier", True, False)]
    assert staff("set-pin", "김민지", data_dir=tmp_path, pin="1357").returncode == 0
    assert staff("deactivate", "김민지", data_dir=tmp_path).returncode == 0
    assert [m["active"] for m in listed(tmp_path)] == [True, False]
    table = staff("list", data_dir=tmp_path)
    assert table.returncode == 0 and "홍길동" in table.stdout and "점주" in table.stdout
    with sqlite3.connect(tmp_path / "kspos.sqlite3") as conn:
        actions = [a for (a,) in conn.execute("SELECT action FROM audit_log ORDER BY id")]
        pins = [h for (h,) in conn.execute("SELECT pin_hash FROM staff")]
    assert actions == ["staff_add", "staff_add", "staff_pin", "staff_deactivate"]
    assert all(h.startswith("scrypt$") for h in pins)


def test_refusals_are_one_line_with_the_contract_exit_code(tmp_path: Path) -> None:
    assert staff("add", "홍길동", "--role", "owner", data_dir=tmp_path, pin="8642"
                 ).returncode == 0
    cases = [  # (argv, stdin PIN, exit code)
        (("add", "이수진", "--role", "cashier"), "8642", 2),  # someone has that PIN
        (("add", "이수진", "--role", "cashier"), "12", 2),  # not 4-8 digits
        (("add", "이수진", "--role", "cashier"), None, 2),  # nothing on stdin
        (("add", "이수진", "--role", "boss"), "4821", 2),
        (("set-pin", "없는사람"), "4821", 2),
        (("deactivate", "홍길동"), None, 1),  # the last active owner
        (("add", "이수진", "--role", "cashier", "--pin", "4821"), None, 2),  # never in argv
    ]
    for argv, pin, code in cases:
        result = staff(*argv, data_dir=tmp_path, pin=pin)
        assert result.returncode == code, (argv, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, (argv, result.stderr)
        assert "Traceback" not in result.stderr
    assert [m["name"] for m in listed(tmp_path)] == ["홍길동"]
