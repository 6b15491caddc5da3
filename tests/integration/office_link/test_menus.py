"""Menus end to end: ``kspos office menu publish`` on a real office (``kspos office serve``),
terminals pulling with ``kspos sync --once``, applying (the POS's core), and reporting back;
the office lists which terminal applied which version, and each store gets only its own."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kspos.menu.catalog import load_catalog
from kspos.menu.updates import apply_due, history
from kspos.store import Database
from kspos.sync.identity import Identity
from tests.integration.office_link.rig import Office, Terminal, kspos

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["postgresql", "sqlite"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    if request.param == "postgresql":
        database = request.getfixturevalue("pg_database")
    else:
        database = f"sqlite:///{tmp_path / 'office' / 'office.sqlite3'}"
    running = Office(tmp_path / "office", database).start()
    yield running
    running.stop()


def _menu_file(folder: Path, americano: int) -> Path:
    text = (ROOT / "assets" / "demo_menu.toml").read_text("utf-8")
    path = folder / f"menu-{americano}.toml"
    path.write_text(text.replace('price = 4500, options = ["temp", "size", "extra"]',
                                 f'price = {americano}, options = ["temp", "size", "extra"]', 1),
                    "utf-8")
    return path


def _publish(office: Office, path: Path, *where: str) -> None:
    done = kspos("office", "menu", "publish", str(path), *where, "--by", "hq",
                 "--database", office.database, folder=office.folder)
    assert done.returncode == 0, done.stderr


def _price(db: Database, name: str) -> int:
    return next(i.price for i in load_catalog(db).by_id.values() if i.name == name)


def test_a_published_menu_reaches_its_stores_terminals_and_comes_back_applied(
        office: Office, tmp_path: Path) -> None:
    terminals = {s: Terminal(tmp_path / s, s, "01", office.url, office.token(s, "01"))
                 for s in ("S0001", "S0002")}
    for seed, t in enumerate(terminals.values(), start=1):
        t.sell(days=1, orders=3, seed=seed)
    _publish(office, _menu_file(tmp_path, 4600), "--all")  # v1, at the next 개점
    _publish(office, _menu_file(tmp_path, 4700), "--store", "S0001", "--apply", "now")  # v2
    bad = kspos("office", "menu", "publish", str(tmp_path / "missing.toml"), "--all",
                "--database", office.database, folder=office.folder)
    assert bad.returncode == 2 and "cannot read" in bad.stderr
    unknown = kspos("office", "menu", "publish", str(_menu_file(tmp_path, 1)), "--store",
                    "S0009", "--database", office.database, folder=office.folder)
    assert unknown.returncode == 2 and "unknown store S0009" in unknown.stderr
    for t in terminals.values():
        code, result = t.sync()
        assert code == 0 and result["pending"] == 0, result
    one = Database(terminals["S0001"].folder / "data" / "kspos.sqlite3",
                   Identity("S0001", "01")).open()
    two = Database(terminals["S0002"].folder / "data" / "kspos.sqlite3",
                   Identity("S0002", "01")).open()
    try:
        assert [(v["version"], v["state"]) for v in history(one)] == [(2, "pending")]
        assert [(v["version"], v["state"]) for v in history(two)] == [(1, "pending")]
        assert apply_due(one) == 2 and _price(one, "아메리카노") == 4700
        assert apply_due(two) is None and _price(two, "아메리카노") == 4500  # waits for 개점
        assert apply_due(two, opening=True) == 1 and _price(two, "아메리카노") == 4600
    finally:
        one.close()
        two.close()
    for t in terminals.values():
        code, result = t.sync()  # the menu_change fact goes, and the version is reported
        assert code == 0 and result["sent"] >= 1 and result["pending"] == 0, result
    listed = kspos("office", "menu", "list", "--json", "--database", office.database,
                   folder=office.folder)
    assert listed.returncode == 0, listed.stderr
    applied = {r["version"]: [(a["store_code"], a["terminal"]) for a in r["applied"]]
               for r in json.loads(listed.stdout)["versions"]}
    assert applied == {2: [("S0001", "01")], 1: [("S0002", "01")]}
    facts = office.query("SELECT store_code, body FROM facts WHERE kind = 'menu_change'")
    bodies = sorted((s, json.loads(b)["menu_version"] if isinstance(b, str) else b["menu_version"])
                    for s, b in facts)
    assert bodies == [("S0001", 2), ("S0002", 1)]


def test_a_fact_the_office_refuses_is_kept_with_its_reason_and_the_doctor_names_it(
        tmp_path: Path) -> None:
    office = Office(tmp_path / "office", f"sqlite:///{tmp_path / 'office' / 'o.sqlite3'}")
    office.start()
    try:
        t = Terminal(tmp_path / "t", "S0001", "01", office.url, office.token("S0001", "01"))
        t.sell(days=1, orders=2)
        with sqlite3.connect(t.folder / "data" / "kspos.sqlite3") as conn:  # a broken fact
            seq, body = conn.execute("SELECT seq, body FROM outbox WHERE kind = 'order' "
                                     "ORDER BY seq LIMIT 1").fetchone()
            broken = {**json.loads(body), "total": "a lot"}
            conn.execute("UPDATE outbox SET body = ? WHERE seq = ?", (json.dumps(broken), seq))
        code, result = t.sync()
        assert code == 1 and result["pending"] == 1 and result["refused"][0]["seq"] == seq
        assert t.read(f"SELECT sent_at, refused_reason FROM outbox WHERE seq = {seq}") == [
            (None, result["refused"][0]["reason"])]
        done = t.run("doctor", "--json")
        checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
        assert done.returncode == 1 and not checks["office"]["ok"]
        assert "본사 전송 거부 1건" in checks["office"]["detail"]
        assert f"#{seq} order: " in checks["office"]["detail"] and "total" in checks[
            "office"]["detail"]
    finally:
        office.stop()


def test_publishers_at_once_on_postgresql_get_distinct_growing_versions(
        pg_database: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from kspos.menu.document import from_toml
    from office.menus import publish, versions
    from office.store import OfficeStore, terminals

    document = from_toml((ROOT / "assets" / "demo_menu.toml").read_text("utf-8"))
    stores = [OfficeStore(pg_database).open() for _ in range(6)]
    try:
        with stores[0].transaction() as conn:
            terminals.ensure_store(conn, "S0001")

        def one(n: int) -> list[int]:
            where = None if n % 2 else ["S0001"]
            return [p.version for p in publish(stores[n], document, where)]

        with ThreadPoolExecutor(6) as pool:
            made = sorted(v for vs in pool.map(one, range(6)) for v in vs)
        assert made == [1, 2, 3, 4, 5, 6]
        assert [r["version"] for r in versions(stores[0], "S0001")] == [6, 5, 4, 3, 2, 1]
    finally:
        for store in stores:
            store.close()
