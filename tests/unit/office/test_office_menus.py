"""Menus at the office: publishing (strict, per store or for every store, numbered per store),
and ``GET /api/v1/menu`` / ``POST /api/v1/menu/applied`` through the ASGI app: a token of
store A never gets store B's menu, 401 without a live token, 403 naming another terminal."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kspos.menu.document import from_toml, parse_document
from office.app import create_app
from office.auth import new_token, token_hash
from office.menus import PublishError, publish, read_file, versions
from office.store import OfficeStore, terminals

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
testclient = pytest.importorskip("starlette.testclient")
ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "assets" / "demo_menu.toml"


def demo() -> dict[str, Any]:
    return from_toml(DEMO.read_text("utf-8"))


def priced(price: int) -> dict[str, Any]:
    doc = demo()
    doc["categories"][0]["items"][0]["price"] = price
    return doc


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

    def get(self, have: Any = 0, token: str | None = None, **params: Any) -> Any:
        return self.client.get("/api/v1/menu", params={"have": have, **params},
                               headers={"Authorization": f"Bearer {token or self.token()}"})

    def applied(self, data: Any, token: str | None = None) -> Any:
        return self.client.post("/api/v1/menu/applied", json=data,
                                headers={"Authorization": f"Bearer {token or self.token()}"})


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = Office(tmp_path / "office.sqlite3")
    for store in ("S0001", "S0002"):
        o.token(store)
    yield o
    o.store.close()


def test_the_demo_toml_is_a_valid_document_with_stable_identities() -> None:
    first, again = parse_document(demo()), parse_document(read_file(DEMO))
    assert first == again and first.item_count == 33
    assert parse_document(first.to_json()) == first


def test_versions_increase_per_store_whatever_the_mix(office: Office) -> None:
    assert [p.version for p in publish(office.store, demo(), None)] == [1]
    assert [(p.store, p.version) for p in publish(office.store, priced(4600), ["S0001"])] == [
        ("S0001", 2)]
    assert [(p.store, p.version) for p in publish(office.store, priced(4700), ["S0001"])] == [
        ("S0001", 3)]
    assert [(p.store, p.version) for p in publish(office.store, priced(4800), ["S0002"])] == [
        ("S0002", 2)]
    assert [p.version for p in publish(office.store, priced(4900), None, "now")] == [4]
    assert [r["version"] for r in versions(office.store, "S0001")] == [4, 3, 2, 1]
    assert [r["version"] for r in versions(office.store, "S0002")] == [4, 2, 1]


def test_a_token_of_store_a_never_gets_store_b_s_menu(office: Office) -> None:
    publish(office.store, priced(5100), ["S0002"], "now", "hq")
    assert office.get(0, office.token("S0001")).status_code == 204
    answer = office.get(0, office.token("S0002"))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["store"], body["version"], body["apply"], body["published_by"]) == (
        "S0002", 1, "now", "hq")
    assert body["document"]["categories"][0]["items"][0]["price"] == 5100
    assert office.get(0, office.token("S0001"), store="S0002").status_code == 403
    assert office.get(0, office.token("S0002"), terminal="02").status_code == 403
    assert office.applied({"version": 1}, office.token("S0001")).status_code == 422
    assert office.applied({"version": 1, "store": "S0002"},
                          office.token("S0001")).status_code == 403


def test_have_gives_only_what_is_newer_and_the_newest(office: Office) -> None:
    publish(office.store, priced(4600), None)
    publish(office.store, priced(4700), ["S0001"])
    answer = office.get(0)
    assert answer.json()["version"] == 2
    assert answer.json()["document"]["categories"][0]["items"][0]["price"] == 4700
    assert office.get(1).json()["version"] == 2
    assert office.get(2).status_code == 204


def test_applied_is_recorded_once_with_the_terminal(office: Office) -> None:
    publish(office.store, demo(), None)
    first = office.applied({"version": 1})
    again = office.applied({"version": 1})
    assert (first.status_code, first.json()["recorded"], again.json()["recorded"]) == (
        200, True, False)
    office.applied({"version": 1}, office.token("S0002"))
    (row,) = versions(office.store)
    assert [(a["store_code"], a["terminal"]) for a in row["applied"]] == [
        ("S0001", "01"), ("S0002", "01")]
    (mine,) = versions(office.store, "S0002")
    assert [a["store_code"] for a in mine["applied"]] == ["S0002"]


@pytest.mark.parametrize("header", [None, "Bearer ksp_nope", "Basic abc"])
def test_no_or_a_bad_token_is_401_and_no_menu(office: Office, header: str | None) -> None:
    publish(office.store, demo(), None)
    headers = {"Authorization": header} if header else {}
    got = office.client.get("/api/v1/menu?have=0", headers=headers)
    posted = office.client.post("/api/v1/menu/applied", json={"version": 1}, headers=headers)
    assert got.status_code == posted.status_code == 401
    assert "document" not in got.text


def test_a_revoked_token_gets_no_menu(office: Office) -> None:
    publish(office.store, demo(), None)
    with office.store.transaction() as conn:
        terminals.revoke(conn, "S0001", "01")
    assert office.get(0).status_code == 401


@pytest.mark.parametrize("have", ["-1", "x", "1.5", "99999999999", ""])
def test_a_bad_have_is_422(office: Office, have: str) -> None:
    answer = office.client.get(f"/api/v1/menu?have={have}",
                               headers={"Authorization": f"Bearer {office.token()}"})
    assert answer.status_code == 422 and "have" in answer.json()["error"]


@pytest.mark.parametrize("body, status", [
    (b"{", 400), (b"[1]", 422), (b'{"version": "x"}', 422), (b'{"version": 0}', 422),
    (b'{"version": true}', 422), (b"\xff", 400), (b'{"version": 9}', 422),
])
def test_a_bad_applied_body_is_4xx_with_a_reason(office: Office, body: bytes,
                                                 status: int) -> None:
    publish(office.store, demo(), None)
    answer = office.client.post("/api/v1/menu/applied", content=body, headers={
        "Authorization": f"Bearer {office.token()}", "Content-Type": "application/json"})
    assert answer.status_code == status and answer.json()["error"]
    plain = office.client.post("/api/v1/menu/applied", content=b"version=1", headers={
        "Authorization": f"Bearer {office.token()}", "Content-Type": "text/plain"})
    assert plain.status_code == 415


def test_a_bad_document_is_refused_with_reasons_and_nothing_stored(office: Office) -> None:
    doc = demo()
    doc["categories"][0]["items"][0]["price"] = "4500"
    doc["categories"][1]["items"].append(copy.deepcopy(doc["categories"][1]["items"][0]))
    with pytest.raises(PublishError) as refused:
        publish(office.store, doc, None)
    assert any("categories[0].items[0].price" in p for p in refused.value.problems)
    assert any("same UUID" in p for p in refused.value.problems)
    with pytest.raises(PublishError, match="unknown store S0009"):
        publish(office.store, demo(), ["S0009"])
    with pytest.raises(PublishError, match="apply"):
        publish(office.store, demo(), None, "later")
    assert versions(office.store) == []
    assert office.get(0).status_code == 204


def test_one_number_in_two_stores_keeps_each_store_s_applied_apart(office: Office) -> None:
    publish(office.store, demo(), None)
    publish(office.store, priced(4600), ["S0001", "S0002"])  # v2 in each store
    office.applied({"version": 2}, office.token("S0002"))
    rows = {(r["store_code"], r["version"]): r["applied"] for r in versions(office.store)}
    assert [a["store_code"] for a in rows[("S0002", 2)]] == ["S0002"]
    assert rows[("S0001", 2)] == [] and rows[(None, 1)] == []
