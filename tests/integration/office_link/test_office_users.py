"""``kspos office user add`` as a process: the password from standard input, refusals with
exit 2 and one line, and a user who can then log in (argon2 hash kept, never the password)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from office.store import OfficeStore
from office.store import users as users_repo
from tests.integration.cli.test_cli_contract import KSPOS


def _office(tmp_path: Path, *args: str, password: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KSPOS_DATA_DIR=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"), QT_QPA_PLATFORM="offscreen")
    env.pop("KSPOS_CONFIG", None)
    return subprocess.run([*KSPOS, "office", *args, "--database", _url(tmp_path)], env=env,
                          input=password, capture_output=True, text=True, timeout=60,
                          check=False)


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    assert _office(tmp_path, "init").returncode == 0
    assert _office(tmp_path, "terminal", "add", "S1", "01").returncode == 0
    return tmp_path


def test_users_are_added_with_their_stores_and_a_hash(office: Path) -> None:
    boss = _office(office, "user", "add", "boss", "--role", "admin", password="s3cret!\n")
    kim = _office(office, "user", "add", "kim", "--role", "owner", "--store", "S1",
                  password="kim pw with spaces\n")
    assert boss.returncode == 0 and "added admin boss" in boss.stdout, boss.stderr
    assert kim.returncode == 0 and "(S1)" in kim.stdout, kim.stderr
    store = OfficeStore(_url(office)).open()
    try:
        with store.transaction() as conn:
            found = users_repo.get(conn, "kim")
            secret = users_repo.session_secret(conn)
    finally:
        store.close()
    assert found is not None and found.role == "owner" and found.stores == ("S1",)
    assert found.password_hash.startswith("$argon2id$") and "kim pw" not in found.password_hash
    assert secret  # made by `office init`

    from office.auth import verify_password

    assert verify_password(found.password_hash, "kim pw with spaces")


@pytest.mark.parametrize(("args", "password", "says"), [
    (["--role", "owner", "--store", "S1"], "", "password is empty"),
    (["--role", "owner", "--store", "S1"], "\n", "password is empty"),
    (["--role", "owner"], "pw\n", "needs at least one --store"),
    (["--role", "owner", "--store", "S9"], "pw\n", "no such store: S9"),
    (["--role", "owner", "--store", "s1;drop"], "pw\n", "store code"),
    (["--role", "admin", "--store", "S1"], "pw\n", "sees every store"),
    (["--role", "root"], "pw\n", "invalid choice"),
])
def test_bad_input_is_exit_2_with_one_line(office: Path, args: list[str], password: str,
                                           says: str) -> None:
    done = _office(office, "user", "add", "kim", *args, password=password)
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_login_twice_or_a_bad_login_is_refused(office: Path) -> None:
    assert _office(office, "user", "add", "kim", "--role", "owner", "--store", "S1",
                   password="pw\n").returncode == 0
    again = _office(office, "user", "add", "kim", "--role", "owner", "--store", "S1",
                    password="other\n")
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = _office(office, "user", "add", "kim lee", "--role", "admin", password="pw\n")
    assert bad.returncode == 2 and "LOGIN is" in bad.stderr
