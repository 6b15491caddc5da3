"""The office's web pages through Starlette's test client on a temp SQLite office: users, a
browser-like client that keeps cookies and sends the CSRF field, and a login helper."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from office.app import create_app
from office.auth import hash_password
from office.store import OfficeStore, terminals
from office.store import users as users_repo

PASSWORDS = {"boss": "admin-pw-1", "kim": "kim-pw-1", "lee": "lee-pw-1"}
_CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


def seed(store: OfficeStore) -> None:
    """Stores S1, S2; admin ``boss``; owner ``kim`` of S1; owner ``lee`` of S2."""
    with store.transaction() as conn:
        terminals.ensure_store(conn, "S1")
        terminals.ensure_store(conn, "S2")
        users_repo.add(conn, "boss", hash_password(PASSWORDS["boss"]), "admin")
        users_repo.add(conn, "kim", hash_password(PASSWORDS["kim"]), "owner", ["S1"])
        users_repo.add(conn, "lee", hash_password(PASSWORDS["lee"]), "owner", ["S2"])


class Browser:
    """One browser: its own cookies, the CSRF field from the last page it read."""

    def __init__(self, store: OfficeStore, base_url: str = "http://testserver",
                 app: Any = None) -> None:
        from starlette.testclient import TestClient

        self.client = TestClient(app or create_app(store), base_url=base_url,
                                 follow_redirects=False, raise_server_exceptions=False)
        self.csrf = ""

    def get(self, url: str, **kwargs: Any) -> Any:
        answer = self.client.get(url, **kwargs)
        found = _CSRF.search(answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def post(self, url: str, data: dict[str, Any], csrf: bool = True, **kwargs: Any) -> Any:
        if csrf and not self.csrf:
            self.get("/login")
        form = {"csrftoken": self.csrf, **data} if csrf else data
        return self.client.post(url, data=form, **kwargs)

    def login(self, login: str, password: str | None = None, next_url: str = "") -> Any:
        self.get("/login")
        return self.post("/login", {"login": login, "password": password or PASSWORDS[login],
                                    "next": next_url})


def office(path: Path | str) -> OfficeStore:
    """A seeded office on the SQLite file ``path`` or the database URL ``path``."""
    url = path if isinstance(path, str) else f"sqlite:///{path}"
    store = OfficeStore(url).open()
    seed(store)
    return store
