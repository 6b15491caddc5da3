"""``POST /api/v1/facts`` through the ASGI app (Starlette's test client, SQLite store):
tokens and scoping, refused facts, and hostile bodies answered 4xx with a reason, never 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from office.api.validate import MAX_BYTES, MAX_FACTS
from office.app import create_app
from office.auth import new_token, token_hash
from office.store import OfficeStore, terminals
from office.store import ingest as repo
from tests.unit.office.facts_data import batch, order, payment

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
testclient = pytest.importorskip("starlette.testclient")


class Office:
    def __init__(self, path: Path) -> None:
        self.store = OfficeStore(f"sqlite:///{path}").open()
        self.client = testclient.TestClient(create_app(self.store), raise_server_exceptions=False)
        self.tokens: dict[tuple[str, str], str] = {}

    def token(self, store: str = "S0001", terminal: str = "01") -> str:
        if (store, terminal) not in self.tokens:
            token = new_token()
            with self.store.transaction() as conn:
                terminals.set_token(conn, store, terminal, token_hash(token))
            self.tokens[(store, terminal)] = token
        return self.tokens[(store, terminal)]

    def push(self, data: Any, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token()}", **kwargs.pop(
            "headers", {})}
        if isinstance(data, bytes | str):
            headers.setdefault("Content-Type", "application/json")
            return self.client.post("/api/v1/facts", content=data, headers=headers)
        return self.client.post("/api/v1/facts", json=data, headers=headers)

    def stored(self) -> int:
        with self.store.transaction() as conn:
            return repo.count(conn)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = Office(tmp_path / "office.sqlite3")
    yield o
    o.store.close()


def test_a_batch_is_acknowledged_fact_by_fact(office: Office) -> None:
    sold = order()
    paid = payment(sold)
    bad = order(seq=3)
    bad["version"] = 9
    answer = office.push(batch(sold, paid, bad))
    assert answer.status_code == 200
    body = answer.json()
    assert body["stored"] == 2 and body["duplicates"] == 0
    assert body["accepted"] == [sold["uuid"], paid["uuid"]]
    assert [(r["uuid"], "version" in r["reason"]) for r in body["refused"]] == [
        (bad["uuid"], True)]
    again = office.push(batch(sold)).json()
    assert again["stored"] == 0 and again["duplicates"] == 1 and again["accepted"] == [
        sold["uuid"]]
    assert office.stored() == 2


def test_the_answers_carry_the_security_headers(office: Office) -> None:
    answer = office.push(batch())
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer nope",
                                    "Bearer " + "x" * 500])
def test_no_or_a_bad_token_is_401_and_nothing_stored(office: Office, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    answer = office.client.post("/api/v1/facts", json=batch(order()), headers=headers)
    assert answer.status_code == 401 and answer.json()["error"]
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert office.stored() == 0


def test_a_revoked_token_is_401(office: Office) -> None:
    token = office.token()
    with office.store.transaction() as conn:
        terminals.revoke(conn, "S0001", "01")
    assert office.push(batch(order()), token=token).status_code == 401


def test_a_token_pushes_only_for_its_own_store_and_terminal(office: Office) -> None:
    other_store, other_terminal = order(store="S0002"), order(terminal="02")
    mine = order()
    for data in (batch(other_store, store="S0002"), batch(mine, other_terminal),
                 batch(mine, other_store), batch(other_terminal, terminal="02")):
        answer = office.push(data)
        assert answer.status_code == 403 and answer.json()["error"]
    # the other terminal's own token is fine for its own facts
    assert office.push(batch(other_terminal, terminal="02"),
                       token=office.token("S0001", "02")).status_code == 200
    assert office.stored() == 1


@pytest.mark.parametrize(("content", "status"), [
    (b"{not json", 400), (b"\xff\xfe\x00", 400), (b"", 400), (b"[" * 100_000, 400),
    (b"null", 422), (b"[]", 422), (b'"facts"', 422), (b'{"facts": 5}', 422),
    (b'{"store": "S0001", "terminal": "01", "facts": {"a": 1}}', 422),
    (b'{"store": 1, "terminal": "01", "facts": []}', 422),
    (b'{"store": "S0001", "terminal": "01", "facts": [NaN]}', 400),
    (b'{"store": "S0001", "terminal": "01", "facts": [], "x": -Infinity}', 400),
])
def test_malformed_bodies_are_4xx_with_a_reason(office: Office, content: bytes,
                                                 status: int) -> None:
    answer = office.push(content)
    assert answer.status_code == status and answer.json()["error"]


def test_a_huge_batch_is_413(office: Office) -> None:
    many = batch(*[{"seq": i} for i in range(1, MAX_FACTS + 2)])
    assert office.push(many).status_code == 413
    hundred_thousand = batch(*[order(seq=i) for i in range(1, 20)])
    hundred_thousand["facts"] = hundred_thousand["facts"] * 5300  # ~100,000 facts, > 16 MB
    answer = office.push(json.dumps(hundred_thousand).encode())
    assert answer.status_code == 413 and str(MAX_BYTES) in answer.json()["error"]
    assert office.stored() == 0


def test_a_body_that_is_not_json_typed_is_415(office: Office) -> None:
    answer = office.push(b"{}", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415


def test_other_paths_and_methods_answer_json_errors(office: Office) -> None:
    bearer = {"Authorization": f"Bearer {office.token()}"}
    wrong_method = office.client.get("/api/v1/facts", headers=bearer)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]
    assert office.client.get("/api/v1/nothing", headers=bearer).json() == {
        "error": "no such page"}
    # without a token or a login: 401 under /api/, the login page elsewhere, no data
    assert office.client.get("/api/v1/facts").status_code == 401
    hidden = office.client.get("/etc/passwd", follow_redirects=False)
    assert hidden.status_code == 303 and hidden.headers["location"].startswith("/login")
    assert office.client.get("/api/v1/health").json() == {"ok": True}


_json = st.recursive(st.none() | st.booleans() | st.integers()
                     | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(st.dictionaries(
    st.sampled_from(["seq", "uuid", "kind", "version", "body"]), _json, max_size=5), max_size=4))
def test_any_junk_in_the_facts_never_makes_a_500(office: Office, facts: list[Any]) -> None:
    answer = office.push({"store": "S0001", "terminal": "01", "facts": facts})
    assert answer.status_code in (200, 403, 422) and "Traceback" not in answer.text
