"""The back office's users, sessions and throttle on PostgreSQL (the rig) and SQLite alike:
what the web layer keeps in the database must work on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from office.app import create_app
from office.store import OfficeStore
from office.store import users as users_repo
from office.web import login as login_page
from tests.unit.office.web_rig import Browser, office

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
pytest.importorskip("starlette.testclient")


@pytest.fixture(params=["postgresql", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OfficeStore]:
    if request.param == "postgresql":
        opened = office(request.getfixturevalue("pg_database"))
    else:
        opened = office(tmp_path / "office.sqlite3")
    yield opened
    opened.close()


def test_login_session_and_throttle(store: OfficeStore) -> None:
    kim = Browser(store)
    assert kim.login("kim").status_code == 303
    other_process = Browser(store, app=create_app(store))
    other_process.client.cookies = kim.client.cookies
    assert other_process.get("/today").status_code == 200
    for _ in range(login_page.LOGIN_LIMIT):
        assert Browser(store).login("lee", "guess").status_code == 401
    assert Browser(store).login("lee").status_code == 429


def test_admin_forms_write_users_and_terminals(store: OfficeStore) -> None:
    boss = Browser(store)
    boss.login("boss")
    assert boss.post("/admin/users", {"login": "park", "password": "pw", "role": "owner",
                                      "store": "S2"}).status_code == 303
    added = boss.post("/admin/terminals", {"store": "S7", "terminal": "03", "name": "창가"})
    assert added.status_code == 200 and "ksp_" in added.text
    assert boss.post("/admin/users/disable", {"login": "park"}).status_code == 303
    with store.transaction() as conn:
        park = users_repo.get(conn, "park")
        assert park is not None and park.disabled and park.stores == ("S2",)
        assert "S7" in users_repo.store_list(conn)


def test_the_session_key_is_one_for_all(store: OfficeStore) -> None:
    keys = set()
    for _ in range(3):
        with store.transaction() as conn:
            keys.add(users_repo.session_secret(conn))
    assert len(keys) == 1


def test_parallel_guesses_cannot_pass_the_throttle(store: OfficeStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def guess(n: int) -> bool:
        return login_page.attempt(store, "kim", f"guess {n}", "10.1.1.1").locked_until is None

    with ThreadPoolExecutor(max_workers=8) as pool:
        checked = list(pool.map(guess, range(16)))
    assert checked.count(True) == login_page.LOGIN_LIMIT  # every other guess was refused
